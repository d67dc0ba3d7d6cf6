/* Clocks for a real board (datasheet §2.15–2.18): the 12 MHz crystal, PLL_SYS at 1500 MHz / 6 / 2 = 125 MHz for
 * clk_sys, clk_peri from clk_sys (UART, I2C), and the watchdog tick that makes the timer count microseconds. */
#include "hardware.h"

#define CLOCKS_BASE   0x40008000u
#define CLK_REF_CTRL  (CLOCKS_BASE + 0x30)
#define CLK_REF_SEL   (CLOCKS_BASE + 0x38)
#define CLK_SYS_CTRL  (CLOCKS_BASE + 0x3c)
#define CLK_SYS_SEL   (CLOCKS_BASE + 0x44)
#define CLK_PERI_CTRL (CLOCKS_BASE + 0x48)
#define XOSC_BASE     0x40024000u
#define PLL_SYS_BASE  0x40028000u
#define WATCHDOG_TICK 0x4005802cu

static void waitFor(volatile uint32_t* reg, uint32_t mask, uint32_t value)
{
	for (uint32_t tries = 0; tries < POLL_LIMIT && ((*reg & mask) != value); tries++) {
	}
}

static void startCrystal(void)
{
	REG(XOSC_BASE + 0x00) = 0xaa0;               /* FREQ_RANGE 1–15 MHz */
	REG(XOSC_BASE + 0x0c) = 47;                  /* STARTUP: ~1 ms at 12 MHz, in units of 256 cycles */
	REG_SET(XOSC_BASE + 0x00) = 0xfabu << 12;    /* ENABLE */
	waitFor(&REG(XOSC_BASE + 0x04), 1u << 31, 1u << 31); /* STABLE */
}

static void startPll(void)
{
	REG_SET(RESETS_RESET) = RESET_PLL_SYS;
	REG_CLR(RESETS_RESET) = RESET_PLL_SYS;
	waitFor(&REG(RESETS_DONE), RESET_PLL_SYS, RESET_PLL_SYS);
	REG(PLL_SYS_BASE + 0x00) = 1;                /* CS: REFDIV 1 */
	REG(PLL_SYS_BASE + 0x08) = 125;              /* FBDIV: VCO 12 MHz × 125 = 1500 MHz */
	REG_CLR(PLL_SYS_BASE + 0x04) = (1u << 0) | (1u << 5); /* PWR: power up, VCO up */
	waitFor(&REG(PLL_SYS_BASE + 0x00), 1u << 31, 1u << 31); /* LOCK */
	REG(PLL_SYS_BASE + 0x0c) = (6u << 16) | (2u << 12); /* PRIM: post dividers 6 and 2 */
	REG_CLR(PLL_SYS_BASE + 0x04) = 1u << 3;      /* post dividers up */
}

void clocksInit(void)
{
	startCrystal();
	REG(CLK_REF_CTRL) = 2;                       /* clk_ref ← crystal */
	waitFor(&REG(CLK_REF_SEL), 0xf, 1u << 2);
	REG(CLK_SYS_CTRL) = 0;                       /* clk_sys ← clk_ref while the PLL starts */
	waitFor(&REG(CLK_SYS_SEL), 0x3, 1u << 0);
	startPll();
	REG(CLK_SYS_CTRL) = (0u << 5) | 1;           /* clk_sys ← aux (PLL_SYS) */
	waitFor(&REG(CLK_SYS_SEL), 0x3, 1u << 1);
	REG(CLK_PERI_CTRL) = (1u << 11) | (0u << 5); /* clk_peri ← clk_sys, enabled */
	REG(WATCHDOG_TICK) = (1u << 9) | 12;         /* 1 µs ticks from the 12 MHz clk_ref */
}
