import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../../tools/cli/paths.js";
import { installNodeEngine } from "../../hosts/node/engine.js";
import { loadScenario } from "../../simulator/scenario.js";
import { buildPath, findPicoSdk, findSdk, generatedConfig, manifestCopy, mcconfig, preloadWarnings } from "../../tools/moddable/sdk.js";
import { PicoBoard } from "../../tools/moddable/pico-board.js";
import { Emulation } from "../../tools/rp2040/emulator.js";
import { flashImage } from "../../tools/rp2040/image.js";
import type { FlashOperation } from "../../tools/rp2040/w25q16.js";
import * as assert from "../support/assert.js";

// The firmware users flash: `mcconfig -p pico` of the manifest, built by the SDK with pico-sdk, then the .uf2 booted
// in rp2040js on the real RP2040 bootrom with stillheap's simulated sensors on I2C0 — the manifest as it is, and a
// user's fork of it that declares other sensors in its config.
const found = findSdk();
const pico = findPicoSdk();
const bootromPath = process.env["STILLHEAP_RP2040_BOOTROM"];
const missing = !found.ok ? found.reason : !pico.ok ? pico.reason :
  bootromPath === undefined || !existsSync(bootromPath) ? "STILLHEAP_RP2040_BOOTROM does not name the RP2040 bootrom" : undefined;

/** The default declaration's board, and a NACK window on the SHT3x once the gateway runs (it samples every 1 s). */
const NACK_FROM_MS = 1300;
const NACK_UNTIL_MS = 2600;
const SCENARIO = {
  board: "pico",
  devices: [{ type: "sht3x" }, { type: "bmp280" }, { type: "tmp117", alertPin: 16 }, { type: "lis3dh", int1Pin: 17 }],
  faults: [{ kind: "nack-address", address: 0x44, atMs: NACK_FROM_MS, untilMs: NACK_UNTIL_MS }],
};
const SCENARIO_WITHOUT_FAULTS = { board: SCENARIO.board, devices: SCENARIO.devices };
/** Emulated time: boot (~0.5 s), the window, then five reports. */
const RUN_MS = 5000;
/** The console's config token the instrumented build is made with. */
const TOKEN = "pico-console-7f3a";
/** The flash's last two 4 KB sectors (of 2 MB), where the Pico build keeps its settings records. */
const SETTINGS_SECTOR = 0x1fe000;
const COMPOSED = /^stillheap: settings /;
const WRITTEN = /^settings writes=1 /;

/**
 * A fork's own declaration: other names, other addresses, the TMP117's ALERT on GP18 — and its board. The TMP117
 * reads above its 30 °C limit, so it raises ALERT at each conversion (1 s) and each alert is one more sample.
 */
const FORK = "pico-two-sensors";
const FORK_SENSORS = [
  { name: "air", type: "sht3x", address: 0x45, periodMs: 500 },
  { name: "probe", type: "tmp117", address: 0x49, pins: { alert: 18 }, periodMs: 500 },
];
const FORK_SCENARIO = {
  board: "pico",
  devices: [{ type: "sht3x", address: 0x45, temperatureC: 19 }, { type: "tmp117", address: 0x49, alertPin: 18, temperatureC: 35 }],
};
const FORK_RUN_MS = 4000;

interface SensorLine {
  readonly produced: number;
  readonly delivered: number;
  readonly dropped: number;
}

/** Each report's `sensor <name> … produced=N delivered=N dropped=N` line for `name`, in order. */
function sensorLines(output: string, name: string): SensorLine[] {
  return [...output.matchAll(new RegExp(`^sensor ${name} .*produced=(\\d+) delivered=(\\d+) dropped=(\\d+)$`, "gm"))]
    .map((m) => ({ produced: Number(m[1]), delivered: Number(m[2]), dropped: Number(m[3]) }));
}

/** The strict check's `[firmware] steady: …` lines, without their prefix. */
function steadyLines(output: string): string[] {
  return [...output.matchAll(/^\[firmware\] steady: (.*)$/gm)].map((m) => m[1] ?? "");
}

