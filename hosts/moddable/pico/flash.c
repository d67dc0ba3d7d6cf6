/*
 * stillheap's settings sectors on Moddable's Pico build: the last two 4 KB sectors of the flash, past Moddable's
 * Preference sectors (_MODPREF_start, two sectors) and its image. Moddable's Pico Preference is not power-cut safe
 * (a set zeroes the old entry before writing the new one, and compaction writes the new sector's magic before its
 * entries), so RecordSlots keeps its two records here instead.
 * Erase and program go through pico-sdk's flash_range_erase/flash_range_program, which run from RAM and call the
 * bootrom; interrupts are off meanwhile, as Moddable's own modSPIErase/modSPIWrite do, because nothing in flash can
 * be read from flash_exit_xip until XIP is back. Moddable's Pico port runs on core 0 only. Reads go through XIP,
 * whose cache flash_range_* flush.
 */
#include "xsmc.h"
#include "xsHost.h"
#include "hardware/flash.h"
#include "hardware/sync.h"
#include <string.h>

extern uint8_t _MODFLASH_end, _MODPREF_start, __flash_binary_end;

#define SETTINGS_BYTES (2 * FLASH_SECTOR_SIZE)

static uint8_t gPage[FLASH_PAGE_SIZE] __attribute__((aligned(4)));

static uint32_t settingsOffset(xsMachine *the)
{
	uint32_t start = (uint32_t)((uintptr_t)&_MODFLASH_end - XIP_BASE) - SETTINGS_BYTES;
	if ((uint32_t)((uintptr_t)&__flash_binary_end - XIP_BASE) > start)
		xsUnknownError("the image reaches into the settings sectors: make it smaller");
	if ((uint32_t)((uintptr_t)&_MODPREF_start - XIP_BASE) + SETTINGS_BYTES > start)
		xsUnknownError("Moddable's Preference sectors reach into the settings sectors: check the linker script");
	return start;
}

static void checkRange(xsMachine *the, uint32_t offset, uint32_t length)
{
	uint32_t start = settingsOffset(the);
	if ((offset < start) || (length > SETTINGS_BYTES) || (offset - start > SETTINGS_BYTES - length))
		xsRangeError("outside the settings sectors");
}

static uint8_t *bufferRange(xsMachine *the, xsSlot *buffer, int start, int length)
{
	int size = xsmcGetArrayBufferLength(*buffer);
	if ((start < 0) || (length < 0) || (start > size - length))
		xsRangeError("outside the buffer");
	return (uint8_t *)xsmcToArrayBuffer(*buffer) + start;
}

void xs_stillheap_flash_settings(xsMachine *the)
{
	xsmcSetInteger(xsResult, settingsOffset(the));
}

void xs_stillheap_flash_erase(xsMachine *the)
{
	uint32_t offset = (uint32_t)xsmcToInteger(xsArg(0));
	if (offset % FLASH_SECTOR_SIZE)
		xsRangeError("an erase starts at a sector");
	checkRange(the, offset, FLASH_SECTOR_SIZE);
	uint32_t status = save_and_disable_interrupts();
	flash_range_erase(offset, FLASH_SECTOR_SIZE);
	restore_interrupts(status);
}

/* A page as flash_range_program takes it: the bytes at their place, 0xFF (programs nothing) around them. */
void xs_stillheap_flash_program(xsMachine *the)
{
	uint32_t offset = (uint32_t)xsmcToInteger(xsArg(0));
	int length = xsmcToInteger(xsArg(3));
	uint8_t *bytes = bufferRange(the, &xsArg(1), xsmcToInteger(xsArg(2)), length);
	uint32_t at = offset % FLASH_PAGE_SIZE;
	if ((length == 0) || (at + length > FLASH_PAGE_SIZE))
		xsRangeError("a program stays within one page");
	checkRange(the, offset, length);
	memset(gPage, 0xff, sizeof(gPage));
	memcpy(gPage + at, bytes, length);
	uint32_t status = save_and_disable_interrupts();
	flash_range_program(offset - at, gPage, FLASH_PAGE_SIZE);
	restore_interrupts(status);
}

void xs_stillheap_flash_read(xsMachine *the)
{
	uint32_t offset = (uint32_t)xsmcToInteger(xsArg(0));
	int length = xsmcToInteger(xsArg(3));
	uint8_t *into = bufferRange(the, &xsArg(1), xsmcToInteger(xsArg(2)), length);
	checkRange(the, offset, length);
	memcpy(into, (const uint8_t *)(XIP_BASE + offset), length);
}
