/* Reset and the vector table: copy .data, clear .bss, set picolibc's TLS, run main(). Faults are reported over the
 * UART and the chip restarts, as the watchdog would. */
#include "hardware.h"

extern uint32_t __stack_top, __data_source, __data_start, __data_end, __bss_start, __bss_end;
extern char __tls_base[];
extern void _set_tls(void*);
extern int main(void);
extern void timerIrq(void);
extern void gpioIrq(void);
extern void uartIrq(void);
void resetHandler(void);

static void hardFault(void)
{
	uartWrite("\n[rp2040] hard fault: restarting\n");
	systemReset();
}

static void unexpectedIrq(void)
{
	uartWrite("\n[rp2040] unexpected interrupt: restarting\n");
	systemReset();
}

/* 16 system exceptions, then IRQ 0..31 (datasheet §2.3.2): TIMER_IRQ_0 is 0, IO_IRQ_BANK0 13, UART0_IRQ 20. */
__attribute__((section(".vectors"), used)) void (*const vectors[48])(void) = {
	(void (*)(void))&__stack_top, resetHandler, unexpectedIrq, hardFault,
	[4 ... 47] = unexpectedIrq,
	[16 + IRQ_TIMER_0] = timerIrq,
	[16 + IRQ_IO_BANK0] = gpioIrq,
	[16 + IRQ_UART0] = uartIrq,
};

void systemReset(void)
{
	__asm__ volatile("dsb");
	REG(SCB_AIRCR) = (0x05fau << 16) | (1u << 2); /* SYSRESETREQ */
	for (;;)
		__asm__ volatile("nop");
}

void resetHandler(void)
{
	REG(0xe000ed08) = (uint32_t)vectors; /* VTOR */
	uint32_t* from = &__data_source;
	for (uint32_t* to = &__data_start; to < &__data_end;)
		*to++ = *from++;
	for (uint32_t* to = &__bss_start; to < &__bss_end;)
		*to++ = 0;
	_set_tls(__tls_base);
	main();
	systemReset();
}
