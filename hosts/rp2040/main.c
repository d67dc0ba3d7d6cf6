/* stillheap on bare-metal RP2040: clocks, UART console, timer, GPIO and I2C up; one XS machine; the firmware entry
 * module's bytecode run from flash; then the main loop — edge flags, console input and due timers handed to JS,
 * promise jobs drained, WFI until the next deadline or interrupt. Out of memory is reported over the UART and the
 * chip restarts. */
#include "xsAll.h"
#include "xs.h"
#include "hardware.h"
#include "modules.h"
#include <malloc.h>

extern char __heap_start[], __heap_end[], __flash_text_end[], __stack_bottom[], __stack_top[];
void hostDefineGlobals(xsMachine* the);
int linkModules(xsMachine* the);

/* Sizes for the Pico: the XS machine lives in the malloc arena (all SRAM between .bss and the 16 KB C stack). The
 * initial heaps hold the engine and the gateway's modules, so booting does not collect at every small growth. */
static xsCreation gCreation = {
	32 * 1024,  /* initialChunkSize */
	1024,       /* incrementalChunkSize: small steps, so the arena's last KB can be used (as Moddable's Pico build) */
	12 * 1024,  /* initialHeapCount: slots of 16 bytes; about what the gateway holds once running */
	128,        /* incrementalHeapCount: 2 KB steps, for the same reason */
	768,        /* stackCount: slots; the one bundled module's body is a frame with every module's top-level bindings
	             * (the deepest use measured: 517 slots, the memory line's stack=; each slot less is 16 bytes more arena) */
	512,        /* initialKeyCount: raised at boot to the keys the bytecode links with */
	64,         /* incrementalKeyCount */
	127,        /* nameModulo */
	127,        /* symbolModulo */
	8 * 1024,   /* parserBufferSize */
	127,        /* parserTableModulo */
	0,
};

static const char* abortReason(int status)
{
	switch (status) {
	case XS_STACK_OVERFLOW_EXIT: return "stack overflow";
	case XS_NOT_ENOUGH_MEMORY_EXIT: return "out of memory";
	case XS_NO_MORE_KEYS_EXIT: return "out of keys";
	case XS_UNHANDLED_EXCEPTION_EXIT: return "unhandled exception";
	case XS_UNHANDLED_REJECTION_EXIT: return "unhandled rejection";
	default: return "engine abort";
	}
}

void fxAbort(txMachine* the, int status)
{
	if (status == XS_STACK_OVERFLOW_EXIT) /* recoverable: a RangeError the firmware can catch */
		mxRangeError("stack overflow");
	if (status == XS_UNHANDLED_REJECTION_EXIT) {
		printf("[rp2040] unhandled rejection\n");
		return;
	}
	struct mallinfo info = mallinfo();
	printf("\n[rp2040] fatal: %s (chunks %ld bytes, slots %ld, malloc arena %u of %u bytes); restarting\n",
		abortReason(status), (long)the->currentChunksSize, (long)the->currentHeapCount,
		(unsigned)info.uordblks, (unsigned)(__heap_end - __heap_start));
	systemReset();
}

void fxQueuePromiseJobs(txMachine* the)
{
	the->promiseJobs = 1;
}

static void drainJobs(txMachine* the)
{
	while (the->promiseJobs) {
		the->promiseJobs = 0;
		fxRunPromiseJobs(the);
	}
}

static int gEntryFailed = 0;
static uint32_t gUncaught = 0;

/* Stops for good: restarting would fail the same way, and the reason stays the last line on the console. */
static void halt(const char* why)
{
	printf("[rp2040] halted: %s\n", why);
	for (;;)
		__asm__ volatile ("wfi");
}

static void entryLoaded(xsMachine* the)
{
}

static void entryFailed(xsMachine* the)
{
	printf("[rp2040] the entry %s failed: %s\n", gEntryPath, xsToString(xsArg(0)));
	gEntryFailed = 1;
}

/* import(entry).then(entryLoaded, entryFailed): loading and evaluation run as promise jobs. */
static void importEntry(xsMachine* the)
{
	txSlot* realm = mxProgram.value.reference->next->value.module.realm;
	mxPushStringC((txString)gEntryPath);
	fxRunImport(the, realm, XS_NO_ID);
	mxDub();
	fxGetID(the, mxID(_then));
	mxCall();
	fxNewHostFunction(the, entryLoaded, 1, XS_NO_ID, XS_NO_ID);
	fxNewHostFunction(the, entryFailed, 1, XS_NO_ID, XS_NO_ID);
	mxRunCount(2);
	mxPop();
}

/* Calls globalThis.rp2040Service(edges, received): runs onReadable handlers, reads the console's input, runs due
 * timers, returns the next deadline (µs). */
static double service(xsMachine* the, uint32_t edges, uint32_t received)
{
	double next = -1;
	xsBeginHost(the);
	{
		xsTry {
			xsResult = xsCall2(xsGlobal, xsID("rp2040Service"), xsNumber(edges), xsInteger((xsIntegerValue)received));
			next = xsToNumber(xsResult);
		}
		xsCatch {
			gUncaught++;
			printf("[rp2040] uncaught in the main loop (%lu so far): %s\n", (unsigned long)gUncaught, xsToString(xsException));
			xsException = xsUndefined;
		}
	}
	xsEndHost(the);
	drainJobs(the);
	return next;
}

int main(void)
{
	clocksInit();
	uartInit();
	timerInit();
	gpioInit();
	uint64_t bootUs = timerMicros();
	printf("[rp2040] stillheap: flash image %u bytes, heap arena %u bytes, C stack %u bytes\n",
		(unsigned)(__flash_text_end - (char*)0x10000000), (unsigned)(__heap_end - __heap_start),
		(unsigned)(__stack_top - __stack_bottom));
	gCreation.initialKeyCount = (xsIntegerValue)(gLinkKeyBase + gLinkNameCount + gModuleCount + 64);
	xsMachine* the = xsCreateMachine(&gCreation, "stillheap", NULL);
	if (!the) {
		printf("[rp2040] fatal: the XS machine does not fit the heap arena; restarting\n");
		systemReset();
	}
	if (!linkModules(the))
		halt("the bytecode does not match this engine");
	/* Left for the application: the arena not yet claimed from malloc, plus what the engine's heaps reserve unused. */
	struct mallinfo info = mallinfo();
	long engineBytes = (long)the->currentHeapCount * 16 + (long)the->currentChunksSize;
	long leftBytes = (long)((__heap_end - __heap_start) - info.uordblks)
		+ (long)(the->maximumHeapCount - the->currentHeapCount) * 16 + (long)(the->maximumChunksSize - the->currentChunksSize);
	printf("[rp2040] XS machine in %lu us; the engine holds %ld bytes (%ld slots, %ld chunk bytes), %ld left for the application\n",
		(unsigned long)(timerMicros() - bootUs), engineBytes, (long)the->currentHeapCount, (long)the->currentChunksSize, leftBytes);
	xsBeginHost(the);
	{
		xsTry {
			hostDefineGlobals(the);
			importEntry(the);
		}
		xsCatch {
			printf("[rp2040] the entry %s failed: %s\n", gEntryPath, xsToString(xsException));
			gEntryFailed = 1;
		}
	}
	xsEndHost(the);
	drainJobs(the);
	if (gEntryFailed)
		halt("the firmware entry failed to load (see above); fix it and flash again");
	for (;;) {
		double next = service(the, gpioTakeEdges(), uartReceived());
		uint64_t now = timerMicros();
		uint64_t deadline = (next < 0) ? now + 1000000 : (uint64_t)next;
		timerWaitUntil(deadline);
	}
}
