/**
 * Same-engine, same-run comparisons for the XS benches. Each comparison times our code and the code it replaces in
 * interleaved repetitions (ours, naive, naive, ours, … — the order alternates so drift in the machine falls on both
 * sides), each repetition starting from a collected heap, on the process CPU clock; it reports min/median/max, the
 * collections inside the timed loops, and what one operation allocates (slots and chunk bytes, counted exactly
 * in a separate probe that no collection interrupts).
 */
import { installXsEngine, xsBoard, xsCpuMicros, xsVersion } from "../../hosts/xs/host.js";
import { engine } from "../../src/engine/index.js";
import { MemoryStats } from "../../src/mem/index.js";

/** Minimum, median and maximum of a set of repetitions. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export interface Side {
  readonly name: string;
  readonly body: (iteration: number) => void;
}

export interface SideResult {
  readonly name: string;
  readonly opsPerSecond: Spread;
  readonly microsPerOp: Spread;
  /** Collections inside the timed loops, all repetitions together, and per operation. */
  readonly gcCycles: number;
  readonly gcPerOp: number;
  /** Allocated by one operation (the probe's average), before any collection reclaims it. */
  readonly slotsPerOp: number | null;
  readonly chunkBytesPerOp: number | null;
}

export interface Comparison {
  readonly structure: string;
  readonly ops: number;
  readonly repetitions: number;
  readonly clock: "process-cpu";
  readonly ours: SideResult;
  readonly naive: SideResult;
  /** Naive time ÷ our time in each repetition pair: above 1, ours is faster. */
  readonly ratio: Spread;
}

export interface CompareOptions {
  readonly ops: number;
  /** Timed repetitions of each side (default 7). */
  readonly repetitions?: number;
  /** Operations in the allocation probe (default 16). */
  readonly probeOps?: number;
}

const stats = new MemoryStats();

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] ?? Number.NaN : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { min: round(sorted[0] ?? Number.NaN), median: round(median), max: round(sorted[sorted.length - 1] ?? Number.NaN) };
}

function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000;
}

interface Timing {
  readonly micros: number;
  readonly collections: number;
}

function timed(side: Side, ops: number): Timing {
  engine().collectGarbage();
  const gcBefore = stats.read().gcCount;
  const body = side.body;
  const start = xsCpuMicros();
  for (let i = 0; i < ops; i++) body(i);
  const micros = xsCpuMicros() - start;
  return { micros: Math.max(micros, 0.001), collections: stats.read().gcCount - gcBefore };
}

/**
 * Slots and chunk bytes one operation allocates, counted over `ops` operations with no collection between. Under a
 * tight budget a collection may interrupt the probe; it retries with fewer operations, and reports null (not
 * measurable) if even one operation collects each time.
 */
export function allocationPerOp(body: (iteration: number) => void, ops: number): { slots: number | null; chunkBytes: number | null } {
  for (const count of [ops, Math.ceil(ops / 4), 1, 1, 1]) {
    engine().collectGarbage();
    stats.read();
    const gc = stats.gcCount;
    const slots = stats.slotsUsed;
    const chunks = stats.chunkBytesUsed;
    for (let i = 0; i < count; i++) body(i);
    stats.read();
    if (stats.gcCount === gc) {
      return { slots: round((stats.slotsUsed - slots) / count), chunkBytes: round((stats.chunkBytesUsed - chunks) / count) };
    }
  }
  return { slots: null, chunkBytes: null };
}

function sideResult(side: Side, runs: readonly Timing[], ops: number, probeOps: number): SideResult {
  const allocation = allocationPerOp(side.body, probeOps);
  const collections = runs.reduce((sum, run) => sum + run.collections, 0);
  return {
    name: side.name,
    opsPerSecond: spread(runs.map((run) => (ops * 1e6) / run.micros)),
    microsPerOp: spread(runs.map((run) => run.micros / ops)),
    gcCycles: collections,
    gcPerOp: round(collections / (ops * runs.length)),
    slotsPerOp: allocation.slots,
    chunkBytesPerOp: allocation.chunkBytes,
  };
}

/** Times `ours` against `naive` in interleaved repetitions after a warm-up of each. */
export function compare(structure: string, ours: Side, naive: Side, options: CompareOptions): Comparison {
  const { ops } = options;
  const repetitions = options.repetitions ?? 7;
  const probeOps = options.probeOps ?? 16;
  const warm = Math.min(ops, 1000);
  for (let i = 0; i < warm; i++) ours.body(i);
  for (let i = 0; i < warm; i++) naive.body(i);
  const oursRuns: Timing[] = [];
  const naiveRuns: Timing[] = [];
  for (let r = 0; r < repetitions; r++) {
    if (r % 2 === 0) {
      oursRuns.push(timed(ours, ops));
      naiveRuns.push(timed(naive, ops));
    } else {
      naiveRuns.push(timed(naive, ops));
      oursRuns.push(timed(ours, ops));
    }
  }
  return {
    structure, ops, repetitions, clock: "process-cpu",
    ours: sideResult(ours, oursRuns, ops, probeOps),
    naive: sideResult(naive, naiveRuns, ops, probeOps),
    ratio: spread(oursRuns.map((run, r) => (naiveRuns[r]?.micros ?? Number.NaN) / run.micros)),
  };
}

/** What every bench entry prints: one JSON line the CLI reads. */
export interface SuiteOutput {
  readonly suite: string;
  readonly engine: string;
  readonly engineVersion: string;
  /** The budget the run was under, as the host reports it ("custom" for the ample default heap). */
  readonly board: string;
  readonly comparisons: readonly Comparison[];
  readonly [extra: string]: unknown;
}

/**
 * Starts a bench entry: installs the XS engine and, when the CLI ran the host with --preloaded (a board budget), starts
 * charging the budget here, as a device keeps the preloaded modules in flash.
 */
export function startBench(): { readonly board: string; readonly engineVersion: string; readonly preloaded: boolean } {
  const preloaded = xshost.preloaded();
  installXsEngine();
  return { board: xsBoard(), engineVersion: xsVersion(), preloaded };
}

/** Prints the one JSON line the CLI reads. */
export function printSuite(output: SuiteOutput): void {
  engine().print(JSON.stringify(output));
}

export function side(name: string, body: (iteration: number) => void): Side {
  return { name, body };
}
