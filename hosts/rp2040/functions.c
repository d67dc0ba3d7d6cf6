/* The `rp2040` global: console in and out, clock, memory counters, collector, GPIO, I2C and the settings sectors of
 * the flash for the TypeScript host. */
#include "xsAll.h"
#include "xs.h"
#include "hardware.h"
#include "memory.h"

#define SLOT_BYTES 16

static void rp_print(xsMachine* the)
{
	uartWrite(xsToString(xsArg(0)));
	uartWrite("\n");
}

/* write(buffer, offset, length): bytes of an ArrayBuffer to the UART, without making a string. */
static void rp_write(xsMachine* the)
{
	xsIntegerValue size = xsGetArrayBufferLength(xsArg(0));
	xsIntegerValue offset = xsToInteger(xsArg(1));
	xsIntegerValue length = xsToInteger(xsArg(2));
	if (offset < 0 || length < 0 || offset + length > size)
		xsRangeError("UART write of %d bytes at %d outside a buffer of %d", (int)length, (int)offset, (int)size);
	uartWriteBytes((const char*)xsToArrayBuffer(xsArg(0)) + offset, (uint32_t)length);
}

static void rp_nowMicros(xsMachine* the)
{
	xsResult = xsNumber((double)timerMicros());
}

static void rp_collect(xsMachine* the)
{
	xsCollectGarbage();
}

/* memoryInto(buffer): eleven float64 in src/engine's MemoryField order, without allocating. */
static void rp_memoryInto(xsMachine* the)
{
	double fields[MEMORY_FIELD_COUNT];
	hostMemoryFields(the, SLOT_BYTES, fields);
	if (xsGetArrayBufferLength(xsArg(0)) < (xsIntegerValue)sizeof(fields))
		xsRangeError("rp2040.memoryInto needs an ArrayBuffer of at least 88 bytes");
	xsSetArrayBufferData(xsArg(0), 0, fields, sizeof(fields));
}

static void rp_gpioConfigure(xsMachine* the)
{
	/* One xsTo… per statement: the macros share the machine's scratch slot. */
	uint32_t pin = xsToInteger(xsArg(0));
	uint32_t mode = xsToInteger(xsArg(1));
	uint32_t edges = xsToInteger(xsArg(2));
	gpioConfigure(pin, mode, edges);
}

static void rp_gpioRead(xsMachine* the)
{
	uint32_t pin = xsToInteger(xsArg(0));
	xsResult = xsInteger(gpioRead(pin));
}

static void rp_gpioWrite(xsMachine* the)
{
	uint32_t pin = xsToInteger(xsArg(0));
	uint32_t value = xsToInteger(xsArg(1));
	gpioWrite(pin, value);
}

static void rp_gpioEdges(xsMachine* the)
{
	xsResult = xsNumber((double)gpioEdgeCount());
}

static void rp_gpioCoalesced(xsMachine* the)
{
	xsResult = xsNumber((double)gpioCoalescedCount());
}

static void rp_i2cInit(xsMachine* the)
{
	uint32_t data = xsToInteger(xsArg(0));
	uint32_t clock = xsToInteger(xsArg(1));
	uint32_t hz = xsToInteger(xsArg(2));
	i2cInit(data, clock, hz);
}

/* i2cTransfer(read, address, buffer, offset, length, stop, timeoutUs) → I2C_OK or an error code. */
static void rp_i2cTransfer(xsMachine* the)
{
	int read = xsToBoolean(xsArg(0));
	uint32_t address = xsToInteger(xsArg(1));
	xsIntegerValue size = xsGetArrayBufferLength(xsArg(2));
	xsIntegerValue offset = xsToInteger(xsArg(3));
	xsIntegerValue length = xsToInteger(xsArg(4));
	if (offset < 0 || length < 0 || offset + length > size)
		xsRangeError("I2C transfer of %d bytes at %d outside a buffer of %d", (int)length, (int)offset, (int)size);
	uint8_t* bytes = (uint8_t*)xsToArrayBuffer(xsArg(2)) + offset;
	int stop = xsToBoolean(xsArg(5));
	uint32_t timeoutUs = xsToInteger(xsArg(6));
	int result = read ? i2cRead(address, bytes, length, stop, timeoutUs) : i2cWrite(address, bytes, length, stop, timeoutUs);
	xsResult = xsInteger(result);
}

/* The bytes [offset, offset + length) of an ArrayBuffer argument, checked. */
static uint8_t* bufferBytes(xsMachine* the, int argument, xsIntegerValue offset, xsIntegerValue length, const char* what)
{
	xsIntegerValue size = xsGetArrayBufferLength(xsArg(argument));
	if (offset < 0 || length < 0 || offset + length > size)
		xsRangeError("%s of %d bytes at %d outside a buffer of %d", what, (int)length, (int)offset, (int)size);
	return (uint8_t*)xsToArrayBuffer(xsArg(argument)) + offset;
}

