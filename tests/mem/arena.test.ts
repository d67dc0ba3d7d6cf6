import { ArenaError, StaticArena } from "../../src/mem/index.js";
import * as assert from "../support/assert.js";

describe("StaticArena", () => {
  it("carves aligned named regions and reports what is left", () => {
    const arena = new StaticArena(1024);
    const a = arena.carve("samples", 100);
    const b = arena.carve("frames", 200, 16);
    assert.equal(a.offset, 0);
    assert.equal(b.offset, 112);
    assert.equal(arena.freeBytes, 1024 - 312);
    arena.seal();
    assert.deepEqual(arena.report(), {
      sizeBytes: 1024, usedBytes: 312, freeBytes: 712, sealed: true,
      regions: [{ name: "samples", offset: 0, length: 100 }, { name: "frames", offset: 112, length: 200 }],
    });
  });

  it("refuses to carve after sealing, naming the region and sizes", () => {
    const arena = new StaticArena(64);
    arena.seal();
    const error = assert.throws(() => arena.carve("late", 8), ArenaError, /"late" \(8 bytes\): the arena is sealed/);
    assert.equal((error as ArenaError).code, "sealed");
  });

  it("refuses to carve past the end, naming the region and sizes", () => {
    const arena = new StaticArena(64);
    arena.carve("first", 40);
    const error = assert.throws(() => arena.carve("second", 32), ArenaError,
      /"second" needs 32 bytes but only 24 of 64 are left: make the arena larger/) as ArenaError;
    assert.equal(error.code, "overflow");
    assert.equal(error.region, "second");
    assert.equal(error.requestedBytes, 32);
    assert.equal(error.availableBytes, 24);
  });

  it("refuses duplicate names and bad sizes", () => {
    const arena = new StaticArena(64);
    arena.carve("a", 8);
    assert.throws(() => arena.carve("a", 8), ArenaError, /already carved/);
    assert.throws(() => arena.carve("b", 0), ArenaError, /positive size/);
    assert.throws(() => new StaticArena(0), ArenaError, /positive whole number/);
  });
});
