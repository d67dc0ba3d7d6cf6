import { RingAllocator, RingError, StaticArena } from "../../src/mem/index.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";
import { forAllSeeds } from "../support/random.js";

function ring(bytes: number): RingAllocator {
  const arena = new StaticArena(bytes + 16);
  arena.carve("pad", 4);
  return new RingAllocator(arena.carve("ring", bytes));
}

function write(r: RingAllocator, at: number, length: number, tag: number): void {
  for (let i = 0; i < length; i++) r.bytes[at + i] = (tag + i) & 0xff;
}

describe("RingAllocator", () => {
  it("hands out records oldest first", () => {
    const r = ring(64);
    for (const tag of [1, 2, 3]) {
      const at = r.claim(6);
      write(r, at, 6, tag);
      r.commit(6);
    }
    for (const tag of [1, 2, 3]) {
      const at = r.peek();
      assert.equal(r.peekLength(), 6);
      assert.equal(r.bytes[at], tag);
      r.release(at);
    }
    assert.equal(r.peek(), -1);
  });

  it("refuses a claim when full, counts it, and never throws for it", () => {
    const r = ring(32);
    assert.ok(r.claim(12) >= 0);
    r.commit(12);
    assert.ok(r.claim(12) >= 0);
    r.commit(12);
    assert.equal(r.claim(4), -1);
    assert.equal(r.refused, 1);
  });

  it("never splits a record across the end", () => {
    const r = ring(40);
    const first = r.claim(16);
    r.commit(16);
    const second = r.claim(8);
    r.commit(8);
    r.release(first);
    const third = r.claim(12); // 8 bytes left at the end: must start again at the beginning
    assert.equal(third, r.base + 4);
    r.commit(12);
    r.release(second);
    assert.equal(r.peek(), third);
    assert.equal(r.peekLength(), 12);
  });

  it("commits less than claimed", () => {
    const r = ring(32);
    r.claim(20);
    r.commit(3);
    assert.equal(r.peekLength(), 3);
  });

  it("gives a typed error for each misuse, saying what to do", () => {
    const r = ring(32);
    assert.throws(() => r.claim(100), RingError, /can never fit this ring .*make the ring larger/);
    assert.throws(() => r.commit(1), RingError, /without claim\(\): claim space first/);
    r.claim(4);
    assert.throws(() => r.claim(4), RingError, /already open/);
    assert.throws(() => r.commit(8), RingError, /exceeds the 4 claimed/);
    r.commit(4);
    r.claim(4);
    r.commit(4);
    const oldest = r.peek();
    assert.throws(() => r.release(oldest + 8), RingError, /oldest first/);
    r.release(oldest);
    r.release(r.peek());
    assert.throws(() => r.release(0), RingError, /empty ring/);
  });

  it("matches a reference queue over random claim/commit/release sequences", () => {
    forAllSeeds(200, (random) => {
      const r = ring(random.int(3, 40) * 4);
      const model: Array<{ length: number; tag: number }> = [];
      let refused = 0;
      for (let step = 0; step < 300; step++) {
        if (random.next() < 0.55) {
          const length = random.int(0, Math.min(r.maxRecordBytes, 24));
          const at = r.claim(length);
          if (at < 0) {
            refused++;
            assert.ok(model.length > 0, "an empty ring must accept any record that fits it");
            continue;
          }
          const committed = random.int(0, length);
          write(r, at, committed, step);
          r.commit(committed);
          model.push({ length: committed, tag: step });
        } else if (model.length > 0) {
          const expected = model.shift();
          const at = r.peek();
          assert.equal(r.peekLength(), expected?.length);
          for (let i = 0; i < (expected?.length ?? 0); i++) assert.equal(r.bytes[at + i], ((expected?.tag ?? 0) + i) & 0xff);
          r.release(at);
        }
        assert.equal(r.count, model.length);
        assert.ok(r.usedBytes <= r.capacity);
      }
      assert.equal(r.refused, refused);
    });
  });

  it("claims, commits, peeks and releases without allocating", function () {
    const r = ring(256);
    expectNoAllocation(this, (i) => {
      const at = r.claim(12);
      if (at >= 0) {
        r.view.setFloat32(at, i * 0.5, true);
        r.commit(12);
      }
      const oldest = r.peek();
      if (r.peekLength() === 12) r.release(oldest);
    });
  });

  it("refuses claims on a full ring without allocating", function () {
    const r = ring(32);
    while (r.claim(4) >= 0) r.commit(4);
    expectNoAllocation(this, () => {
      r.claim(4);
    });
  });
  it("appends a whole record in one call, visible at once as the oldest", () => {
    const r = ring(64);
    const first = r.tryAppend(6);
    assert.equal(first, r.base + 4);
    assert.equal(r.oldest, first);
    assert.equal(r.peek(), first);
    assert.equal(r.peekLength(), 6);
    const second = r.tryAppend(3);
    assert.equal(second, first + 12); // 4-byte header, 6 bytes padded to 8
    assert.equal(r.oldest, first);
    r.release(first);
    assert.equal(r.oldest, second);
    assert.equal(r.peekLength(), 3);
    r.release(second);
    assert.equal(r.oldest, -1);
    assert.equal(r.count, 0);
    assert.equal(r.committed, 2);
    assert.equal(r.released, 2);
  });

  it("refuses an append when full and counts it, and wraps like claim", () => {
    const r = ring(40);
    const first = r.tryAppend(16);
    const second = r.tryAppend(8);
    assert.equal(r.tryAppend(12), -1);
    assert.equal(r.refused, 1);
    r.release(first);
    const third = r.tryAppend(12); // 8 bytes left at the end: starts again at the beginning
    assert.equal(third, r.base + 4);
    r.release(second);
    assert.equal(r.oldest, third);
    assert.equal(r.peekLength(), 12);
  });

  it("gives typed errors when tryAppend or release is misused", () => {
    const r = ring(32);
    assert.throws(() => r.tryAppend(100), RingError, /can never fit this ring/);
    assert.throws(() => r.tryAppend(-1), RingError, /can never fit this ring/);
    assert.throws(() => r.tryAppend(Number.NaN), RingError, /can never fit this ring/);
    assert.throws(() => r.release(-1), RingError, /empty ring/);
    r.claim(4);
    const error = assert.throws(() => r.tryAppend(4), RingError, /claim is open: commit\(\) or cancel\(\) it first/);
    assert.equal((error as RingError).code, "claim-pending");
    r.cancel();
    const at = r.tryAppend(4);
    assert.throws(() => r.release(at + 8), RingError, /oldest first/);
  });

  it("keeps an open claim valid while the ring empties under it", () => {
    const r = ring(32);
    const first = r.tryAppend(4);
    const claimed = r.claim(8);
    r.release(first);
    assert.equal(r.count, 0);
    r.bytes[claimed] = 42;
    r.commit(8);
    assert.equal(r.oldest, claimed);
    assert.equal(r.bytes[r.oldest], 42);
    r.release(claimed);
    r.claim(4);
    r.cancel();
    assert.equal(r.tryAppend(r.maxRecordBytes), r.base + 4, "an empty ring takes the largest record after a cancel");
  });

  it("matches a reference queue when appends, claims and releases mix", () => {
    forAllSeeds(200, (random) => {
      const r = ring(random.int(3, 40) * 4);
      const model: Array<{ length: number; tag: number }> = [];
      for (let step = 0; step < 300; step++) {
        const roll = random.next();
        const length = random.int(0, Math.min(r.maxRecordBytes, 24));
        if (roll < 0.3 || (roll < 0.55 && model.length === 0)) {
          const at = r.tryAppend(length);
          if (at < 0) {
            assert.ok(model.length > 0, "an empty ring must accept any record that fits it");
            continue;
          }
          write(r, at, length, step);
          model.push({ length, tag: step });
        } else if (roll < 0.55) {
          const at = r.claim(length);
          if (at < 0) continue;
          if (random.next() < 0.5 && model.length > 0) { // the consumer runs while the claim is open
            model.shift();
            r.release(r.oldest);
          }
          if (random.next() < 0.2) {
            r.cancel();
            continue;
          }
          write(r, at, length, step);
          r.commit(length);
          model.push({ length, tag: step });
        } else if (model.length > 0) {
          const expected = model.shift();
          const at = r.oldest;
          assert.equal(r.peekLength(), expected?.length);
          for (let i = 0; i < (expected?.length ?? 0); i++) assert.equal(r.bytes[at + i], ((expected?.tag ?? 0) + i) & 0xff);
          r.release(at);
        }
        assert.equal(r.count, model.length);
        assert.ok(r.usedBytes <= r.capacity);
      }
    });
  });

  it("appends, reads and releases without allocating, in step and with a backlog", function () {
    const r = ring(256);
    expectNoAllocation(this, (i) => {
      const at = r.tryAppend(12);
      if (at >= 0) r.view.setFloat32(at, i * 0.5, true);
      if ((i & 3) !== 0) return; // let a backlog build, so releases read headers and appends wrap
      while (r.oldest >= 0) {
        if (r.view.getFloat32(r.oldest, true) < 0) break;
        r.release(r.oldest);
      }
    });
  });

  it("refuses appends on a full ring without allocating", function () {
    const r = ring(32);
    while (r.tryAppend(4) >= 0);
    expectNoAllocation(this, () => {
      r.tryAppend(4);
    });
  });
});
