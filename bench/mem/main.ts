/**
 * Memory-layer benchmark, run on the XS host by `stillheap bench mem`: ring, pool and queue against the leanest naive
 * code that does the same work (bench/mem/comparisons.ts), across record sizes, in one run on one engine, in the budget
 * the CLI gives. Prints one JSON line: {"suite":"mem","engine":…,"comparisons":[…]}.
 */
import { engine } from "../../src/engine/index.js";
import { printSuite, startBench } from "../support/measure.js";
import { memComparisons } from "./comparisons.js";

const run = startBench();
const OPS = 20_000;
const SIZES = [16, 32, 64, 256, 1024] as const;

// From a job, after the module body has returned: the ESP32's 384-slot stack cannot hold the module body's frame too.
void Promise.resolve().then(() => {
  const { comparisons, refusals, sink } = memComparisons({ sizes: SIZES, ops: OPS, all: true, ringBytes: 8192, poolBuffers: 4 });
  printSuite({ ...run, engine: engine().name, suite: "mem", ops: OPS, sizes: SIZES, refusals, comparisons, sink });
});
