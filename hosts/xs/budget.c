/* Chunk and slot allocation for XS against a board's byte budget, as Moddable's static allocator does on the device:
 * chunk bytes + slots × 16 (stack included) may not exceed the budget; a refused growth makes XS abort with
 * "not enough memory". Each block carries a small header so freeing returns its bytes to the budget.
 * A device keeps XS's built-ins and the app's compiled modules in flash (preloaded), so what machine creation
 * reserves beyond the initial heaps, and what loading a module reserves, is not charged: the app gets the headroom
 * it would have on the board. Running the module's code is charged. */
#include "host.h"

typedef struct {
	size_t budgetBytes;
	size_t reserved; /* keeps the payload 16-byte aligned */
} BlockHeader;

static size_t gLimit = 0;
static size_t gReserved = 0;
static size_t gUncharged = 0; /* built-ins: reserved during creation beyond the initial heaps */
static size_t gInitialCharge = 0;
static int gCreating = 0;
static size_t gPeak = 0;
static const char* gRefusedKind = NULL;
static size_t gRefusedBytes = 0;

void budgetConfigure(size_t budgetBytes, size_t initialChargeBytes)
{
	gLimit = budgetBytes;
	gInitialCharge = initialChargeBytes;
	gCreating = 1;
	gUncharged = 0;
	gReserved = 0;
	gPeak = 0;
	gRefusedKind = NULL;
	gRefusedBytes = 0;
}

static size_t gLoadStart = 0;

void budgetBeginLoading(void)
{
	gCreating++;
	gLoadStart = gReserved;
}

void budgetEndLoading(void)
{
	gCreating--;
	if (gReserved > gLoadStart)
		gUncharged += gReserved - gLoadStart;
}

void budgetMachineCreated(void)
{
	gCreating = 0;
	gUncharged = (gReserved > gInitialCharge) ? gReserved - gInitialCharge : 0;
	gPeak = gReserved;
}

/* Preloaded: what the modules create when they are evaluated (functions, classes, constant tables) is in flash on a
 * device that preloads them, so nothing is charged until the entry says its imports are done. From then on the app
 * is charged its initial heaps and what it grows beyond them, as on a device whose machine is cloned at boot. */
static int gDeferred = 0;

void budgetDeferUntilPreloaded(void)
{
	gDeferred = 1;
	gCreating++;
}

int budgetPreloaded(void)
{
	if (!gDeferred)
		return 0;
	gDeferred = 0;
	gCreating--;
	gUncharged = (gReserved > gInitialCharge) ? gReserved - gInitialCharge : 0;
	gPeak = gReserved;
	return 1;
}

size_t budgetLimit(void) { return gLimit; }
size_t budgetUncharged(void) { return gUncharged; }
size_t budgetReserved(void) { return gReserved - gUncharged; }
size_t budgetPeak(void) { return gPeak - gUncharged; }
const char* budgetRefusedKind(void) { return gRefusedKind; }
size_t budgetRefusedBytes(void) { return gRefusedBytes; }

static void* take(size_t hostBytes, size_t budgetBytes, const char* kind)
{
	if (gLimit && !gCreating && (gReserved - gUncharged + budgetBytes > gLimit)) {
		gRefusedKind = kind;
		gRefusedBytes = budgetBytes;
		return NULL;
	}
	BlockHeader* header = malloc(sizeof(BlockHeader) + hostBytes);
	if (!header) {
		gRefusedKind = kind;
		gRefusedBytes = budgetBytes;
		return NULL;
	}
	header->budgetBytes = budgetBytes;
	gReserved += budgetBytes;
	if (gPeak < gReserved)
		gPeak = gReserved;
	return header + 1;
}

static void give(void* block)
{
	if (!block)
		return;
	BlockHeader* header = ((BlockHeader*)block) - 1;
	gReserved -= header->budgetBytes;
	free(header);
}

void* fxAllocateChunks(txMachine* the, txSize size)
{
	return take((size_t)size, (size_t)size, "chunks");
}

void fxFreeChunks(txMachine* the, void* chunks)
{
	give(chunks);
}

txSlot* fxAllocateSlots(txMachine* the, txSize count)
{
	return take((size_t)count * sizeof(txSlot), (size_t)count * DEVICE_SLOT_BYTES, "slots");
}

void fxFreeSlots(txMachine* the, void* slots)
{
	give(slots);
}
