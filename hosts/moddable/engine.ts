/**
 * The Engine on a Moddable board: memory figures from Instrumentation (debug `-d` and instrumented `-i` builds;
 * elsewhere the counters read -1), the collector from the debug module, text out through trace().
 */
import Debug from "debug";
import Instrumentation from "instrumentation";
import Timer from "timer";
import { installEngine, MemoryField, type Engine } from "../../src/engine/index.js";

const NAMES = ["XS Chunk Heap Used", "XS Slot Heap Used", "XS Garbage Collection Count", "XS Stack Used"] as const;

/** Instrumentation indices, looked up once at install. */
const indices = new Int32Array(NAMES.length).fill(-1);

function counter(slot: number): number {
  const index = indices[slot] ?? -1;
  return index < 0 ? -1 : Instrumentation.get(index) ?? -1;
}

let bootMs = -1;

export const moddableEngine: Engine = Object.freeze({
  name: "moddable",
  /** Exact where the build has the XS counters (debug and instrumented builds). */
  get exactMemory(): boolean {
    return (indices[1] ?? -1) >= 0;
  },
  nowMicros(): number {
    if (bootMs < 0) bootMs = Date.now();
    return (Date.now() - bootMs) * 1000;
  },
  readMemory(into: Float64Array): void {
    into.fill(-1);
    into[MemoryField.chunkBytesUsed] = counter(0);
    into[MemoryField.slotsUsed] = counter(1) < 0 ? -1 : counter(1) / 16; // Instrumentation reports slot bytes
    into[MemoryField.slotBytes] = 16;
    into[MemoryField.gcCount] = counter(2);
    into[MemoryField.stackPeak] = counter(3);
  },
  collectGarbage(): void {
    Debug.gc();
  },
  print(text: string): void {
    trace(text, "\n");
  },
});

export function installModdableEngine(): void {
  NAMES.forEach((name, i) => (indices[i] = Instrumentation.map(name) ?? -1));
  installEngine(moddableEngine);
}

export { Timer };
