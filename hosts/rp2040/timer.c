/* The 64-bit microsecond TIMER (datasheet §4.6) and ALARM0, whose interrupt ends a WFI sleep. */
#include "hardware.h"

#define TIMER_ALARM0   (TIMER_BASE + 0x10)
#define TIMER_RAWH     (TIMER_BASE + 0x24)
#define TIMER_RAWL     (TIMER_BASE + 0x28)
#define TIMER_INTR     (TIMER_BASE + 0x34)
#define TIMER_INTE     (TIMER_BASE + 0x38)

static volatile uint32_t gAlarmFired = 0;

void timerIrq(void)
{
	REG(TIMER_INTR) = 1; /* acknowledge ALARM0 */
	gAlarmFired = 1;
}

void timerInit(void)
{
	REG_CLR(RESETS_RESET) = RESET_TIMER;
	for (uint32_t tries = 0; tries < POLL_LIMIT && !(REG(RESETS_DONE) & RESET_TIMER); tries++) {
	}
	REG(TIMER_INTE) = 1;
	REG(NVIC_ICPR) = 1u << IRQ_TIMER_0;
	REG(NVIC_ISER) = 1u << IRQ_TIMER_0;
}

uint64_t timerMicros(void)
{
	uint32_t high = REG(TIMER_RAWH), low, again;
	for (;;) {
		low = REG(TIMER_RAWL);
		again = REG(TIMER_RAWH);
		if (again == high)
			return ((uint64_t)high << 32) | low;
		high = again;
	}
}

extern uint32_t gpioPendingEdges(void);

void timerWaitUntil(uint64_t deadline)
{
	uint64_t now = timerMicros();
	if (deadline <= now)
		return;
	if (deadline - now > 0x7fffffffu)
		deadline = now + 0x7fffffffu;
	gAlarmFired = 0;
	REG(TIMER_ALARM0) = (uint32_t)deadline; /* arms the alarm for when the low word matches */
	__asm__ volatile("cpsid i");
	if (!gAlarmFired && !gpioPendingEdges() && !uartReceived() && timerMicros() < deadline)
		__asm__ volatile("wfi"); /* a pending interrupt wakes it even with PRIMASK set */
	__asm__ volatile("cpsie i");
}
