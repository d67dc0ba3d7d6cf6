import { AllocationError, engine, expectNoAllocation as guard, MEMORY_FIELD_COUNT, MemoryField,
  type AllocationGuardOptions } from "../../src/engine/index.js";
import { AssertionError } from "./assert.js";
import { skipBecause } from "./engines.js";

/**
 * stillheap's exported guard (`expectNoAllocation` of src/engine) as a mocha test uses it: an allocation is an
 * AssertionError, and an engine without exact counters reports the test skipped as "not measured", not passed.
 */
export function expectNoAllocation(
  context: Mocha.Context,
  body: (iteration: number) => void,
  options: AllocationGuardOptions = {},
): void {
  try {
    if (guard(body, options) === "measured") return;
  } catch (error: unknown) {
    if (error instanceof AllocationError) throw new AssertionError(error.message);
    throw error;
  }
  skipBecause(context, "allocation not measured: this engine has no exact counters; the xs line measures it");
}

const before = new Float64Array(MEMORY_FIELD_COUNT);
const after = new Float64Array(MEMORY_FIELD_COUNT);

export interface AllocationBound {
  /** Most slots and chunk bytes one iteration may allocate. */
  readonly slots: number;
  readonly chunkBytes: number;
}

/**
 * For paths that do allocate, by design: runs `body` `iterations` times with no collection in between and fails
 * unless each iteration allocates at most `bound`, and unless a collection afterwards gives all of it back (nothing
 * retained). Returns the measured cost per iteration. Exact only on engines with exact counters, like the guard.
 */
export function expectAllocationAtMost(
  context: Mocha.Context,
  body: (iteration: number) => void,
  bound: AllocationBound,
  iterations = 100,
): { slots: number; chunkBytes: number } {
  const host = engine();
  for (let i = 0; i < 10; i++) body(i);
  if (!host.exactMemory) {
    for (let i = 0; i < iterations; i++) body(i);
    skipBecause(context, "allocation not measured: this engine has no exact counters; the xs line measures it");
  }
  host.collectGarbage();
  host.readMemory(before);
  for (let i = 0; i < iterations; i++) body(i);
  host.readMemory(after);
  const gcs = (after[MemoryField.gcCount] ?? 0) - (before[MemoryField.gcCount] ?? 0);
  if (gcs !== 0) throw new AssertionError(`a collection ran during the measurement (${gcs}): lower the iterations`);
  const slots = ((after[MemoryField.slotsUsed] ?? 0) - (before[MemoryField.slotsUsed] ?? 0)) / iterations;
  const chunkBytes = ((after[MemoryField.chunkBytesUsed] ?? 0) - (before[MemoryField.chunkBytesUsed] ?? 0)) / iterations;
  if (slots > bound.slots || chunkBytes > bound.chunkBytes) {
    throw new AssertionError(`each iteration allocated ${slots} slots and ${chunkBytes} chunk bytes; the bound is ` +
      `${bound.slots} slots and ${bound.chunkBytes} bytes`);
  }
  host.collectGarbage();
  host.readMemory(after);
  const kept = (after[MemoryField.slotsUsed] ?? 0) - (before[MemoryField.slotsUsed] ?? 0);
  const keptBytes = (after[MemoryField.chunkBytesUsed] ?? 0) - (before[MemoryField.chunkBytesUsed] ?? 0);
  if (kept > 0 || keptBytes > 0) throw new AssertionError(`retained after a collection: ${kept} slots, ${keptBytes} chunk bytes`);
  return { slots, chunkBytes };
}
