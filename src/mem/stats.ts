/**
 * Memory statistics on every engine, filled into an object the caller owns: exact VM counters on the XS host and
 * the RP2040 image, Moddable's Instrumentation on a device, the closest honest figures on Node — `source` and
 * `exact` say which.
 */
import { engine, MEMORY_FIELD_COUNT, MemoryField, type EngineName } from "../engine/index.js";

export type MemorySource = "xs-host" | "rp2040" | "moddable-instrumentation" | "node-estimate";

const SOURCES: Readonly<Record<EngineName, MemorySource>> = Object.freeze({
  xs: "xs-host",
  rp2040: "rp2040",
  moddable: "moddable-instrumentation",
  node: "node-estimate",
});

export class MemoryStats {
  source: MemorySource = "node-estimate";
  /** True when the figures are the VM's own exact counters. */
  exact = false;
  chunkBytesUsed = 0;
  chunkBytesPeak = 0;
  chunkBytesReserved = 0;
  /** Slot figures are -1 where the engine has no slots (Node). */
  slotsUsed = 0;
  slotsPeak = 0;
  slotsReserved = 0;
  slotBytes = 0;
  gcCount = 0;
  /** Collections in the host's current instrumentation interval where it keeps no total (Moddable), else -1. */
  gcRecent = -1;
  stackPeak = 0;
  stackReserved = 0;
  /** Chunk bytes plus slots at their device size: what the VM holds of its budget. */
  deviceBytesUsed = 0;
  readonly #scratch = new Float64Array(MEMORY_FIELD_COUNT);

  /** Refreshes every field from the installed engine, in place, without allocating. */
  read(): this {
    const host = engine();
    const f = this.#scratch;
    host.readMemory(f);
    this.source = SOURCES[host.name];
    this.exact = host.exactMemory;
    this.chunkBytesUsed = f[MemoryField.chunkBytesUsed] ?? -1;
    this.chunkBytesPeak = f[MemoryField.chunkBytesPeak] ?? -1;
    this.chunkBytesReserved = f[MemoryField.chunkBytesReserved] ?? -1;
    this.slotsUsed = f[MemoryField.slotsUsed] ?? -1;
    this.slotsPeak = f[MemoryField.slotsPeak] ?? -1;
    this.slotsReserved = f[MemoryField.slotsReserved] ?? -1;
    this.slotBytes = f[MemoryField.slotBytes] ?? 0;
    this.gcCount = f[MemoryField.gcCount] ?? -1;
    this.gcRecent = f[MemoryField.gcRecent] ?? -1;
    this.stackPeak = f[MemoryField.stackPeak] ?? -1;
    this.stackReserved = f[MemoryField.stackReserved] ?? -1;
    this.deviceBytesUsed = this.chunkBytesUsed + (this.slotsUsed > 0 ? this.slotsUsed * this.slotBytes : 0);
    return this;
  }
}

/** Fills `into` with the current figures (one call, every engine) and returns it. */
export function readMemoryStats(into: MemoryStats): MemoryStats {
  return into.read();
}
