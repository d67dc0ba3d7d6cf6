/* UART0 on GPIO 0 (TX) and 1 (RX) at 115200 8N1 from the 125 MHz clk_peri: the console. Received bytes are moved
 * by the RX interrupt (FIFO level or receive timeout, PL011 TRM §3.4) into a ring the main loop hands to JS; a byte
 * that finds the ring full is dropped and counted. */
#include "hardware.h"

#define UART_DR   (UART0_BASE + 0x00)
#define UART_FR   (UART0_BASE + 0x18)
#define UART_IBRD (UART0_BASE + 0x24)
#define UART_FBRD (UART0_BASE + 0x28)
#define UART_LCRH (UART0_BASE + 0x2c)
#define UART_CR   (UART0_BASE + 0x30)
#define UART_IMSC (UART0_BASE + 0x38)
#define UART_ICR  (UART0_BASE + 0x44)
#define FR_RXFE   (1u << 4)
#define FR_TXFF   (1u << 5)
#define INT_RX    (1u << 4)
#define INT_RT    (1u << 6)
#define DR_ERRORS 0xf00u                       /* overrun, break, parity, framing (DR bits 11:8) */
#define RX_BYTES  256u                         /* a power of two; the main loop reads at every wake, ~115 bytes a 10 ms turn */

static uint8_t gRx[RX_BYTES];
static volatile uint32_t gRxHead = 0; /* written by the interrupt only */
static volatile uint32_t gRxTail = 0; /* written by the main loop only */
static volatile uint32_t gRxDropped = 0;
static volatile uint32_t gRxErrors = 0;

void uartInit(void)
{
	REG_CLR(RESETS_RESET) = RESET_UART0;
	for (uint32_t tries = 0; tries < POLL_LIMIT && !(REG(RESETS_DONE) & RESET_UART0); tries++) {
	}
	REG(UART_IBRD) = 67;                         /* 125 MHz / (16 × 115200) = 67.817 */
	REG(UART_FBRD) = 52;
	REG(UART_LCRH) = (3u << 5) | (1u << 4);      /* 8 bits, FIFOs on */
	REG(UART_CR) = (1u << 0) | (1u << 8) | (1u << 9); /* enable, TX, RX */
	REG(IO_BANK0_BASE + 0x04) = 2;               /* GPIO0 → UART0 TX */
	REG(IO_BANK0_BASE + 0x0c) = 2;               /* GPIO1 → UART0 RX */
	REG(UART_IMSC) = INT_RX | INT_RT;
	REG(NVIC_ICPR) = 1u << IRQ_UART0;
	REG(NVIC_ISER) = 1u << IRQ_UART0;
}

void uartIrq(void)
{
	while (!(REG(UART_FR) & FR_RXFE)) {
		uint32_t value = REG(UART_DR);
		uint32_t head = gRxHead;
		if (value & DR_ERRORS)
			gRxErrors++;
		if (head - gRxTail >= RX_BYTES) {
			gRxDropped++;
			continue;
		}
		gRx[head % RX_BYTES] = (uint8_t)value;
		gRxHead = head + 1;
	}
	REG(UART_ICR) = INT_RX | INT_RT;
}

uint32_t uartReceived(void)
{
	return gRxHead - gRxTail;
}

uint32_t uartRead(uint8_t* into, uint32_t length)
{
	uint32_t tail = gRxTail;
	uint32_t count = 0;
	while (count < length && tail != gRxHead)
		into[count++] = gRx[tail++ % RX_BYTES];
	gRxTail = tail;
	return count;
}

uint32_t uartDropped(void)
{
	return gRxDropped + gRxErrors;
}

static void put(char c)
{
	for (uint32_t tries = 0; tries < POLL_LIMIT && (REG(UART_FR) & FR_TXFF); tries++) {
	}
	REG(UART_DR) = (uint8_t)c;
}

void uartWriteBytes(const char* bytes, uint32_t length)
{
	for (uint32_t i = 0; i < length; i++) {
		if (bytes[i] == '\n')
			put('\r');
		put(bytes[i]);
	}
}

void uartWrite(const char* text)
{
	while (*text) {
		if (*text == '\n')
			put('\r');
		put(*text++);
	}
}
