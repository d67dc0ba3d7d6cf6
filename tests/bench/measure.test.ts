import { allocationPerOp, compare, side, spread } from "../../bench/support/measure.js";
import * as assert from "../support/assert.js";
import { runOnlyOn } from "../support/engines.js";

describe("bench measurement", () => {
  it("reports the minimum, median and maximum of repetitions", () => {
    assert.deepEqual(spread([5, 1, 3]), { min: 1, median: 3, max: 5 });
    assert.deepEqual(spread([4, 1, 3, 2]), { min: 1, median: 2.5, max: 4 });
  });

  it("counts exactly what one operation allocates, and nothing for code that allocates nothing", function () {
    runOnlyOn(this, ["xs"], "the probe reads the XS host's exact slot and chunk counters");
    let kept: Uint8Array | undefined;
    const allocating = allocationPerOp(() => {
      kept = new Uint8Array(64);
    }, 16);
    assert.ok(allocating.slots !== null && allocating.slots >= 1, `slots per op: ${String(allocating.slots)}`);
    assert.ok(allocating.chunkBytes !== null && allocating.chunkBytes >= 64, `chunk bytes per op: ${String(allocating.chunkBytes)}`);
    const scratch = new Uint8Array(64);
    const still = allocationPerOp((i) => {
      scratch[i & 63] = i;
    }, 16);
    assert.deepEqual(still, { slots: 0, chunkBytes: 0 });
    assert.ok(kept !== undefined);
  });

  it("times both sides in repetitions and says which side collected", function () {
    runOnlyOn(this, ["xs"], "comparisons time with the XS host's process CPU clock");
    const scratch = new Uint8Array(32);
    let kept: ArrayBuffer | undefined;
    const result = compare("scratch vs allocate", side("scratch", (i) => {
      scratch[i & 31] = i;
    }), side("allocate", () => {
      kept = new ArrayBuffer(32);
    }), { ops: 2000, repetitions: 3 });
    assert.equal(result.repetitions, 3);
    assert.equal(result.clock, "process-cpu");
    assert.ok(result.ratio.min <= result.ratio.median && result.ratio.median <= result.ratio.max);
    assert.ok(result.ours.opsPerSecond.median > 0 && result.naive.opsPerSecond.median > 0);
    assert.equal(result.ours.gcCycles, 0);
    assert.equal(result.ours.slotsPerOp, 0);
    assert.ok((result.naive.chunkBytesPerOp ?? 0) >= 32);
    assert.ok(kept !== undefined);
  });
});
