/**
 * The engine underneath: clock, memory counters, collector, text out. Hosts install one at boot; firmware code asks
 * for it here instead of reaching for Node, XS or device globals.
 */

export type EngineName = "node" | "xs" | "rp2040" | "moddable";

/** Index of each counter in the Float64Array that `readMemory` fills. Hosts write exactly this layout. */
export const MemoryField = Object.freeze({
  chunkBytesUsed: 0,
  chunkBytesPeak: 1,
  chunkBytesReserved: 2,
  slotsUsed: 3,
  slotsPeak: 4,
  slotsReserved: 5,
  /** Bytes of one slot on this engine (32 on a 64-bit host, 16 on the device). */
  slotBytes: 6,
  gcCount: 7,
  /** Deepest JS stack use seen, in slots. */
  stackPeak: 8,
  stackReserved: 9,
  /**
   * Collections in the host's current instrumentation interval, where the host resets its count at every sample
   * (Moddable's -d/-i builds, once a second) and so keeps no total (gcCount reads -1 there); -1 elsewhere.
   */
  gcRecent: 10,
});

export const MEMORY_FIELD_COUNT = 11;

export interface Engine {
  readonly name: EngineName;
  /** True where the counters are the VM's own and exact (XS host, RP2040); false where they are estimates. */
  readonly exactMemory: boolean;
  /** Monotonic time in microseconds. */
  nowMicros(): number;
  /** Fills `into` (length ≥ MEMORY_FIELD_COUNT) in the MemoryField layout without allocating. */
  readMemory(into: Float64Array): void;
  /** Runs a full garbage collection. */
  collectGarbage(): void;
  /** Writes one line of text to the host's output. */
  print(text: string): void;
}

export class EngineNotInstalledError extends Error {
  override name = "EngineNotInstalledError";
  constructor() {
    super("no engine installed: call installEngine() from the host's entry point before using stillheap");
  }
}

/*
 * The installed engine lives on the global object, not in a module variable: on a Moddable device this module is
 * preloaded into flash, where a writable module variable needs an alias in RAM (xsl warns "no const"); a property
 * the host adds to the global object at run time does not.
 */
declare global {
  var stillheapEngine: Engine | undefined;
}

/** Called once by a host at boot; a later call replaces the engine (tests only). */
export function installEngine(engine: Engine): void {
  globalThis.stillheapEngine = engine;
}

export function engine(): Engine {
  const current = globalThis.stillheapEngine;
  if (current === undefined) throw new EngineNotInstalledError();
  return current;
}

export function hasEngine(): boolean {
  return globalThis.stillheapEngine !== undefined;
}

/** Thrown by expectNoAllocation when the counters moved, and by expectAllocationAtMost past its bound. */
export class AllocationError extends Error {
  override name = "AllocationError";
}

export interface AllocationGuardOptions {
  /** Iterations run before measuring, so lazy setup and caches settle (default 100). */
  readonly warmup?: number;
  /** Iterations measured; the counters must not move across them (default 10,000). */
  readonly iterations?: number;
}

/** What moved between two readings, or undefined when nothing did. */
function allocationMoved(before: Float64Array, after: Float64Array): string | undefined {
  const slots = (after[MemoryField.slotsUsed] ?? 0) - (before[MemoryField.slotsUsed] ?? 0);
  const chunks = (after[MemoryField.chunkBytesUsed] ?? 0) - (before[MemoryField.chunkBytesUsed] ?? 0);
  const gcs = (after[MemoryField.gcCount] ?? 0) - (before[MemoryField.gcCount] ?? 0);
  if (slots === 0 && chunks === 0 && gcs === 0) return undefined;
  return `slots ${slots >= 0 ? "+" : ""}${slots}, chunk bytes ${chunks >= 0 ? "+" : ""}${chunks}, GC cycles +${gcs}`;
}

/**
 * The allocation guard, for a user's tests as for stillheap's own: runs `body` `warmup` times, collects garbage,
 * runs it `iterations` times and throws an AllocationError unless slots, chunk bytes and the collection count are
 * exactly unchanged. Exact only where the engine's counters are (`engine().exactMemory`: the XS host, the RP2040
 * image); elsewhere the body still runs and the answer is "not measured" (report the test skipped, not passed).
 */
export function expectNoAllocation(body: (iteration: number) => void,
  options: AllocationGuardOptions = {}): "measured" | "not measured" {
  const warmup = options.warmup ?? 100;
  const iterations = options.iterations ?? 10_000;
  const host = engine();
  // Read buffers made here, not at module level: a preloaded module's typed arrays are frozen in flash.
  const before = new Float64Array(MEMORY_FIELD_COUNT);
  const after = new Float64Array(MEMORY_FIELD_COUNT);
  for (let i = 0; i < warmup; i++) body(i);
  if (!host.exactMemory) {
    for (let i = 0; i < iterations; i++) body(warmup + i);
    return "not measured";
  }
  host.collectGarbage();
  host.readMemory(before);
  for (let i = 0; i < iterations; i++) body(warmup + i);
  host.readMemory(after);
  const moved = allocationMoved(before, after);
  if (moved !== undefined) throw new AllocationError(`allocated during ${iterations} measured iterations on ${host.name}: ${moved}`);
  return "measured";
}
