/* Memory counters of an XS machine, read without allocating (see memory.h). */
#include "memory.h"

static unsigned long gGcHigh = 0;
static txU2 gGcLast = 0;

void hostResetGcCount(void)
{
	gGcHigh = 0;
	gGcLast = 0;
}

unsigned long hostGcCount(txMachine* the)
{
	txU2 now = the->garbageCollectionCount;
	if (now < gGcLast)
		gGcHigh += 0x10000;
	gGcLast = now;
	return gGcHigh + now;
}

void hostMemoryFields(txMachine* the, int slotBytes, double fields[MEMORY_FIELD_COUNT])
{
	fields[0] = the->currentChunksSize;
	fields[1] = the->peakChunksSize;
	fields[2] = the->maximumChunksSize;
	fields[3] = the->currentHeapCount;
	fields[4] = the->peakHeapCount;
	fields[5] = the->maximumHeapCount;
	fields[6] = slotBytes;
	fields[7] = (double)hostGcCount(the);
	fields[8] = (double)(the->stackTop - the->stackPeak);
	fields[9] = (double)(the->stackTop - the->stackBottom);
	fields[10] = -1; /* gcRecent: this host keeps a total in fields[7] */
}
