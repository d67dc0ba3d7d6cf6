/* stillheap-xs: runs one ES module on the XS engine with a fixed memory budget and reports what it used.
 * The user-facing interface is `stillheap xs` (tools/cli/xs.ts), which computes these flags from boards/. */
#include "host.h"

typedef struct {
	const char* entry;
	const char* board;
	const char* modules;
	const char* report;
	size_t budget;
	long chunk, chunkGrow, slots, slotsGrow, stack, keys;
	int preloaded;
} Options;

static Options gOptions = { NULL, "custom", NULL, NULL, 0, 8 << 20, 0, 256 << 10, 0, 4096, 4096, 0 };
static int gEntryFailed = 0;
static int gUnhandledRejections = 0;

const char* hostEntryPath(void) { return gOptions.entry; }

static const char* abortReason(int status)
{
	switch (status) {
	case HOST_STACK_OVERFLOW_EXIT: return "stack overflow";
#if XS_MAJOR_VERSION >= 14
	case XS_NATIVE_STACK_OVERFLOW_EXIT: return "native stack overflow";
#endif
	case XS_NOT_ENOUGH_MEMORY_EXIT: return "not enough memory";
	case XS_NO_MORE_KEYS_EXIT: return "not enough keys";
	case XS_FATAL_CHECK_EXIT: return "fatal check";
	case XS_UNHANDLED_EXCEPTION_EXIT: return "unhandled exception";
	case XS_TOO_MUCH_COMPUTATION_EXIT: return "too much computation";
	default: return "engine abort";
	}
}

/* Prints what ran out without allocating in the exhausted machine. */
static void reportExhaustion(txMachine* the, int status)
{
	const char* kind = budgetRefusedKind();
	fprintf(stderr, "stillheap-xs: %s while running %s\n", abortReason(status), gOptions.entry);
	if (status == XS_NOT_ENOUGH_MEMORY_EXIT && kind)
		fprintf(stderr, "  ran out of: %s (growth of %zu bytes refused)\n", kind, budgetRefusedBytes());
	if (status == HOST_STACK_OVERFLOW_EXIT)
		fprintf(stderr, "  ran out of: stack (%ld slots; peak %ld)\n",
			(long)(the->stackTop - the->stackBottom), (long)(the->stackTop - the->stackPeak));
	fprintf(stderr, "  budget: %zu bytes (board %s), charged %zu, peak %zu (slots at %d bytes; built-ins, %zu bytes, "
		"uncharged as in a device's flash)\n", budgetLimit(), gOptions.board, budgetReserved(), budgetPeak(),
		DEVICE_SLOT_BYTES, budgetUncharged());
	fprintf(stderr, "  chunks: used %ld, peak %ld, reserved %ld bytes\n",
		(long)the->currentChunksSize, (long)the->peakChunksSize, (long)the->maximumChunksSize);
	fprintf(stderr, "  slots: used %ld, peak %ld, reserved %ld\n",
		(long)the->currentHeapCount, (long)the->peakHeapCount, (long)the->maximumHeapCount);
}

void fxAbort(txMachine* the, int status)
{
	if (status == XS_UNHANDLED_REJECTION_EXIT) {
		gUnhandledRejections++;
		fprintf(stderr, "stillheap-xs: unhandled rejection: %s\n", fxToString(the, &mxException));
		mxException = mxUndefined;
		return;
	}
	if (status == XS_NOT_ENOUGH_MEMORY_EXIT || status == HOST_STACK_OVERFLOW_EXIT)
		reportExhaustion(the, status);
	else
		fprintf(stderr, "stillheap-xs: %s while running %s\n", abortReason(status), gOptions.entry);
	if (!the->abortStatus)
		the->abortStatus = status;
	fxExitToHost(the);
}

void fxQueuePromiseJobs(txMachine* the)
{
	the->promiseJobs = 1;
}

static void entryFulfilled(xsMachine* the)
{
}

static void entryRejected(xsMachine* the)
{
	gEntryFailed = 1;
	if (loaderParseFailed() || loaderResolveFailed())
		return; /* the loader already printed file:line or the unresolved import */
	xsVars(1);
	xsVar(0) = xsArg(0);
	fprintf(stderr, "stillheap-xs: uncaught %s\n", xsToString(xsVar(0)));
	if (xsIsInstanceOf(xsVar(0), xsErrorPrototype) && xsHas(xsVar(0), xsID("stack"))) {
		xsVar(0) = xsGet(xsVar(0), xsID("stack"));
		if (xsTypeOf(xsVar(0)) == xsStringType)
			fprintf(stderr, "%s\n", xsToString(xsVar(0)));
	}
}