/* uartRead(buffer, offset, length) → bytes copied from what the console received. */
static void rp_uartRead(xsMachine* the)
{
	xsIntegerValue offset = xsToInteger(xsArg(1));
	xsIntegerValue length = xsToInteger(xsArg(2));
	uint8_t* into = bufferBytes(the, 0, offset, length, "UART read");
	xsResult = xsInteger((xsIntegerValue)uartRead(into, (uint32_t)length));
}

static void rp_uartDropped(xsMachine* the)
{
	xsResult = xsNumber((double)uartDropped());
}

static void flashResult(xsMachine* the, int result, const char* what, uint32_t offset)
{
	if (result == FLASH_OUTSIDE)
		xsRangeError("flash %s at %u is outside the settings sectors (%u, %u bytes) or crosses a page", what,
			(unsigned)offset, (unsigned)flashSettingsOffset(), (unsigned)flashSettingsBytes());
	if (result == FLASH_NO_ROM)
		xsUnknownError("flash %s: the RP2040 bootrom's flash functions are not there (an emulator without the bootrom?)", what);
}

static void rp_settingsFlash(xsMachine* the)
{
	xsResult = xsNumber((double)flashSettingsOffset());
}

static void rp_flashErase(xsMachine* the)
{
	uint32_t offset = (uint32_t)xsToInteger(xsArg(0));
	flashResult(the, flashErase(offset), "erase", offset);
}

/* flashProgram(offset, buffer, start, length): within one 256-byte page of the settings sectors. */
static void rp_flashProgram(xsMachine* the)
{
	uint32_t offset = (uint32_t)xsToInteger(xsArg(0));
	xsIntegerValue start = xsToInteger(xsArg(2));
	xsIntegerValue length = xsToInteger(xsArg(3));
	uint8_t* bytes = bufferBytes(the, 1, start, length, "flash program");
	flashResult(the, flashProgram(offset, bytes, (uint32_t)length), "program", offset);
}

static void rp_flashRead(xsMachine* the)
{
	uint32_t offset = (uint32_t)xsToInteger(xsArg(0));
	xsIntegerValue start = xsToInteger(xsArg(2));
	xsIntegerValue length = xsToInteger(xsArg(3));
	uint8_t* into = bufferBytes(the, 1, start, length, "flash read");
	flashResult(the, flashRead(offset, into, (uint32_t)length), "read", offset);
}

static void rp_restart(xsMachine* the)
{
	uartWrite("[rp2040] restart requested\n");
	systemReset();
}

static void define(xsMachine* the, const char* name, xsCallback callback, int length)
{
	xsVar(1) = xsNewHostFunction(callback, length);
	xsDefine(xsVar(0), xsID((txString)name), xsVar(1), xsDontEnum | xsDontDelete | xsDontSet);
}

void hostDefineGlobals(xsMachine* the)
{
	xsVars(2);
	xsVar(0) = xsNewObject();
	define(the, "print", rp_print, 1);
	define(the, "write", rp_write, 3);
	define(the, "nowMicros", rp_nowMicros, 0);
	define(the, "collect", rp_collect, 0);
	define(the, "memoryInto", rp_memoryInto, 1);
	define(the, "gpioConfigure", rp_gpioConfigure, 3);
	define(the, "gpioRead", rp_gpioRead, 1);
	define(the, "gpioWrite", rp_gpioWrite, 2);
	define(the, "gpioEdges", rp_gpioEdges, 0);
	define(the, "gpioCoalesced", rp_gpioCoalesced, 0);
	define(the, "i2cInit", rp_i2cInit, 3);
	define(the, "i2cTransfer", rp_i2cTransfer, 7);
	define(the, "uartRead", rp_uartRead, 3);
	define(the, "uartDropped", rp_uartDropped, 0);
	define(the, "settingsFlash", rp_settingsFlash, 0);
	define(the, "flashErase", rp_flashErase, 1);
	define(the, "flashProgram", rp_flashProgram, 4);
	define(the, "flashRead", rp_flashRead, 4);
	define(the, "restart", rp_restart, 0);
	xsDefine(xsGlobal, xsID("rp2040"), xsVar(0), xsDontEnum);
}

/* libc hooks for picolibc: time for Date, exit, and stdio on the UART. */
int gettimeofday(struct timeval* time, void* zone)
{
	(void)zone;
	uint64_t now = timerMicros();
	time->tv_sec = (time_t)(now / 1000000);
	time->tv_usec = (suseconds_t)(now % 1000000);
	return 0;
}

void exit(int status)
{
	(void)status;
	systemReset();
}

static int uartPut(char c, FILE* file)
{
	(void)file;
	uartWriteBytes(&c, 1);
	return (unsigned char)c;
}

static FILE gConsole = FDEV_SETUP_STREAM(uartPut, NULL, NULL, _FDEV_SETUP_WRITE);
FILE* const stdin = &gConsole;
FILE* const stdout = &gConsole;
FILE* const stderr = &gConsole;
