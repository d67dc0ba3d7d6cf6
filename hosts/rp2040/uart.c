/* UART0 on GPIO 0 (TX) and 1 (RX) at 115200 8N1 from the 125 MHz clk_peri: the console. */
#include "hardware.h"

#define UART_DR   (UART0_BASE + 0x00)
#define UART_FR   (UART0_BASE + 0x18)
#define UART_IBRD (UART0_BASE + 0x24)
#define UART_FBRD (UART0_BASE + 0x28)
#define UART_LCRH (UART0_BASE + 0x2c)
#define UART_CR   (UART0_BASE + 0x30)
#define FR_TXFF   (1u << 5)

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