/* import(entry).then(fulfilled, rejected), as xsnap does. */
static void runEntry(txMachine* the, const char* path)
{
	txSlot* realm = mxProgram.value.reference->next->value.module.realm;
	mxPushStringC((txString)path);
#if XS_MAJOR_VERSION >= 17
	mxPushUndefined(); /* the import's options */
	fxRunImport(the, realm, C_NULL);
#else
	fxRunImport(the, realm, XS_NO_ID);
#endif
	mxDub();
	fxGetID(the, mxID(_then));
	mxCall();
	fxNewHostFunction(the, entryFulfilled, 1, XS_NO_ID, XS_NO_ID);
	fxNewHostFunction(the, entryRejected, 1, XS_NO_ID, XS_NO_ID);
	mxRunCount(2);
	mxPop();
}

static void drainJobs(txMachine* the)
{
	do {
		while (the->promiseJobs) {
			the->promiseJobs = 0;
			fxRunPromiseJobs(the);
		}
		fxEndJob(the);
	} while (the->promiseJobs);
	fxCheckUnhandledRejections(the, 1);
}

/* Runs the entry under an outermost jump that fxAbort's fxExitToHost lands on. */
static void runGuarded(txMachine* machine, const char* path)
{
	xsJump outer;
	outer.nextJump = machine->firstJump;
	outer.stack = machine->stack;
	outer.scope = machine->scope;
	outer.frame = machine->frame;
	outer.environment = NULL;
	outer.code = machine->code;
	outer.flag = 0;
	machine->firstJump = &outer;
	if (setjmp(outer.buffer) == 0) {
		xsBeginHost(machine);
		{
			hostDefineGlobals(the, gOptions.board);
			runEntry(the, path);
		}
		xsEndHost(machine);
		drainJobs(machine);
	}
	machine->stack = outer.stack;
	machine->scope = outer.scope;
	machine->frame = outer.frame;
	machine->code = outer.code;
	machine->firstJump = outer.nextJump;
}

static int exitStatus(txMachine* machine)
{
	switch (machine->abortStatus) {
	case 0: break;
	case XS_NOT_ENOUGH_MEMORY_EXIT: return EXIT_OUT_OF_MEMORY;
	case HOST_STACK_OVERFLOW_EXIT: return EXIT_STACK_OVERFLOW;
	default: return EXIT_ABORT;
	}
	if (loaderParseFailed() || loaderResolveFailed())
		return EXIT_LOAD;
	return (gEntryFailed || gUnhandledRejections) ? EXIT_UNCAUGHT : EXIT_OK;
}

static void writeReport(txMachine* machine)
{
	if (!gOptions.report)
		return;
	FILE* out = fopen(gOptions.report, "w");
	if (!out) {
		fprintf(stderr, "stillheap-xs: cannot write the report %s: %s\n", gOptions.report, strerror(errno));
		return;
	}
	fprintf(out, "{\"engine\":\"xs\",\"xsVersion\":\"%d.%d.%d\",\"board\":\"%s\",\"slotsUsed\":%ld,\"slotsPeak\":%ld,\"slotsReserved\":%ld,"
		"\"chunkBytesUsed\":%ld,\"chunkBytesPeak\":%ld,\"chunkBytesReserved\":%ld,\"gcCount\":%lu,"
		"\"stackPeak\":%ld,\"stackReserved\":%ld,\"budgetBytes\":%zu,\"budgetPeakBytes\":%zu,\"builtinBytes\":%zu,",
		XS_MAJOR_VERSION, XS_MINOR_VERSION, XS_PATCH_VERSION, gOptions.board, (long)machine->currentHeapCount, (long)machine->peakHeapCount,
		(long)machine->maximumHeapCount, (long)machine->currentChunksSize, (long)machine->peakChunksSize,
		(long)machine->maximumChunksSize, hostGcCount(machine), (long)(machine->stackTop - machine->stackPeak),
		(long)(machine->stackTop - machine->stackBottom), budgetLimit(), budgetPeak(), budgetUncharged());
	if (machine->abortStatus)
		fprintf(out, "\"abort\":\"%s\"}\n", abortReason(machine->abortStatus));
	else
		fprintf(out, "\"abort\":null}\n");
	fclose(out);
}

static const char* USAGE =
	"usage: stillheap-xs [--board NAME] [--budget BYTES] [--chunk BYTES] [--chunk-grow BYTES]\n"
	"                    [--slots N] [--slots-grow N] [--stack N] [--keys N] [--modules FILE] [--report FILE]\n"
	"                    [--preloaded] entry.js | --version\n"
	"Grow sizes of 0 make a heap fixed; a budget of 0 is unlimited. Use `stillheap xs`, which sets these from boards/.\n";

