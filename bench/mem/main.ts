/**
 * Memory-layer benchmark, run on the XS host by `stillheap bench mem`: each structure against the leanest naive code
 * that does the same work, across record sizes, in one run on one engine. Prints one JSON line:
 * {"suite":"mem","engine":…,"comparisons":[…]}.
 *
 * Same work per op on both sides. Ring: the producer writes a byte and a float32 into an n-byte record, the consumer
 * reads the float back, the record is gone. Pool: a request writes its first and last byte and reads the first back.
 * Each side uses what it honestly has: the ring's pre-made Uint8Array and DataView over the arena; the naive side the
 * one DataView (or Uint8Array) it allocated.
 */
import { engine } from "../../src/engine/index.js";
import { BoundedQueue, BufferPool, RingAllocator, StaticArena } from "../../src/mem/index.js";
import { compare, printSuite, side, startBench, type Comparison, type Side } from "../support/measure.js";

const run = startBench();
const OPS = 20_000;
const SIZES = [16, 32, 64, 256, 1024] as const;
const POOL_BUFFERS = 4;

const arena = new StaticArena(8192 + SIZES.reduce((sum, size) => sum + size * POOL_BUFFERS, 0) + 64);
const ring = new RingAllocator(arena.carve("ring", 8192));
const pools = SIZES.map((size) => new BufferPool(arena.carve(`pool-${size}`, size * POOL_BUFFERS), size));
arena.seal();
const queue = new BoundedQueue(64);
const bytes = ring.bytes;
const view = ring.view;
let sinkNumber = 0;
/** Ops our side could not do (a refused append or an exhausted pool): must stay 0 for the figures to mean anything. */
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
for (const size of SIZES) {
  comparisons.push(compare(`ring ${size} B: tryAppend vs new DataView(new ArrayBuffer(${size}))`, ringAppend(size),
    dataViewPerRecord(size), { ops: OPS }));
}
comparisons.push(compare("ring 32 B: claim/commit vs new DataView(new ArrayBuffer(32))", ringClaim(32),
  dataViewPerRecord(32), { ops: OPS }));
SIZES.forEach((size, k) => {
  const pool = pools[k];
  if (pool === undefined) return;
  comparisons.push(compare(`pool ${size} B: tryAcquire vs new Uint8Array(${size})`, poolRequest(pool),
    arrayPerRequest(size), { ops: OPS }));
});
comparisons.push(compare("queue: BoundedQueue tryPush/shift vs Array push/shift", side("BoundedQueue tryPush/shift", (i) => {
  if (!queue.tryPush(i)) refusals++;
  sinkNumber += queue.shift();
}), side("Array push/shift", (i) => {
  naiveQueue.push(i);
  sinkNumber += naiveQueue.shift() ?? 0;
}), { ops: OPS }));

printSuite({ ...run, engine: engine().name, suite: "mem", ops: OPS, sizes: SIZES, refusals, comparisons,
  sink: sinkNumber > 0 });
