/* Registers of the RP2040 peripherals stillheap uses (datasheet chapter 2 and 4), and the drivers' interfaces. */
#ifndef STILLHEAP_RP2040_HARDWARE_H
#define STILLHEAP_RP2040_HARDWARE_H
#include <stdint.h>

#define REG(address) (*(volatile uint32_t*)(address))
/* Atomic register aliases (§2.1.2): write 1s to set or clear bits without a read-modify-write. */
#define REG_SET(address) REG((address) + 0x2000)
#define REG_CLR(address) REG((address) + 0x3000)

#define RESETS_BASE     0x4000c000u
#define RESETS_RESET    (RESETS_BASE + 0x0)
#define RESETS_DONE     (RESETS_BASE + 0x8)
#define RESET_I2C0      (1u << 3)
#define RESET_IO_BANK0  (1u << 5)
#define RESET_PADS_BANK0 (1u << 8)
#define RESET_PLL_SYS   (1u << 12)
#define RESET_TIMER     (1u << 21)
#define RESET_UART0     (1u << 22)

#define IO_BANK0_BASE   0x40014000u
#define PADS_BANK0_BASE 0x4001c000u
#define SIO_BASE        0xd0000000u
#define TIMER_BASE      0x40054000u
#define UART0_BASE      0x40034000u
#define I2C0_BASE       0x40044000u
#define NVIC_ISER       0xe000e100u
#define NVIC_ICPR       0xe000e280u
#define SCB_AIRCR       0xe000ed0cu

#define IRQ_TIMER_0     0
#define IRQ_IO_BANK0    13
#define IRQ_UART0       20

/* Bounded waits: every poll of a status bit gives up after this many tries (≈ 1 ms at 125 MHz). */
#define POLL_LIMIT 100000u

void clocksInit(void);
void uartInit(void);
void uartWrite(const char* text);
void uartWriteBytes(const char* bytes, uint32_t length);
/* Bytes received and not yet read; read up to `length` of them; bytes lost (the ring full, or a line error). */
uint32_t uartReceived(void);
uint32_t uartRead(uint8_t* into, uint32_t length);
uint32_t uartDropped(void);

/* The settings sectors of the flash (flash.c): offsets from the start of flash; results FLASH_OK or why not. */
#define FLASH_BYTES (2u * 1024 * 1024)
enum { FLASH_OK = 0, FLASH_OUTSIDE = 1, FLASH_NO_ROM = 2 };
uint32_t flashSettingsOffset(void);
uint32_t flashSettingsBytes(void);
int flashErase(uint32_t offset);
int flashProgram(uint32_t offset, const uint8_t* bytes, uint32_t length);
int flashRead(uint32_t offset, uint8_t* into, uint32_t length);

uint64_t timerMicros(void);
void timerInit(void);
/* Sleeps (WFI) until the alarm at `deadline` µs or any interrupt, whichever comes first. */
void timerWaitUntil(uint64_t deadline);

void gpioInit(void);
/* mode: 0 input, 1 input pull-up, 2 input pull-down, 8 output; edges: bit 0 rising, bit 1 falling. */
void gpioConfigure(uint32_t pin, uint32_t mode, uint32_t edges);
uint32_t gpioRead(uint32_t pin);
void gpioWrite(uint32_t pin, uint32_t value);
/* Pins whose edge interrupts fired since the last call (bit n = GPIO n), cleared atomically. */
uint32_t gpioTakeEdges(void);
/* Edges seen in total and edges that found their pin's flag still set (coalesced). */
uint32_t gpioEdgeCount(void);
uint32_t gpioCoalescedCount(void);

/* I2C0 results, the codes the JS side maps to ECMA-419 errors. */
enum { I2C_OK = 0, I2C_NACK_ADDRESS = 1, I2C_NACK_DATA = 2, I2C_TIMEOUT = 3 };
void i2cInit(uint32_t sdaPin, uint32_t sclPin, uint32_t hz);
int i2cWrite(uint32_t address, const uint8_t* bytes, uint32_t length, int stop, uint32_t timeoutUs);
int i2cRead(uint32_t address, uint8_t* bytes, uint32_t length, int stop, uint32_t timeoutUs);

void systemReset(void) __attribute__((noreturn));
#endif