static int numberFlag(const char* flag, const char* value, long* into)
{
	char* end = NULL;
	long number = value ? strtol(value, &end, 10) : -1;
	if (!value || *end || number < 0) {
		fprintf(stderr, "stillheap-xs: %s needs a non-negative integer, got \"%s\"\n%s", flag, value ? value : "", USAGE);
		return 0;
	}
	*into = number;
	return 1;
}

static int parseOptions(int argc, char* argv[])
{
	const struct { const char* flag; long* into; } numbers[] = {
		{ "--chunk", &gOptions.chunk }, { "--chunk-grow", &gOptions.chunkGrow },
		{ "--slots", &gOptions.slots }, { "--slots-grow", &gOptions.slotsGrow },
		{ "--stack", &gOptions.stack }, { "--keys", &gOptions.keys },
	};
	for (int i = 1; i < argc; i++) {
		const char* arg = argv[i];
		const char* value = (i + 1 < argc) ? argv[i + 1] : NULL;
		int known = 0;
		for (size_t n = 0; n < sizeof(numbers) / sizeof(numbers[0]); n++) {
			if (strcmp(arg, numbers[n].flag))
				continue;
			if (!numberFlag(arg, value, numbers[n].into))
				return 0;
			known = 1;
		}
		long budget = 0;
		if (known) { i++; continue; }
		if (!strcmp(arg, "--budget")) {
			if (!numberFlag(arg, value, &budget)) return 0;
			gOptions.budget = (size_t)budget;
		}
		else if (!strcmp(arg, "--board") && value) gOptions.board = value;
		else if (!strcmp(arg, "--modules") && value) gOptions.modules = value;
		else if (!strcmp(arg, "--report") && value) gOptions.report = value;
		else if (!strcmp(arg, "--preloaded")) { gOptions.preloaded = 1; continue; }
		else if (!strcmp(arg, "--version")) {
			printf("XS %d.%d.%d\n", XS_MAJOR_VERSION, XS_MINOR_VERSION, XS_PATCH_VERSION);
			exit(EXIT_OK);
		}
		else if (arg[0] != '-' && !gOptions.entry) { gOptions.entry = arg; continue; }
		else { fprintf(stderr, "stillheap-xs: unexpected argument \"%s\"\n%s", arg, USAGE); return 0; }
		i++;
	}
	if (!gOptions.entry) { fputs(USAGE, stderr); return 0; }
	return 1;
}

/* The machine's first reservation must fit the budget: XS does not check the stack allocation. */
static int creationFits(void)
{
	size_t initial = (size_t)gOptions.chunk + (size_t)(gOptions.slots + gOptions.stack) * DEVICE_SLOT_BYTES;
	if (!gOptions.budget || initial + 4096 <= gOptions.budget)
		return 1;
	fprintf(stderr, "stillheap-xs: the initial heaps (%zu bytes with slots at %d bytes) do not fit the budget of %zu "
		"bytes: lower --chunk/--slots/--stack or raise --budget\n", initial, DEVICE_SLOT_BYTES, gOptions.budget);
	return 0;
}

int main(int argc, char* argv[])
{
	char entry[C_PATH_MAX];
	if (!parseOptions(argc, argv) || !creationFits())
		return EXIT_USAGE;
	if (!realpath(gOptions.entry, entry)) {
		fprintf(stderr, "stillheap-xs: cannot find %s: %s\n", gOptions.entry, strerror(errno));
		return EXIT_LOAD;
	}
	if (gOptions.modules && !loaderReadMap(gOptions.modules))
		return EXIT_USAGE;
	budgetConfigure(gOptions.budget,
		(size_t)gOptions.chunk + (size_t)(gOptions.slots + gOptions.stack) * DEVICE_SLOT_BYTES);
	hostResetGcCount();
	xsCreation creation = {
		(xsIntegerValue)gOptions.chunk, (xsIntegerValue)gOptions.chunkGrow,
		(xsIntegerValue)gOptions.slots, (xsIntegerValue)gOptions.slotsGrow,
		(xsIntegerValue)gOptions.stack, (xsIntegerValue)gOptions.keys, 0,
		1993, 127, 256 * 1024, 1993, 0,
	};
	xsMachine* machine = xsCreateMachine(&creation, "stillheap", NULL);
	if (!machine) {
		fprintf(stderr, "stillheap-xs: cannot create the XS machine with these sizes\n");
		return EXIT_OUT_OF_MEMORY;
	}
	budgetMachineCreated();
	if (gOptions.preloaded)
		budgetDeferUntilPreloaded(); /* until the entry calls xshost.preloaded() */
	runGuarded(machine, entry);
	int status = exitStatus(machine);
	writeReport(machine);
	xsDeleteMachine(machine);
	return status;
}
