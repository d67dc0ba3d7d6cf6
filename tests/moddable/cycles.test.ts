import { readFileSync } from "node:fs";
import { buildCyclesImage, CHIPS, measureCycles } from "../../bench/node/cycles.js";
import { findPicoSdk, findSdk } from "../../tools/moddable/sdk.js";
import * as assert from "../support/assert.js";

// `stillheap bench cycles` counts cycles on Moddable's Pico image in the emulator: its figures are worth stating only
// if the same image gives the same counts every run. Two short runs of the bench image (a sample a side, a second
// of steady state) must agree to the cycle.
const found = findSdk();
const pico = findPicoSdk();
const bootrom = process.env["STILLHEAP_RP2040_BOOTROM"];
const missing = !found.ok ? found.reason : !pico.ok ? pico.reason : bootrom === undefined ? "STILLHEAP_RP2040_BOOTROM is not set" : undefined;

describe("bench cycles: Moddable's Pico image with both drivers of each chip, in the emulator", function () {
  this.timeout(1_800_000);
  if (missing !== undefined || bootrom === undefined) {
    it.skip(`counts the same cycles twice — skipped: ${missing ?? ""}`);
    return;
  }

  it("counts the same cycles on two runs of the same image, for every op of both drivers of every chip", async () => {
    const image = await buildCyclesImage(1, () => undefined);
    assert.ok(!("skipped" in image), "the SDKs are here");
    if ("skipped" in image) return;
    const rom = new Uint8Array(readFileSync(bootrom));
    const first = measureCycles(image.uf2, image.elf, rom, 1, { steadyMs: 1000 });
    const second = measureCycles(image.uf2, image.elf, rom, 1, { steadyMs: 1000 });
    assert.deepEqual(first.chips.map((c) => c.chip), [...CHIPS]);
    for (const chip of first.chips) {
      assert.ok((chip.ours.work[0] ?? 0) > 0 && (chip.theirs.work[0] ?? 0) > 0, `${chip.chip}: both drivers sampled`);
    }
    assert.deepEqual(second.chips, first.chips, "the same cycles per op");
    assert.deepEqual(second.readingsDocument, first.readingsDocument);
    assert.deepEqual(second.steadyState, first.steadyState);
  });
});
