/**
 * Memory-layer benchmark, run on the XS host by `stillheap bench mem`: each structure against the naive code it
 * replaces, in one run on one engine. Prints one JSON line: {"suite":"mem","engine":…,"comparisons":[…]}.
 */
import { engine } from "../../src/engine/index.js";
import { BoundedQueue, BufferPool, RingAllocator, StaticArena } from "../../src/mem/index.js";
import { compare, printSuite, side, startBench, type Comparison } from "../support/measure.js";

const run = startBench();
const OPS = 20_000;
const RECORD_BYTES = 32;

const arena = new StaticArena(16 * 1024);
const ring = new RingAllocator(arena.carve("ring", 4096));
const pool = new BufferPool(arena.carve("pool", 4 * 256), 256);
arena.seal();
const queue = new BoundedQueue(64);
let sinkArray: Uint8Array | undefined;
let sinkNumber = 0;
const naiveQueue: number[] = [];
const naiveRecords: Array<{ t: number; v: number }> = [];

function ringCycle(i: number): void {
  const at = ring.claim(RECORD_BYTES);
  if (at < 0) return;
  ring.bytes[at] = i & 0xff;
  ring.view.setFloat32(at + 4, i * 0.25, true);
  ring.commit(RECORD_BYTES);
  const oldest = ring.peek();
  sinkNumber += ring.view.getFloat32(oldest + 4, true);
  ring.release(oldest);
}

function allocateAndDrop(i: number): void {
  const record = new Uint8Array(RECORD_BYTES);
  record[0] = i & 0xff;
  new DataView(record.buffer).setFloat32(4, i * 0.25, true);
  sinkArray = record;
}

function objectPerRecord(i: number): void {
  naiveRecords.push({ t: i, v: i * 0.25 });
  const record = naiveRecords.shift();
  sinkNumber += record === undefined ? 0 : record.v;
}

const comparisons: Comparison[] = [
  compare("RingAllocator claim/commit/release (32-byte record)", side("ring", ringCycle),
    side("new Uint8Array(32) + DataView per record", allocateAndDrop), { ops: OPS }),
  compare("RingAllocator vs an object per record", side("ring", ringCycle),
    side("{t, v} per record, Array push/shift", objectPerRecord), { ops: OPS }),
  compare("BufferPool acquire/release (256 bytes)", side("pool", (i) => {
    const buffer = pool.tryAcquire();
    if (buffer === null) return;
    buffer[i & 255] = i & 0xff;
    pool.release(buffer);
  }), side("new Uint8Array(256) per request", (i) => {
    const buffer = new Uint8Array(256);
    buffer[i & 255] = i & 0xff;
    sinkArray = buffer;
  }), { ops: OPS }),
  compare("BoundedQueue tryPush/shift", side("queue", (i) => {
    queue.tryPush(i);
    sinkNumber += queue.shift();
  }), side("Array push/shift", (i) => {
    naiveQueue.push(i);
    sinkNumber += naiveQueue.shift() ?? 0;
  }), { ops: OPS }),
];

printSuite({ ...run, engine: engine().name, suite: "mem", ops: OPS, comparisons, sink: sinkNumber > 0 && sinkArray !== undefined });
