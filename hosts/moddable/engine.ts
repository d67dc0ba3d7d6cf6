/**
 * The Engine on a Moddable board: memory figures from Instrumentation (debug `-d` and instrumented `-i` builds;
 * elsewhere they read -1), the collector from the debug module, text out through trace().
 *
 * What Instrumentation gives, as the SDK's hosts compute it: slot and stack figures in bytes (a slot is 16 bytes on
 * the 32-bit devices, 32 on a 64-bit desktop: `config.xsSlotBytes`), and a collection count the host resets at every
 * instrumentation sample (once a second), so no total since boot exists: `gcCount` reads -1 and `gcRecent` carries
 * the collections of the current interval.
 */
import Debug from "debug";
import Instrumentation from "instrumentation";
import config from "mc/config";
import { installEngine, MemoryField, type Engine } from "../../src/engine/index.js";

const NAMES = Object.freeze(["XS Chunk Heap Used", "XS Slot Heap Used", "XS Garbage Collection Count", "XS Stack Used"] as const);
const CHUNKS = 0;
const SLOTS = 1;
const GC = 2;
const STACK = 3;

/** Reads the SDK's counters; built once by installModdableEngine(), so nothing here runs in a preloaded module. */
class ModdableEngine implements Engine {
  readonly name = "moddable";
  readonly #indices = new Int32Array(NAMES.length).fill(-1);
  readonly #slotBytes: number;
  readonly #bootMs = Date.now();

  constructor(slotBytes: number) {
    this.#slotBytes = slotBytes;
    for (let i = 0; i < NAMES.length; i++) this.#indices[i] = Instrumentation.map(NAMES[i] ?? "XS Slot Heap Used") ?? -1;
  }

  /** Exact where the build has the XS counters (debug and instrumented builds). */
  get exactMemory(): boolean {
    return (this.#indices[SLOTS] ?? -1) >= 0;
  }

  nowMicros(): number {
    return (Date.now() - this.#bootMs) * 1000;
  }

  readMemory(into: Float64Array): void {
    into.fill(-1);
    const slotBytes = this.#slotBytes;
    const slotHeap = this.#counter(SLOTS);
    const stack = this.#counter(STACK);
    into[MemoryField.chunkBytesUsed] = this.#counter(CHUNKS);
    into[MemoryField.slotsUsed] = slotHeap < 0 ? -1 : slotHeap / slotBytes;
    into[MemoryField.slotBytes] = slotBytes;
    into[MemoryField.gcRecent] = this.#counter(GC);
    into[MemoryField.stackPeak] = stack < 0 ? -1 : stack / slotBytes;
  }

  collectGarbage(): void {
    Debug.gc();
  }

  print(text: string): void {
    trace(text, "\n");
  }

  #counter(which: number): number {
    const index = this.#indices[which] ?? -1;
    return index < 0 ? -1 : Instrumentation.get(index) ?? -1;
  }
}

/** Slot size of this build's XS: the manifest's `config.xsSlotBytes` (16 on the devices' 32-bit cores). */
function slotBytes(): number {
  const value = Number(config.xsSlotBytes ?? 16);
  if (value !== 16 && value !== 32) throw new RangeError(`config.xsSlotBytes is ${value}: expected 16 (32-bit) or 32 (64-bit)`);
  return value;
}

export function installModdableEngine(): Engine {
  const engine = new ModdableEngine(slotBytes());
  installEngine(engine);
  return engine;
}
