/** stillheap/mem: static memory for a heap that stands still. */
export { StaticArena, type ArenaReport, type Region } from "./arena.js";
export { RingAllocator } from "./ring.js";
export { RecordRing } from "./record-ring.js";
export { BufferPool, type BufferPoolOptions } from "./pool.js";
export { BoundedQueue } from "./queue.js";
export { MemoryStats, readMemoryStats, type MemorySource } from "./stats.js";
export { ArenaError, PoolError, QueueError, RingError } from "./errors.js";
export type { ArenaErrorCode, PoolErrorCode, QueueErrorCode, RingErrorCode } from "./errors.js";
