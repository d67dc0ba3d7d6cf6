/* The `xshost` global: clock, memory counters read without allocating, collector, output. */
#include "host.h"

static void writeLine(xsMachine* the, FILE* out)
{
	fputs(xsToString(xsArg(0)), out);
	fputc('\n', out);
	fflush(out);
}

static void xshost_print(xsMachine* the) { writeLine(the, stdout); }
static void xshost_printError(xsMachine* the) { writeLine(the, stderr); }

static void xshost_nowMicros(xsMachine* the)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	xsResult = xsNumber((double)now.tv_sec * 1e6 + (double)now.tv_nsec / 1e3);
}

/* Process CPU time: what benchmarks time with, so other processes on a busy machine do not count against the run. */
static void xshost_cpuMicros(xsMachine* the)
{
	struct timespec now;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
	xsResult = xsNumber((double)now.tv_sec * 1e6 + (double)now.tv_nsec / 1e3);
}

static void xshost_collect(xsMachine* the)
{
	xsCollectGarbage();
}

/* memoryInto(buffer): eleven float64 in src/engine's MemoryField order, written into the caller's ArrayBuffer. */
static void xshost_memoryInto(xsMachine* the)
{
	double fields[MEMORY_FIELD_COUNT];
	hostMemoryFields(the, DEVICE_SLOT_BYTES, fields);
	if (xsGetArrayBufferLength(xsArg(0)) < (xsIntegerValue)sizeof(fields))
		xsRangeError("xshost.memoryInto needs an ArrayBuffer of at least 88 bytes");
	xsSetArrayBufferData(xsArg(0), 0, fields, sizeof(fields));
}

/* preloaded(): the entry's imports are evaluated; with --preloaded, charging starts here. True if it did. */
static void xshost_preloaded(xsMachine* the)
{
	xsResult = xsBoolean(budgetPreloaded() ? 1 : 0);
}

static void defineFunction(xsMachine* the, const char* name, xsCallback callback, int length)
{
	xsVar(1) = xsNewHostFunction(callback, length);
	xsDefine(xsVar(0), xsID((txString)name), xsVar(1), xsDontEnum | xsDontDelete | xsDontSet);
}

void hostDefineGlobals(txMachine* the, const char* board)
{
	xsVars(2);
	xsVar(0) = xsNewObject();
	defineFunction(the, "print", xshost_print, 1);
	defineFunction(the, "printError", xshost_printError, 1);
	defineFunction(the, "nowMicros", xshost_nowMicros, 0);
	defineFunction(the, "cpuMicros", xshost_cpuMicros, 0);
	defineFunction(the, "collect", xshost_collect, 0);
	defineFunction(the, "memoryInto", xshost_memoryInto, 1);
	defineFunction(the, "preloaded", xshost_preloaded, 0);
	xsVar(1) = xsString(board);
	xsDefine(xsVar(0), xsID("board"), xsVar(1), xsDontEnum | xsDontDelete | xsDontSet);
	char version[32];
	snprintf(version, sizeof(version), "%d.%d.%d", XS_MAJOR_VERSION, XS_MINOR_VERSION, XS_PATCH_VERSION);
	xsVar(1) = xsString(version);
	xsDefine(xsVar(0), xsID("version"), xsVar(1), xsDontEnum | xsDontDelete | xsDontSet);
	xsDefine(xsGlobal, xsID("xshost"), xsVar(0), xsDontEnum);
}