/** Boots `uf2` on the scenario's board for `runMs` emulated ms; returns the console (USB and UART). */
function boot(uf2: string, scenario: unknown, runMs: number, bootrom: string): string {
  installNodeEngine();
  const sim = loadScenario(scenario);
  let output = "";
  const emulation = new Emulation({
    image: flashImage(new Uint8Array(readFileSync(uf2))), sim, bootrom: new Uint8Array(readFileSync(bootrom)),
    onUart: (text) => (output += text), onUsb: (text) => (output += text),
  });
  const result = emulation.run(runMs, runMs * 150_000);
  assert.equal(result.reason, "time", `${result.reason}: ${result.detail}\n${output}`);
  return output;
}

/** The pins each declared sensor of a generated mc/config names, by sensor name. */
function declaredPins(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const sensors = config["sensors"] as ReadonlyArray<{ readonly name: string; readonly pins?: unknown }>;
  return Object.fromEntries(sensors.map((sensor) => [sensor.name, sensor.pins]));
}

describe("Moddable SDK: the Pico firmware users flash, booted in the emulator", function () {
  this.timeout(900_000);
  if (missing !== undefined || !found.ok || !pico.ok || bootromPath === undefined) {
    it.skip(`builds xs_pico.uf2 and boots it with simulated sensors — skipped: ${missing ?? "no SDK"}`);
    return;
  }
  const sdk = found.value;
  const picoEnv = pico.value;
  let building: ReturnType<typeof mcconfig> | undefined;
  /** The instrumented build (reportMs=500, the console token), made once for the tests that boot it. */
  const instrumented = (): ReturnType<typeof mcconfig> =>
    (building ??= mcconfig(sdk, ["-i", "-m", "-p", "pico", "-t", "build", "reportMs=500", `apiToken=${TOKEN}`], { env: picoEnv }));

  it("builds completely as a user builds it (xs_pico.elf and .uf2), its mc/config declaring the Pico wiring", async () => {
    const built = await mcconfig(sdk, ["-m", "-p", "pico", "-t", "build"], { env: picoEnv });
    assert.equal(built.status, 0, `mcconfig -m -p pico -t build failed:\n${built.output.slice(-4000)}`);
    for (const file of ["xs_pico.elf", "xs_pico.uf2"]) {
      assert.ok(existsSync(join(buildPath("bin", "pico", "release"), file)), `${file} was built`);
    }
    const pins = declaredPins(await generatedConfig("pico", "release"));
    assert.deepEqual(pins, { sht3x: undefined, bmp280: undefined, tmp117: { alert: 16 }, lis3dh: { int1: 17 } });
    assert.deepEqual(preloadWarnings(built.output), [], "xsl warned about stillheap's preloaded modules");
  });

  it("boots the instrumented .uf2: all four sensors sampled, a NACK counted as a drop, memory flat between reports", async () => {
    const built = await instrumented();
    assert.equal(built.status, 0, `mcconfig -i -m -p pico failed:\n${built.output.slice(-4000)}`);
    const output = boot(join(buildPath("bin", "pico", "instrument"), "xs_pico.uf2"), SCENARIO, RUN_MS, bootromPath);
    assert.ok(/first sample [\d.]+ ms after reset/.test(output), output);
    assert.ok(/^\[firmware\] boot: main at \d+ ms, gateway at \d+ ms, sensors open at \d+ ms after reset; before the gateway slots=\d+ chunks=\d+; collections by then \d+$/m.test(output), `the boot line:\n${output}`);
    for (const name of ["sht3x", "bmp280", "tmp117", "lis3dh"]) {
      const last = sensorLines(output, name).at(-1);
      assert.ok(last !== undefined && last.delivered > 0, `${name} delivered samples:\n${output}`);
      assert.equal(last?.produced, (last?.delivered ?? 0) + (last?.dropped ?? 0), `${name}: produced = delivered + dropped`);
    }
    // Moddable's I2C reports a NACK as Error("write failed"), the same as a timeout: counted as nack-or-timeout.
    assert.ok(/^sample sht3x invalid: nack-or-timeout x\d+$/m.test(output), `the NACK window shows as a drop:\n${output}`);
    const sht3x = sensorLines(output, "sht3x");
    const [before, last] = [sht3x.at(-3), sht3x.at(-1)]; // two reports, a second apart: one sampling period
    assert.ok((last?.delivered ?? 0) > (before?.delivered ?? 0), `sampling goes on after the window: ${JSON.stringify(sht3x)}`);
    // Each report reads memory before writing anything and collects after it: the figures show what sampling left.
    // A fault keeps its last error (SensorFault.cause), so the figures settle once the window is over.
    const memory = [...output.matchAll(/^memory slots=(\d+) chunks=(\d+)/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.ok(memory.length >= 6, `${memory.length} memory lines:\n${output}`);
    const steady = memory.slice(-3);
    for (const line of steady) assert.equal(line, steady[0], `slots and chunk bytes after the window: ${memory.join(" | ")}`);
    // The strict check: nothing allocated and nothing collected between the last reports, a second of sampling each.
    const checks = steadyLines(output);
    assert.ok(checks.length >= 6, `${checks.length} steady lines:\n${output}`);
    assert.deepEqual(checks.slice(-3), ["slots 0 chunks 0 collected no", "slots 0 chunks 0 collected no",
      "slots 0 chunks 0 collected no"], `between reports, after the window: ${checks.join(" | ")}`);
  });

  it("fails the strict check where sampling allocates: the same image with the SHT3x NACKing throughout", () => {
    // Moddable's I2C throws an Error for each failed transaction: garbage every sample, which the check must see.
    const nacking = { ...SCENARIO, faults: [{ kind: "nack-address", address: 0x44, atMs: 0, untilMs: RUN_MS * 2 }] };
    const output = boot(join(buildPath("bin", "pico", "instrument"), "xs_pico.uf2"), nacking, RUN_MS, bootromPath);
    // A NACKing sensor is retried with backoff, so not every report interval samples it: some interval must fail.
    const checks = steadyLines(output);
    assert.ok(checks.length >= 6, `${checks.length} steady lines:\n${output}`);
    assert.ok(checks.some((check) => check !== "slots 0 chunks 0 collected no"), `the allocation is seen: ${checks.join(" | ")}`);
  });

  describe("settings: config over the USB console, kept in flash across resets and power cuts", () => {
    let image: Uint8Array;
    let bootrom: Uint8Array;

    before(async () => {
      const built = await instrumented();
      assert.equal(built.status, 0, `mcconfig -i -m -p pico failed:\n${built.output.slice(-4000)}`);
      image = flashImage(new Uint8Array(readFileSync(join(buildPath("bin", "pico", "instrument"), "xs_pico.uf2"))));
      bootrom = new Uint8Array(readFileSync(bootromPath));
    });

    /** The settings document with sht3x's period set to `periodMs`, the rest as DEFAULT_SENSORS declares them. */
    const settingsWith = (periodMs: number): unknown => ({ sensors: { sht3x: { periodMs }, bmp280: { periodMs: 1000 },
      tmp117: { periodMs: 1000, highLimitC: 30 }, lis3dh: { periodMs: 200, rateHz: 10 } } });
    const config = (periodMs: number): string => `config Bearer ${TOKEN} {"sensors": {"sht3x": {"periodMs": ${periodMs}}}}`;

    /** Boots `flash`, sets sht3x's period on the console and runs until the report shows the record written. */
    function writeSetting(flash: Uint8Array, periodMs: number, options: ConstructorParameters<typeof PicoBoard>[3] = {}): PicoBoard {
      const board = new PicoBoard(flash, bootrom, SCENARIO_WITHOUT_FAULTS, options);
      board.runUntil(COMPOSED, 2000);
      board.command(config(periodMs), /^config applied$/, 2000);
      board.runUntil(WRITTEN, 3000);
      return board;
    }

    /** What a fresh boot from `flash` restored: the settings `config Bearer <token>` prints, and the console. */
    function bootAgain(flash: Uint8Array): { settings: unknown; output: string } {
      const board = new PicoBoard(flash, bootrom, SCENARIO_WITHOUT_FAULTS);
      board.runUntil(COMPOSED, 2000);
      board.command(`config Bearer ${TOKEN}`, /^settings \{/, 2000);
      return { settings: board.settings().at(-1), output: board.output };
    }

    it("applies a setting typed on the USB console, writes it to the flash's last sectors and keeps it after a reset", () => {
      const board = writeSetting(image, 2500);
      const chip = board.emulation.chip;
      assert.deepEqual(chip.operations.map((op) => [op.kind, op.address]), [["erase", SETTINGS_SECTOR], ["program", SETTINGS_SECTOR]]);
      assert.equal(chip.unknown, 0, `commands the chip does not know (last 0x${chip.lastUnknown.toString(16)})`);
      assert.equal(chip.ignored, 0, "no erase or program without write enable, none while busy");
      assert.ok(board.output.includes("stillheap: settings the declaration's (no settings record kept)"), board.output);
      const again = bootAgain(board.emulation.flash.snapshot());
      assert.ok(/^stillheap: settings restored; two \d+-byte records in the flash's last two sectors$/m.test(again.output), again.output);
      assert.deepEqual(again.settings, settingsWith(2500));
    });

    it("answers as the bare-metal console does: a wrong token, an invalid body, a factory reset written at once", () => {
      const board = writeSetting(image, 3000);
      board.command(`config Bearer wrong-token-123 {"sensors": {}}`, /^config unauthorized: /);
      board.command(config(5), /^config rejected: setting "sensors"\."sht3x"\."periodMs" must be a whole number from 100 to 3600000$/);
      board.command(`config Bearer ${TOKEN} ${"x".repeat(1100)}`, /^console: a line longer than 1024 bytes was refused$/, 3000);
      const erases = board.emulation.chip.erases;
      board.command(`config reset Bearer ${TOKEN}`, /^config reset: every setting is the declaration's again$/);
      assert.equal(board.emulation.chip.erases, erases + 1, "a factory reset is written at once");
      board.runUntil(/^console lines=/, 1500);
      assert.ok(/^console lines=4 refused=1 config-applied=2 config-unauthorized=1 config-rejected=1$/m.test(board.output), board.output);
      assert.deepEqual(bootAgain(board.emulation.flash.snapshot()).settings, settingsWith(1000));
    });

    it("allocates nothing while idle with the keeper and the console polling, after a setting is written", () => {
      const board = writeSetting(image, 2000);
      const from = board.output.length;
      board.runUntil(/^memory slots=/, 3000, 5);
      const memory = [...board.output.slice(from).matchAll(/^memory slots=(\d+) chunks=(\d+)/gm)].map((m) => `${m[1]} ${m[2]}`);
      const steady = memory.slice(1);
      assert.ok(steady.length >= 4, `${memory.length} memory lines:\n${board.output}`);
      for (const line of steady) assert.equal(line, steady[0], `slots and chunk bytes between reports: ${memory.join(" | ")}`);
    });

    describe("a power cut in the middle of a settings write", () => {
      let oldFlash: Uint8Array;
      let write: readonly FlashOperation[];
      let recordBytes: number;

      before(() => {
        // 1500 in the first slot, then 2500 (the old value) in the second; the cut write puts 4000 over the first.
        const first = writeSetting(image, 1500).emulation.flash.snapshot();
        oldFlash = writeSetting(first, 2500).emulation.flash.snapshot();
        const board = writeSetting(oldFlash, 4000);
        write = board.emulation.chip.operations;
        recordBytes = Number(/^settings writes=1 bytes=(\d+)/m.exec(board.output)?.[1]);
        assert.deepEqual(write.map((op) => [op.kind, op.address]), [["erase", SETTINGS_SECTOR], ["program", SETTINGS_SECTOR]]);
        assert.ok(recordBytes > 0 && recordBytes <= 256, `a record of ${recordBytes} bytes, one page`);
      });

      it("boots with the old value or the new one at cut points across the erase and the program", () => {
        const cuts = [{ operation: 0, byte: 0 }, { operation: 0, byte: 2048 }, { operation: 0, byte: 4095 }, { operation: 1, byte: 0 },
          { operation: 1, byte: recordBytes - 1 }, { operation: 1, byte: recordBytes }];
        const seen: string[] = [];
        for (const cut of cuts) {
          const board = writeSetting(oldFlash, 4000, { powerCut: cut });
          const result = board.emulation.run(board.emulation.nowMs + 3000, 3000 * 150_000);
          assert.equal(result.reason, "power cut", `cut ${JSON.stringify(cut)} did not happen: ${result.detail}`);
          const { settings, output } = bootAgain(board.emulation.flash.snapshot());
          const old = JSON.stringify(settings) === JSON.stringify(settingsWith(2500));
          assert.ok(old || JSON.stringify(settings) === JSON.stringify(settingsWith(4000)), `cut ${JSON.stringify(cut)}: ${JSON.stringify(settings)}:\n${output}`);
          if (cut.operation === 1 && cut.byte > 0 && cut.byte < recordBytes) {
            assert.ok(output.includes("stillheap: settings: 1 settings record(s) failed their check (a cut write or corruption)"), output);
          }
          seen.push(old ? "old" : "new");
        }
        assert.deepEqual(seen, ["old", "old", "old", "old", "old", "new"], "old until the record's last byte is programmed");
      });
    });
  });

  it("builds a fork whose manifest declares other sensors (SHT3x at 0x45, TMP117 at 0x49, ALERT on GP18) and samples them", async () => {
    const app = manifestCopy(FORK, (manifest) => {
      const platform = manifest.platforms["pico"];
      assert.ok(platform !== undefined, "manifest.json has a pico platform");
      platform.config = { ...platform.config, sensors: FORK_SENSORS };
    });
    const built = await mcconfig(sdk, ["-m", "-p", "pico", "-t", "build", "reportMs=500"],
      { cwd: app, env: { ...picoEnv, STILLHEAP: projectRoot } });
    assert.equal(built.status, 0, `mcconfig -m -p pico for the fork failed:\n${built.output.slice(-4000)}`);
    assert.deepEqual((await generatedConfig("pico", "release", FORK))["sensors"], FORK_SENSORS, "the build's mc/config carries the fork's declaration");
    const output = boot(join(buildPath("bin", "pico", "release", FORK), "xs_pico.uf2"), FORK_SCENARIO, FORK_RUN_MS, bootromPath);
    const readings = [...output.matchAll(/^readings (\{.*\})$/gm)].at(-1)?.[1];
    assert.ok(readings !== undefined, `a readings line:\n${output}`);
    assert.deepEqual(Object.keys((JSON.parse(readings) as { sensors: object }).sensors), ["air", "probe"], "the declared sensors, no others");
    const air = sensorLines(output, "air").at(-1);
    const probe = sensorLines(output, "probe").at(-1);
    assert.ok(air !== undefined && air.delivered > 0, `air (the SHT3x at 0x45) delivered:\n${output}`);
    assert.ok(probe !== undefined && probe.delivered > 0, `probe (the TMP117 at 0x49) delivered:\n${output}`);
    // Both are sampled every 500 ms from the same start; the probe's extra samples are its alerts, read on GP18.
    assert.ok(probe.produced >= air.produced + 2, `the TMP117's alerts on GP18 add samples: air ${air.produced}, probe ${probe.produced}`);
    assert.deepEqual(preloadWarnings(built.output), [], "xsl warned about stillheap's preloaded modules");
  });
});
