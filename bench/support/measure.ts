/** Same-engine, same-run measurement: ops/s and GC cycles of a body, read through the installed engine. */
import { engine } from "../../src/engine/index.js";
import { MemoryStats } from "../../src/mem/index.js";

export interface Measurement {
  readonly name: string;
  readonly ops: number;
  readonly micros: number;
  readonly opsPerSecond: number;
  readonly gcCycles: number;
  readonly slotsAllocatedNet: number;
}

export function measure(name: string, ops: number, body: (iteration: number) => void): Measurement {
  const stats = new MemoryStats();
  for (let i = 0; i < Math.min(ops, 1000); i++) body(i);
  engine().collectGarbage();
  const gcBefore = stats.read().gcCount;
  const slotsBefore = stats.slotsUsed;
  const start = engine().nowMicros();
  for (let i = 0; i < ops; i++) body(i);
  const micros = engine().nowMicros() - start;
  stats.read();
  return {
    name, ops, micros: Math.round(micros),
    opsPerSecond: Math.round((ops * 1e6) / Math.max(micros, 1)),
    gcCycles: stats.gcCount - gcBefore,
    slotsAllocatedNet: stats.slotsUsed - slotsBefore,
  };
}

export interface Comparison {
  readonly structure: string;
  readonly ours: Measurement;
  readonly naive: Measurement;
  /** ours ops/s ÷ naive ops/s. */
  readonly ratio: number;
}

export function compare(structure: string, ours: Measurement, naive: Measurement): Comparison {
  return { structure, ours, naive, ratio: Math.round((ours.opsPerSecond / Math.max(naive.opsPerSecond, 1)) * 100) / 100 };
}
