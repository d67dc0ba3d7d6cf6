/**
 * The mem suite's comparisons: each structure against the leanest naive code that does the same work, across record
 * sizes. Same work per op on both sides. Ring: the producer writes a byte and a float32 into an n-byte record, the
 * consumer reads the float back, the record is gone. Pool: a request writes its first and last byte and reads the
 * first back. Each side uses what it honestly has: the ring's pre-made Uint8Array and DataView over the arena; the
 * naive side the one DataView (or Uint8Array) it allocated.
 */
import { BoundedQueue, BufferPool, RingAllocator, StaticArena } from "../../src/mem/index.js";
import { compare, side, type Comparison, type Side } from "../support/measure.js";

export interface MemComparisons {
  readonly comparisons: Comparison[];
  /** Ops our side could not do (a refused append or an exhausted pool): must be 0 for the figures to mean anything. */
  readonly refusals: number;
  readonly sink: boolean;
}

export interface MemOptions {
  /** Record and buffer sizes in bytes. */
  readonly sizes: readonly number[];
  readonly ops: number;
  /** Adds the claim/commit path and the queue. */
  readonly all: boolean;
  readonly ringBytes: number;
  readonly poolBuffers: number;
}

export function memComparisons(options: MemOptions): MemComparisons {
  const { sizes, ops, all, ringBytes, poolBuffers } = options;
  const arena = new StaticArena(ringBytes + sizes.reduce((sum, size) => sum + size * poolBuffers, 0) + 64);
  const ring = new RingAllocator(arena.carve("ring", ringBytes));
  const pools = sizes.map((size) => new BufferPool(arena.carve(`pool-${size}`, size * poolBuffers), size));
  arena.seal();
  const queue = new BoundedQueue(64);
  const bytes = ring.bytes;
  const view = ring.view;
  let sinkNumber = 0;
  let refusals = 0;

  /** Ours, fused: tryAppend publishes the record in one call; the consumer reads `oldest` and releases it. */
  function ringAppend(size: number): Side {
    return side(`RingAllocator tryAppend/oldest/release`, (i) => {
      const at = ring.tryAppend(size);
      if (at < 0) {
        refusals++;
        return;
      }
      bytes[at] = i & 0xff;
      view.setFloat32(at + 4, i * 0.25, true);
      const oldest = ring.oldest;
      sinkNumber += view.getFloat32(oldest + 4, true);
      ring.release(oldest);
    });
  }

  /** Ours, the lending API: claim, write, commit; peek, read, release. */
  function ringClaim(size: number): Side {
    return side(`RingAllocator claim/commit/peek/release`, (i) => {
      const at = ring.claim(size);
      if (at < 0) {
        refusals++;
        return;
      }
      bytes[at] = i & 0xff;
      view.setFloat32(at + 4, i * 0.25, true);
      ring.commit(size);
      const oldest = ring.peek();
      sinkNumber += view.getFloat32(oldest + 4, true);
      ring.release(oldest);
    });
  }

  function dataViewPerRecord(size: number): Side {
    return side(`new DataView(new ArrayBuffer(${size})) per record`, (i) => {
      const record = new DataView(new ArrayBuffer(size));
      record.setUint8(0, i & 0xff);
      record.setFloat32(4, i * 0.25, true);
      sinkNumber += record.getFloat32(4, true);
    });
  }

  function poolRequest(pool: BufferPool): Side {
    const last = pool.bufferBytes - 1;
    return side("BufferPool tryAcquire/release", (i) => {
      const buffer = pool.tryAcquire();
      if (buffer === null) {
        refusals++;
        return;
      }
      buffer[0] = i & 0xff;
      buffer[last] = i & 0x7f;
      sinkNumber += buffer[0] ?? 0;
      pool.release(buffer);
    });
  }

  function arrayPerRequest(size: number): Side {
    const last = size - 1;
    return side(`new Uint8Array(${size}) per request`, (i) => {
      const buffer = new Uint8Array(size);
      buffer[0] = i & 0xff;
      buffer[last] = i & 0x7f;
      sinkNumber += buffer[0] ?? 0;
    });
  }

  const naiveQueue: number[] = [];
  const comparisons: Comparison[] = [];
  for (const size of sizes) {
    comparisons.push(compare(`ring ${size} B: tryAppend vs new DataView(new ArrayBuffer(${size}))`, ringAppend(size),
      dataViewPerRecord(size), { ops }));
  }
  if (all) {
    comparisons.push(compare("ring 32 B: claim/commit vs new DataView(new ArrayBuffer(32))", ringClaim(32),
      dataViewPerRecord(32), { ops }));
  }
  sizes.forEach((size, k) => {
    const pool = pools[k];
    if (pool === undefined) return;
    comparisons.push(compare(`pool ${size} B: tryAcquire vs new Uint8Array(${size})`, poolRequest(pool),
      arrayPerRequest(size), { ops }));
  });
  if (all) comparisons.push(compare("queue: BoundedQueue tryPush/shift vs Array push/shift", side("BoundedQueue tryPush/shift", (i) => {
    if (!queue.tryPush(i)) refusals++;
    sinkNumber += queue.shift();
  }), side("Array push/shift", (i) => {
    naiveQueue.push(i);
    sinkNumber += naiveQueue.shift() ?? 0;
  }), { ops }));
  return { comparisons, refusals, sink: sinkNumber > 0 };
}
