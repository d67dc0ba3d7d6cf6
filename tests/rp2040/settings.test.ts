// Node only (it builds an image and runs rp2040js on the real bootrom): settings typed on the image's console, kept
// in the last two flash sectors through the bootrom's flash functions (real SSI commands to the emulated W25Q16),
// across resets and power cuts at any point of a write.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildDir } from "../../tools/cli/paths.js";
import { buildFirmware } from "../../tools/rp2040/build.js";
import type { FlashOperation } from "../../tools/rp2040/w25q16.js";
import * as assert from "../support/assert.js";
import { Board, BOOTROM, NO_BOOTROM, steadyMemory } from "./emulate.js";

const TOKEN = "settings-test-7f3a";
const SETTINGS_SECTOR = 0x1fe000;
const BOOTED = /^\[firmware\] gateway running/;
const WRITTEN = /^settings writes=1 /;
const quiet = (): void => undefined;

/** The settings document with sht3x's period set to `periodMs` and the rest as DEFAULT_SENSORS declares them. */
function settingsWith(periodMs: number): unknown {
  return { sensors: { sht3x: { periodMs }, bmp280: { periodMs: 1000 }, tmp117: { periodMs: 1000, highLimitC: 30 },
    lis3dh: { periodMs: 200, rateHz: 10 } } };
}

function config(periodMs: number): string {
  return `config Bearer ${TOKEN} {"sensors": {"sht3x": {"periodMs": ${periodMs}}}}`;
}

/** Boots `flash`, sets sht3x's period over the console and runs until the keeper has written it. */
function writeSetting(flash: Uint8Array, periodMs: number, options: ConstructorParameters<typeof Board>[1] = {}): Board {
  const board = new Board(flash, options);
  board.runUntil(BOOTED, 1500);
  board.command(config(periodMs), /^config applied$/);
  board.runUntil(WRITTEN, 2500); // the keeper checks once a second; the first change after boot is written at once
  return board;
}

/** What a fresh boot from `flash` shows: the settings it restored, and that it came up. */
function bootAgain(flash: Uint8Array): { settings: unknown; output: string } {
  const board = new Board(flash);
  const result = board.runUntil(BOOTED, 1500);
  assert.ok(board.output.includes("[firmware] gateway running"), `did not boot (${result.reason} ${result.detail}):\n${board.output}`);
  return { settings: board.settings()[0], output: board.output };
}

