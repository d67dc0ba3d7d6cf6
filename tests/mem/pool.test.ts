import { BufferPool, PoolError, StaticArena } from "../../src/mem/index.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

function pool(count: number, size: number, zeroOnRelease = true): BufferPool {
  const arena = new StaticArena(count * size);
  return new BufferPool(arena.carve("pool", count * size), size, { zeroOnRelease });
}

describe("BufferPool", () => {
  it("hands out every buffer once, then refuses and counts it", () => {
    const p = pool(3, 16);
    const taken = [p.tryAcquire(), p.tryAcquire(), p.tryAcquire()];
    assert.ok(taken.every((b) => b !== null && b.length === 16));
    assert.equal(new Set(taken).size, 3);
    assert.equal(p.tryAcquire(), null);
    assert.equal(p.exhausted, 1);
    assert.equal(p.outstanding, 3);
    assert.equal(p.peakOutstanding, 3);
  });

  it("zero-fills a released buffer so no data leaks to the next user", () => {
    const p = pool(1, 8);
    const first = p.tryAcquire();
    assert.ok(first !== null);
    first.fill(0xab);
    p.release(first);
    const again = p.tryAcquire();
    assert.equal(again, first);
    assert.deepEqual(Array.from(again ?? []), [0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("keeps contents when zero-fill is off", () => {
    const p = pool(1, 4, false);
    const b = p.tryAcquire();
    assert.ok(b !== null);
    b[0] = 7;
    p.release(b);
    assert.equal(p.tryAcquire()?.[0], 7);
  });

  it("detects a double release", () => {
    const p = pool(2, 8);
    const b = p.tryAcquire();
    assert.ok(b !== null);
    p.release(b);
    const error = assert.throws(() => p.release(b), PoolError, /released twice: release each acquired buffer exactly once/);
    assert.equal((error as PoolError).code, "double-release");
  });

  it("detects a foreign buffer", () => {
    const p = pool(2, 8);
    const other = pool(2, 8).tryAcquire();
    assert.ok(other !== null);
    assert.throws(() => p.release(other), PoolError, /did not hand out/);
    assert.throws(() => p.release(new Uint8Array(8)), PoolError, /did not hand out/);
  });

  it("reports outstanding buffers for leak checks", () => {
    const p = pool(4, 8);
    p.tryAcquire();
    const b = p.tryAcquire();
    assert.equal(p.outstanding, 2);
    if (b !== null) p.release(b);
    assert.equal(p.outstanding, 1);
    assert.equal(p.available, 3);
  });

  it("acquires and releases without allocating", function () {
    const p = pool(4, 64);
    expectNoAllocation(this, (i) => {
      const b = p.tryAcquire();
      if (b !== null) {
        b[0] = i & 0xff;
        p.release(b);
      }
    });
  });

  it("refuses on exhaustion without allocating", function () {
    const p = pool(1, 8);
    p.tryAcquire();
    expectNoAllocation(this, () => {
      p.tryAcquire();
    });
  });
});
