/* The settings sectors of the QSPI flash (the last two 4 KB sectors, which memmap.ld keeps out of the image), erased
 * and programmed through the bootrom's flash functions (RP2040 datasheet §2.8.3.1.3), as pico-sdk's hardware_flash
 * does: looked up once in the ROM function table, then called from a function in RAM with interrupts off — from
 * flash_exit_xip until flash_enter_cmd_xip nothing in flash (code, constants, the vector table) can be read.
 * Reads go through XIP, which sees the new contents once flash_flush_cache has run. */
#include "hardware.h"
#include <string.h>

extern char __settings_start[], __settings_end[];

#define FLASH_BASE       0x10000000u
#define SECTOR_BYTES     4096u
#define PAGE_BYTES       256u
#define BLOCK_BYTES      65536u
#define BLOCK_ERASE_CMD  0xd8u                 /* pico-sdk's FLASH_BLOCK_ERASE_CMD; a 4 KB range takes 20h */
#define ROM_CODE(a, b)   ((uint32_t)(a) | ((uint32_t)(b) << 8))
#define SSI_SSIENR       0x18000008u
#define SSI_BAUDR        0x18000014u
#define BOOT2_BAUDR      4u                    /* boot2.S: clk_sys / 4; the ROM's XIP mode leaves 6 */

typedef void* (*RomLookup)(const uint16_t* table, uint32_t code);
typedef void (*RomVoid)(void);
typedef void (*RomErase)(uint32_t offset, uint32_t count, uint32_t blockBytes, uint8_t blockCommand);
typedef void (*RomProgram)(uint32_t offset, const uint8_t* data, uint32_t count);

static struct {
	RomVoid connect, exitXip, flushCache, enterCmdXip;
	RomErase erase;
	RomProgram program;
} gRom;
static int gRomFound = 0;
/* A page as the ROM programs it: the bytes at their place, 0xFF (programs nothing) around them. */
static uint8_t gPage[PAGE_BYTES] __attribute__((aligned(4)));

/* The ROM's table (datasheet §2.8.3): 'M','u',1 at 0x10, the function table's address at 0x14, the lookup at 0x18. */
static int romFind(void)
{
	if (gRomFound)
		return 1;
	const volatile uint8_t* magic = (const volatile uint8_t*)0x10;
	if (magic[0] != 'M' || magic[1] != 'u' || magic[2] != 1)
		return 0;
	const uint16_t* table = (const uint16_t*)(uintptr_t)*(const volatile uint16_t*)0x14;
	RomLookup lookup = (RomLookup)(uintptr_t)*(const volatile uint16_t*)0x18;
	gRom.connect = (RomVoid)lookup(table, ROM_CODE('I', 'F'));
	gRom.exitXip = (RomVoid)lookup(table, ROM_CODE('E', 'X'));
	gRom.erase = (RomErase)lookup(table, ROM_CODE('R', 'E'));
	gRom.program = (RomProgram)lookup(table, ROM_CODE('R', 'P'));
	gRom.flushCache = (RomVoid)lookup(table, ROM_CODE('F', 'C'));
	gRom.enterCmdXip = (RomVoid)lookup(table, ROM_CODE('C', 'X'));
	gRomFound = gRom.connect && gRom.exitXip && gRom.erase && gRom.program && gRom.flushCache && gRom.enterCmdXip;
	return gRomFound;
}

/* Runs from RAM: erases the sector at `offset` (page == NULL) or programs gPage at `offset`, then restores XIP as
 * boot2 left it. No calls into flash, no literal in flash: everything it reads is in RAM or the ROM. */
static __attribute__((section(".time_critical.flashOperation"), noinline, long_call))
void flashOperation(uint32_t offset, const uint8_t* page)
{
	uint32_t primask;
	__asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask) : : "memory");
	gRom.connect();
	gRom.exitXip();
	if (page)
		gRom.program(offset, page, PAGE_BYTES);
	else
		gRom.erase(offset, SECTOR_BYTES, BLOCK_BYTES, BLOCK_ERASE_CMD);
	gRom.flushCache(); /* also releases the chip-select override */
	gRom.enterCmdXip();
	REG(SSI_SSIENR) = 0;
	REG(SSI_BAUDR) = BOOT2_BAUDR;
	REG(SSI_SSIENR) = 1;
	__asm__ volatile("msr primask, %0" : : "r"(primask) : "memory");
}

uint32_t flashSettingsOffset(void)
{
	return (uint32_t)(__settings_start - (char*)FLASH_BASE);
}

uint32_t flashSettingsBytes(void)
{
	return (uint32_t)(__settings_end - __settings_start);
}

static int inSettings(uint32_t offset, uint32_t length)
{
	uint32_t start = flashSettingsOffset();
	return offset >= start && length <= flashSettingsBytes() && offset - start <= flashSettingsBytes() - length;
}

int flashErase(uint32_t offset)
{
	if (offset % SECTOR_BYTES || !inSettings(offset, SECTOR_BYTES))
		return FLASH_OUTSIDE;
	if (!romFind())
		return FLASH_NO_ROM;
	flashOperation(offset, NULL);
	return FLASH_OK;
}

int flashProgram(uint32_t offset, const uint8_t* bytes, uint32_t length)
{
	uint32_t at = offset % PAGE_BYTES;
	if (length == 0 || at + length > PAGE_BYTES || !inSettings(offset, length))
		return FLASH_OUTSIDE;
	if (!romFind())
		return FLASH_NO_ROM;
	memset(gPage, 0xff, PAGE_BYTES);
	memcpy(gPage + at, bytes, length);
	flashOperation(offset - at, gPage);
	return FLASH_OK;
}

int flashRead(uint32_t offset, uint8_t* into, uint32_t length)
{
	if (offset >= FLASH_BYTES || length > FLASH_BYTES - offset)
		return FLASH_OUTSIDE;
	memcpy(into, (const uint8_t*)(FLASH_BASE + offset), length);
	return FLASH_OK;
}
