import { performance } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";
import { installEngine, MemoryField, type Engine } from "../../src/engine/index.js";

const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

/**
 * Node's engine: V8 has no slot or chunk counters and no GC count, so the figures are the closest honest ones
 * (heap bytes as chunk bytes, slots and GC count unknown = -1) and `exactMemory` is false.
 */
export const nodeEngine: Engine = Object.freeze({
  name: "node",
  exactMemory: false,
  nowMicros: () => performance.now() * 1000,
  readMemory(into: Float64Array): void {
    const heap = getHeapStatistics();
    into.fill(-1);
    into[MemoryField.chunkBytesUsed] = heap.used_heap_size;
    into[MemoryField.chunkBytesPeak] = heap.total_heap_size;
    into[MemoryField.chunkBytesReserved] = heap.heap_size_limit;
    into[MemoryField.slotBytes] = 0;
  },
  collectGarbage(): void {
    gc?.();
  },
  print(text: string): void {
    process.stdout.write(`${text}\n`);
  },
});

export function installNodeEngine(): void {
  installEngine(nodeEngine);
}
