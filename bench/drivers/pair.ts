/**
 * What each drivers bench entry shares. One entry per chip, each its own XS machine under the Pico's budget: the first
 * use of a driver's and a model's classes leaves about 15 KB of the engine's caches behind for the run, so seven pairs
 * do not fit in one 128 KB machine. Each entry builds its chips after startBench() and prints the suite's one line.
 */
import { engine } from "../../src/engine/index.js";
import { printSuite, startBench, type Comparison } from "../support/measure.js";

export const OPS = 5_000;
export const OURS = "stillheap";
export const THEIRS = "Moddable SDK";

/** Starts charging the budget (after the imports, as a device keeps them in flash). */
export function startPair(): ReturnType<typeof startBench> {
  return startBench();
}

/** Prints the entry's comparison as the suite's line; `sink` is what the bodies summed, so none is optimised away. */
export function printPair(run: ReturnType<typeof startBench>, comparison: Comparison, sink: number): void {
  printSuite({
    ...run, engine: engine().name, suite: "drivers", ops: OPS, comparisons: [comparison], sink: Number.isFinite(sink),
    notCompared: { BMP280: "Moddable's driver computes in native code (bmp280.c), which only an SDK build links" },
  });
}
