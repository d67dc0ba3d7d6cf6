import { RecordRing, RingAllocator, RingError, StaticArena } from "../../src/mem/index.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";
import { forAllSeeds } from "../support/random.js";

function fill(ring: RecordRing, at: number, tag: number): void {
  for (let i = 0; i < ring.recordBytes; i++) ring.bytes[at + i] = (tag + i) & 0xff;
}

describe("RecordRing", () => {
  it("holds exactly as many records as its capacity says, then refuses and counts", () => {
    const ring = new RecordRing(32, 5);
    for (let i = 0; i < 32; i++) {
      const at = ring.claim();
      assert.ok(at >= 0, `record ${i + 1} of 32`);
      fill(ring, at, i);
      ring.commit();
    }
    assert.equal(ring.count, 32);
    assert.equal(ring.claim(), -1, "the 33rd is refused");
    assert.equal(ring.tryPush(new Uint8Array(5), 0), false);
    assert.equal(ring.refused, 2);
    assert.equal(ring.bytes.length, 160, "32 × 5 bytes: no header or padding per record");
  });

  it("where the variable-size ring of the same 256 bytes holds 21 five-byte records", () => {
    const ring = new RingAllocator(new StaticArena(32 * 8 + 8).carve("alerts", 32 * 8));
    let held = 0;
    while (ring.tryAppend(5) >= 0) held++;
    assert.equal(held, 21, "a 5-byte record costs 12 bytes there (4-byte header, padded to 4)");
  });

  it("hands records out oldest first, across the end of its store", () => {
    const ring = new RecordRing(3, 4);
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 10; round++) {
      while (ring.free > 0) {
        fill(ring, ring.claim(), next++ * 10);
        ring.commit();
      }
      for (let i = 0; i < 2; i++) {
        const at = ring.peek();
        assert.equal(ring.bytes[at], (expected++ * 10) & 0xff);
        ring.release(at);
      }
    }
    assert.equal(ring.count, 1);
    assert.equal(ring.committed - ring.released, 1);
  });

  it("copies a record in with tryPush and lends the slot with claim/commit alike", () => {
    const ring = new RecordRing(2, 3);
    assert.ok(ring.tryPush(Uint8Array.of(9, 1, 2, 3), 1));
    const at = ring.claim();
    ring.bytes[at] = 7;
    ring.commit();
    assert.deepEqual(Array.from(ring.bytes.subarray(ring.peek(), ring.peek() + 3)), [1, 2, 3]);
    ring.release(ring.peek());
    assert.equal(ring.bytes[ring.peek()], 7);
  });

  it("lives in a region carved from a StaticArena", () => {
    const arena = new StaticArena(64);
    arena.carve("pad", 3, 1);
    const ring = new RecordRing(4, 5, arena.carve("alerts", RecordRing.bytesFor(4, 5), 1));
    assert.equal(ring.base, 3);
    assert.equal(ring.bytes, arena.bytes);
    assert.equal(ring.claim(), 3);
    ring.cancel();
    assert.equal(ring.count, 0, "a cancelled claim publishes nothing");
  });

  it("refuses misuse with typed errors", () => {
    assert.throws(() => new RecordRing(0, 5), RingError, /whole numbers/);
    assert.throws(() => new RecordRing(4, 5, new StaticArena(64).carve("small", 10)), RingError, /need 20/);
    const ring = new RecordRing(2, 2);
    assert.equal((assert.throws(() => ring.release(0), RingError) as RingError).code, "empty");
    assert.equal((assert.throws(() => ring.commit(), RingError) as RingError).code, "no-claim");
    ring.claim();
    assert.equal((assert.throws(() => ring.claim(), RingError) as RingError).code, "claim-pending");
    ring.commit();
    ring.tryPush(Uint8Array.of(1, 2), 0);
    assert.equal((assert.throws(() => ring.release(2), RingError) as RingError).code, "release-out-of-order");
    ring.clear();
    assert.equal(ring.peek(), -1);
    assert.equal(ring.released, 2);
  });

  it("keeps FIFO order and its counts under random pushes and releases", () => {
    forAllSeeds(20, (random) => {
      const ring = new RecordRing(7, 2);
      const model: number[] = [];
      let tag = 0;
      for (let step = 0; step < 500; step++) {
        if (random.next() < 0.55) {
          const ok = ring.tryPush(Uint8Array.of(tag & 0xff, 0), 0);
          assert.equal(ok, model.length < 7);
          if (ok) model.push(tag & 0xff);
          tag++;
        } else if (model.length > 0) {
          assert.equal(ring.bytes[ring.peek()], model.shift());
          ring.release(ring.peek());
        }
        assert.equal(ring.count, model.length);
      }
    });
  });

  it("claims, commits, peeks and releases without allocating", function () {
    const ring = new RecordRing(16, 5);
    const record = new Uint8Array(5);
    expectNoAllocation(this, (i) => {
      const at = ring.claim();
      ring.bytes[at] = i & 0xff;
      ring.commit();
      ring.tryPush(record, 0);
      ring.release(ring.peek());
      ring.release(ring.peek());
    });
  });
});
