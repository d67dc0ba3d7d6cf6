import { engine, MEMORY_FIELD_COUNT, MemoryField } from "../../src/engine/index.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

describe("engine", () => {
  it("has a monotonic microsecond clock", () => {
    const first = engine().nowMicros();
    let x = 0;
    for (let i = 0; i < 10_000; i++) x += i;
    const second = engine().nowMicros();
    assert.ok(x > 0);
    assert.ok(second >= first, `clock went backwards: ${first} → ${second}`);
  });

  it("fills the memory counters in place", () => {
    const counters = new Float64Array(MEMORY_FIELD_COUNT);
    engine().readMemory(counters);
    assert.ok((counters[MemoryField.chunkBytesUsed] ?? 0) > 0, "chunk bytes in use should be positive");
  });

  it("reuses one buffer without allocating", function () {
    const buffer = new Uint8Array(64);
    expectNoAllocation(this, (i) => {
      buffer[i & 63] = i & 0xff;
    });
  });
});
