/* The engine's memory counters in src/engine's MemoryField layout, shared by the Linux host and the RP2040 host. */
#ifndef STILLHEAP_XS_MEMORY_H
#define STILLHEAP_XS_MEMORY_H

#include "xsAll.h"

#define MEMORY_FIELD_COUNT 11

/* The collection count, widened past the engine's 16-bit counter. */
unsigned long hostGcCount(txMachine* the);
void hostResetGcCount(void);
/* Fills `fields` with chunk bytes (used, peak, reserved), slots (used, peak, reserved), bytes per slot, collections,
 * stack slots (peak, reserved): what the JS side's readMemory copies out without allocating. */
void hostMemoryFields(txMachine* the, int slotBytes, double fields[MEMORY_FIELD_COUNT]);

#endif
