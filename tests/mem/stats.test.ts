import { engine } from "../../src/engine/index.js";
import { MemoryStats, readMemoryStats } from "../../src/mem/index.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

describe("memory stats", () => {
  it("fills the caller's object and says where the figures come from", () => {
    const stats = new MemoryStats();
    assert.equal(readMemoryStats(stats), stats);
    const expected = { node: "node-estimate", xs: "xs-host", rp2040: "rp2040", moddable: "moddable-instrumentation" };
    assert.equal(stats.source, expected[engine().name]);
    assert.equal(stats.exact, engine().exactMemory);
    assert.ok(stats.chunkBytesUsed > 0);
  });

  it("gives exact slot figures at the device's slot size where the engine has them", function () {
    const stats = readMemoryStats(new MemoryStats());
    if (!stats.exact) {
      assert.equal(stats.slotsUsed, -1, "no invented slot counts on an engine without slots");
      this.skip();
    }
    assert.equal(stats.slotBytes, 16);
    assert.equal(stats.deviceBytesUsed, stats.chunkBytesUsed + stats.slotsUsed * 16);
    assert.ok(stats.gcCount >= 0 && stats.slotsPeak >= stats.slotsUsed);
  });

  it("reads without allocating", function () {
    const stats = new MemoryStats();
    expectNoAllocation(this, () => {
      stats.read();
    });
  });
});