describe("RP2040 image: settings kept in flash across resets and power cuts", function () {
  this.timeout(600_000);
  if (BOOTROM === undefined) {
    it.skip(`sets, keeps and survives a cut — skipped: ${NO_BOOTROM}`);
    return;
  }
  let image: Uint8Array;

  before(() => {
    const firmware = buildFirmware({ outDir: join(buildDir, "rp2040-settings"), token: TOKEN, progress: quiet });
    image = new Uint8Array(readFileSync(firmware.bin));
  });

  it("applies a setting typed on its console, writes it to the last flash sectors, and keeps it after a reset", () => {
    const board = writeSetting(image, 2500);
    const chip = board.emulation.chip;
    assert.deepEqual(chip.operations.map((op) => [op.kind, op.address]), [["erase", SETTINGS_SECTOR], ["program", SETTINGS_SECTOR]]);
    assert.equal(chip.erases, 1);
    assert.equal(chip.sectorErases[SETTINGS_SECTOR / 4096], 1);
    assert.equal(chip.unknown, 0, `commands the chip does not know (last 0x${chip.lastUnknown.toString(16)})`);
    assert.equal(chip.ignored, 0, "no erase or program without write enable, none while busy");
    const again = bootAgain(board.emulation.flash.snapshot());
    assert.ok(again.output.includes("[firmware] settings: restored from flash"), again.output);
    assert.deepEqual(again.settings, settingsWith(2500));
  });

  it("answers on the console: a wrong token, an invalid body (POST /v1/config's 400 message), a line too long, a query", () => {
    const board = new Board(image);
    board.runUntil(BOOTED, 1500);
    board.command(`config Bearer wrong-token-123 {"sensors": {}}`, /^config unauthorized: /);
    board.command(`config {"sensors": {}}`, /^config unauthorized: /);
    board.command(config(5), /^config rejected: setting "sensors"\."sht3x"\."periodMs" must be a whole number from 100 to 3600000$/);
    board.command(`config Bearer ${TOKEN} {"sensors": {"nope": {}}}`, /^config rejected: no sensor named "nope"; declared: sht3x, bmp280, tmp117, lis3dh$/);
    board.command(`config Bearer ${TOKEN} ${"x".repeat(1100)}`, /^console: a line longer than 1024 bytes was refused$/);
    board.command("help", /^console: unknown command; try config Bearer <token>/);
    board.command(`config Bearer ${TOKEN}`, /^settings \{/);
    assert.deepEqual(board.settings().at(-1), settingsWith(1000), "GET /v1/config's document, as the console prints it");
    board.runUntil(/^console lines=/, 1500);
    assert.ok(/console lines=6 refused=1 dropped=0 config-applied=0 config-unauthorized=2 config-rejected=2/.test(board.output), board.output);
    assert.equal(board.emulation.chip.erases, 0, "nothing refused is written");
  });

  it("resets to the declaration's settings with config reset under the token, written at once and kept", () => {
    const set = writeSetting(image, 3000);
    const board = new Board(set.emulation.flash.snapshot());
    board.runUntil(BOOTED, 1500);
    assert.deepEqual(board.settings()[0], settingsWith(3000));
    board.command(`config reset Bearer ${TOKEN}`, /^config reset: every setting is the declaration's again$/);
    assert.equal(board.emulation.chip.erases, 1, "a factory reset is written at once");
    assert.deepEqual(bootAgain(board.emulation.flash.snapshot()).settings, settingsWith(1000));
  });

  it("allocates nothing while idle with the keeper running, before and after a setting is applied", () => {
    const board = writeSetting(image, 2000);
    board.runUntil(/^memory slots=/, 7000, 6);
    const lines = board.output.slice(board.output.indexOf("settings writes=1 "));
    const steady = steadyMemory(lines);
    for (const line of steady) assert.equal(line, steady[0], `slots, chunks and GC count between reports: ${steady.join(" | ")}`);
  });

  describe("a power cut in the middle of a settings write", () => {
    let oldFlash: Uint8Array;
    let write: readonly FlashOperation[];
    /** The record's bytes: the page program's first `recordBytes` bytes are the record, the rest 0xFF padding. */
    let recordBytes: number;

    before(() => {
      // Two writes before: 1500 in the first slot, then 2500 (the old value) in the second. The cut write puts
      // 4000 (the new value) over the first slot's older record: its erase and program are what the cuts hit.
      const first = writeSetting(image, 1500).emulation.flash.snapshot();
      oldFlash = writeSetting(first, 2500).emulation.flash.snapshot();
      const board = writeSetting(oldFlash, 4000);
      write = board.emulation.chip.operations;
      recordBytes = Number(/^settings writes=1 bytes=(\d+)/m.exec(board.output)?.[1]);
      assert.deepEqual(write.map((op) => [op.kind, op.address]), [["erase", SETTINGS_SECTOR], ["program", SETTINGS_SECTOR]]);
      assert.ok(recordBytes > 0 && recordBytes <= 256, `a record of ${recordBytes} bytes, one page`);
    });

    /** Cut points across the erase and the program: the first and last byte of each, the record's last byte. */
    function cuts(): Array<{ operation: number; byte: number }> {
      const points: Array<{ operation: number; byte: number }> = [];
      write.forEach((op, operation) => {
        for (const byte of [0, 1, op.bytes >> 1, op.bytes - 2, op.bytes - 1]) points.push({ operation, byte });
      });
      points.push({ operation: 1, byte: recordBytes - 1 }, { operation: 1, byte: recordBytes });
      return points;
    }

    it("boots with the old value or the new one, never anything else, at every cut point", () => {
      const seen = new Map<string, string>();
      for (const cut of cuts()) {
        const board = writeSetting(oldFlash, 4000, { powerCut: cut });
        const result = board.emulation.run(board.emulation.nowMs + 3000, 500_000_000);
        assert.equal(result.reason, "power cut", `cut ${JSON.stringify(cut)} did not happen: ${result.detail}`);
        const { settings, output } = bootAgain(board.emulation.flash.snapshot());
        const old = JSON.stringify(settings) === JSON.stringify(settingsWith(2500));
        const changed = JSON.stringify(settings) === JSON.stringify(settingsWith(4000));
        assert.ok(old || changed, `cut ${JSON.stringify(cut)}: booted with ${JSON.stringify(settings)}:\n${output}`);
        seen.set(JSON.stringify(cut), old ? "old" : "new");
      }
      assert.equal(seen.get(JSON.stringify({ operation: 0, byte: 0 })), "old", "a cut as the erase begins keeps the old value");
      assert.equal(seen.get(JSON.stringify({ operation: 1, byte: recordBytes - 1 })), "old", "the record's last byte missing: old");
      assert.equal(seen.get(JSON.stringify({ operation: 1, byte: recordBytes })), "new", "the record whole, its padding cut: new");
    });

    it("counts the slot a cut spoiled and keeps the newest good record", () => {
      const board = writeSetting(oldFlash, 4000, { powerCut: { operation: 1, byte: 40 } });
      board.emulation.run(board.emulation.nowMs + 3000, 500_000_000);
      const { settings, output } = bootAgain(board.emulation.flash.snapshot());
      assert.deepEqual(settings, settingsWith(2500));
      assert.ok(output.includes("[firmware] settings: 1 settings record(s) failed their check (a cut write or corruption)"), output);
    });
  });
});
