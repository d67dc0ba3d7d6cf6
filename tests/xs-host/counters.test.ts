import { engine, MEMORY_FIELD_COUNT, MemoryField } from "../../src/engine/index.js";
import { AssertionError } from "../support/assert.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";
import { runOnlyOn } from "../support/engines.js";

const XS_ONLY = "exact slot and chunk counters exist only on the XS engine";
const before = new Float64Array(MEMORY_FIELD_COUNT);
const after = new Float64Array(MEMORY_FIELD_COUNT);
let kept: Uint8Array | undefined;

/** Slots and chunk bytes one `new Uint8Array(64)` costs, measured with no collection in between. */
function costOfOneArray(): [number, number] {
  engine().collectGarbage();
  engine().readMemory(before);
  kept = new Uint8Array(64);
  engine().readMemory(after);
  const gcs = (after[MemoryField.gcCount] ?? 0) - (before[MemoryField.gcCount] ?? 0);
  assert.equal(gcs, 0, "no collection may run while measuring");
  return [
    (after[MemoryField.slotsUsed] ?? 0) - (before[MemoryField.slotsUsed] ?? 0),
    (after[MemoryField.chunkBytesUsed] ?? 0) - (before[MemoryField.chunkBytesUsed] ?? 0),
  ];
}

describe("XS host memory counters", () => {
  it("charges one new Uint8Array(64) the same exact slots and chunk bytes every time", function () {
    runOnlyOn(this, ["xs"], XS_ONLY);
    const [slots, chunks] = costOfOneArray();
    assert.ok(slots > 0 && chunks >= 64, `expected a positive cost, got ${slots} slots, ${chunks} chunk bytes`);
    for (let run = 0; run < 20; run++) assert.deepEqual(costOfOneArray(), [slots, chunks], `run ${run}`);
    assert.ok(kept !== undefined);
  });

  it("counts a forced collection", function () {
    runOnlyOn(this, ["xs"], XS_ONLY);
    engine().readMemory(before);
    engine().collectGarbage();
    engine().readMemory(after);
    assert.equal((after[MemoryField.gcCount] ?? 0) - (before[MemoryField.gcCount] ?? 0), 1);
  });

  it("reads the counters without allocating", function () {
    const into = new Float64Array(MEMORY_FIELD_COUNT);
    expectNoAllocation(this, () => engine().readMemory(into));
  });

  it("reports slots at the device's 16 bytes and a positive stack peak", function () {
    runOnlyOn(this, ["xs"], XS_ONLY);
    engine().readMemory(after);
    assert.equal(after[MemoryField.slotBytes], 16);
    assert.ok((after[MemoryField.stackPeak] ?? 0) > 0);
    assert.ok((after[MemoryField.stackReserved] ?? 0) >= (after[MemoryField.stackPeak] ?? 0));
  });
});

describe("allocation guard", () => {
  it("passes a loop that reuses one buffer", function () {
    const buffer = new Uint8Array(64);
    expectNoAllocation(this, (i) => {
      buffer[i & 63] = (buffer[(i + 1) & 63] ?? 0) + 1;
    });
  });

  it("fails a body that allocates, naming the deltas", function () {
    runOnlyOn(this, ["xs"], "the guard measures only where counters are exact");
    const error = assert.throws(() => expectNoAllocation(this, () => {
      kept = new Uint8Array(64);
    }, { iterations: 100 }), AssertionError, /allocated during 100 measured iterations on xs: slots \+\d+, chunk bytes/);
    assert.ok(error instanceof AssertionError);
  });

  it("counts exactly two slots for each small object the body makes", function () {
    runOnlyOn(this, ["xs"], "the guard measures only where counters are exact");
    let sink: { a: number } | undefined;
    assert.throws(() => expectNoAllocation(this, (i) => {
      sink = { a: i };
    }, { iterations: 10 }), AssertionError, /slots \+20, chunk bytes \+0, GC cycles \+0/);
    assert.ok(sink !== undefined);
  });
});
