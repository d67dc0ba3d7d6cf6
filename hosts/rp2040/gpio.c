/* GPIO through SIO with edge interrupts (datasheet §2.19). The interrupt handler only acknowledges and ORs the
 * pin's bit into a pending mask; onReadable runs later on the JS thread (gpioTakeEdges). */
#include "hardware.h"

#define SIO_GPIO_IN      (SIO_BASE + 0x04)
#define SIO_GPIO_OUT_SET (SIO_BASE + 0x14)
#define SIO_GPIO_OUT_CLR (SIO_BASE + 0x18)
#define SIO_GPIO_OE_SET  (SIO_BASE + 0x24)
#define SIO_GPIO_OE_CLR  (SIO_BASE + 0x28)
#define IO_INTR(bank)    (IO_BANK0_BASE + 0xf0 + 4 * (bank))
#define IO_INTE(bank)    (IO_BANK0_BASE + 0x100 + 4 * (bank))
#define IO_INTS(bank)    (IO_BANK0_BASE + 0x120 + 4 * (bank))
#define PAD(pin)         (PADS_BANK0_BASE + 0x04 + 4 * (pin))
#define PAD_IE  (1u << 6)
#define PAD_PUE (1u << 3)
#define PAD_PDE (1u << 2)
#define FUNC_SIO 5
#define PIN_COUNT 30

static volatile uint32_t gPending = 0;
static volatile uint32_t gEdges = 0;
static volatile uint32_t gCoalesced = 0;

void gpioIrq(void)
{
	for (uint32_t bank = 0; bank < 4; bank++) {
		uint32_t status = REG(IO_INTS(bank));
		if (!status)
			continue;
		REG(IO_INTR(bank)) = status; /* edge bits are write-1-to-clear */
		for (uint32_t i = 0; i < 8; i++) {
			if (!(status & (0xcu << (4 * i))))
				continue;
			uint32_t bit = 1u << (8 * bank + i);
			gEdges++;
			if (gPending & bit)
				gCoalesced++;
			gPending |= bit;
		}
	}
}

void gpioInit(void)
{
	REG_CLR(RESETS_RESET) = RESET_IO_BANK0 | RESET_PADS_BANK0;
	for (uint32_t tries = 0; tries < POLL_LIMIT && (REG(RESETS_DONE) & (RESET_IO_BANK0 | RESET_PADS_BANK0)) !=
		(RESET_IO_BANK0 | RESET_PADS_BANK0); tries++) {
	}
	REG(NVIC_ICPR) = 1u << IRQ_IO_BANK0;
	REG(NVIC_ISER) = 1u << IRQ_IO_BANK0;
}

void gpioConfigure(uint32_t pin, uint32_t mode, uint32_t edges)
{
	if (pin >= PIN_COUNT)
		return;
	uint32_t bit = 1u << pin;
	uint32_t pad = PAD_IE | (mode == 1 ? PAD_PUE : 0) | (mode == 2 ? PAD_PDE : 0);
	REG(PAD(pin)) = pad;
	REG(IO_BANK0_BASE + 0x04 + 8 * pin) = FUNC_SIO;
	if (mode == 8) {
		REG(SIO_GPIO_OUT_CLR) = bit;
		REG(SIO_GPIO_OE_SET) = bit;
	}
	else
		REG(SIO_GPIO_OE_CLR) = bit;
	uint32_t bank = pin / 8, shift = 4 * (pin % 8);
	uint32_t enable = ((edges & 1) ? 8u : 0) | ((edges & 2) ? 4u : 0); /* EDGE_HIGH, EDGE_LOW */
	REG(IO_INTR(bank)) = 0xcu << shift;
	REG_CLR(IO_INTE(bank)) = 0xfu << shift;
	if (enable)
		REG_SET(IO_INTE(bank)) = enable << shift;
}

uint32_t gpioRead(uint32_t pin)
{
	return (REG(SIO_GPIO_IN) >> pin) & 1;
}

void gpioWrite(uint32_t pin, uint32_t value)
{
	REG(value ? SIO_GPIO_OUT_SET : SIO_GPIO_OUT_CLR) = 1u << pin;
}

uint32_t gpioPendingEdges(void)
{
	return gPending;
}

uint32_t gpioTakeEdges(void)
{
	__asm__ volatile("cpsid i");
	uint32_t pending = gPending;
	gPending = 0;
	__asm__ volatile("cpsie i");
	return pending;
}

uint32_t gpioEdgeCount(void) { return gEdges; }
uint32_t gpioCoalescedCount(void) { return gCoalesced; }
