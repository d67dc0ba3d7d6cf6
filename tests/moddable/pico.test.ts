import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../../tools/cli/paths.js";
import { installNodeEngine } from "../../hosts/node/engine.js";
import { loadScenario } from "../../simulator/scenario.js";
import { buildPath, findPicoSdk, findSdk, generatedConfig, manifestCopy, mcconfig, preloadWarnings } from "../../tools/moddable/sdk.js";
import { Emulation } from "../../tools/rp2040/emulator.js";
import { flashImage } from "../../tools/rp2040/image.js";
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
/** Emulated time: boot (~0.5 s), the window, then five reports. */
const RUN_MS = 5000;

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
    const built = await mcconfig(sdk, ["-i", "-m", "-p", "pico", "-t", "build", "reportMs=500"], { env: picoEnv });
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
