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
