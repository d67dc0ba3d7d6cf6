/**
 * Memory-layer benchmark, run on the XS host by `stillheap bench mem`: each structure against the naive code it
 * replaces, in one run on one engine. Prints one JSON line: {"suite":"mem","engine":…,"comparisons":[…]}.
 */
import { installXsEngine } from "../../hosts/xs/host.js";
import { engine } from "../../src/engine/index.js";
import { BoundedQueue, BufferPool, RingAllocator, StaticArena } from "../../src/mem/index.js";
import { compare, measure, type Comparison } from "../support/measure.js";

installXsEngine();
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
  compare("RingAllocator claim/commit/release (32-byte record)", measure("ring", OPS, ringCycle),
    measure("new Uint8Array(32) + DataView per record", OPS, allocateAndDrop)),
  compare("RingAllocator vs an object per record", measure("ring", OPS, ringCycle),
    measure("{t, v} per record, Array push/shift", OPS, objectPerRecord)),
  compare("BufferPool acquire/release (256 bytes)", measure("pool", OPS, (i) => {
    const buffer = pool.tryAcquire();
    if (buffer === null) return;
    buffer[i & 255] = i & 0xff;
    pool.release(buffer);
  }), measure("new Uint8Array(256) per request", OPS, (i) => {
    const buffer = new Uint8Array(256);
    buffer[i & 255] = i & 0xff;
    sinkArray = buffer;
  })),
  compare("BoundedQueue tryPush/shift", measure("queue", OPS, (i) => {
    queue.tryPush(i);
    sinkNumber += queue.shift();
  }), measure("Array push/shift", OPS, (i) => {
    naiveQueue.push(i);
    sinkNumber += naiveQueue.shift() ?? 0;
  })),
];

engine().print(JSON.stringify({ suite: "mem", engine: engine().name, ops: OPS, comparisons, sink: sinkNumber > 0 && sinkArray !== undefined }));
