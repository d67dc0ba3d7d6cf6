import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { installNodeEngine } from "../../hosts/node/engine.js";
import { loadScenario } from "../../simulator/scenario.js";
import { buildPath, findPicoSdk, findSdk, mcconfig, preloadWarnings } from "../../tools/moddable/sdk.js";
import { Emulation } from "../../tools/rp2040/emulator.js";
import { flashImage } from "../../tools/rp2040/image.js";
import * as assert from "../support/assert.js";

// The firmware users flash: `mcconfig -p pico` of the unmodified manifest, built by the SDK with pico-sdk, then the
// .uf2 booted in rp2040js on the real RP2040 bootrom with stillheap's simulated sensors on I2C0.
const found = findSdk();
const pico = findPicoSdk();
const bootromPath = process.env["STILLHEAP_RP2040_BOOTROM"];
const missing = !found.ok ? found.reason : !pico.ok ? pico.reason :
  bootromPath === undefined || !existsSync(bootromPath) ? "STILLHEAP_RP2040_BOOTROM does not name the RP2040 bootrom" : undefined;

/** A NACK window on the SHT3x once the gateway runs; reports every 500 ms, sensors sampled every 250 ms. */
const NACK_FROM_MS = 1300;
const NACK_UNTIL_MS = 1700;
const SCENARIO = {
  board: "pico",
  devices: [{ type: "sht3x" }, { type: "bmp280" }, { type: "tmp117", alertPin: 16 }, { type: "lis3dh", int1Pin: 17 }],
  faults: [{ kind: "nack-address", address: 0x44, atMs: NACK_FROM_MS, untilMs: NACK_UNTIL_MS }],
};
/** Emulated time: boot (~0.5 s), the window, then four reports. */
const RUN_MS = 4800;
const CONFIG = ["reportMs=500", "sht3xPeriodMs=250", "bmp280PeriodMs=250", "tmp117PeriodMs=250"];

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

describe("Moddable SDK: the Pico firmware users flash, booted in the emulator", function () {
  this.timeout(900_000);
  if (missing !== undefined || !found.ok || !pico.ok || bootromPath === undefined) {
    it.skip(`builds xs_pico.uf2 and boots it with simulated sensors — skipped: ${missing ?? "no SDK"}`);
    return;
  }
  const sdk = found.value;
  const picoEnv = pico.value;

  it("builds completely as a user builds it: mcconfig -m -p pico -t build gives xs_pico.elf and .uf2", async () => {
    const built = await mcconfig(sdk, ["-m", "-p", "pico", "-t", "build"], { env: picoEnv });
    assert.equal(built.status, 0, `mcconfig -m -p pico -t build failed:\n${built.output.slice(-4000)}`);
    assert.deepEqual(preloadWarnings(built.output), [], "xsl warned about stillheap's preloaded modules");
    for (const file of ["xs_pico.elf", "xs_pico.uf2"]) {
      assert.ok(existsSync(join(buildPath("bin", "pico", "release"), file)), `${file} was built`);
    }
  });

  it("boots the instrumented .uf2: all four sensors sampled, a NACK counted as a drop, memory flat between reports", async () => {
    const built = await mcconfig(sdk, ["-i", "-m", "-p", "pico", "-t", "build", ...CONFIG], { env: picoEnv });
    assert.equal(built.status, 0, `mcconfig -i -m -p pico failed:\n${built.output.slice(-4000)}`);
    const uf2 = join(buildPath("bin", "pico", "instrument"), "xs_pico.uf2");
    installNodeEngine();
    const sim = loadScenario(SCENARIO);
    let output = "";
    const emulation = new Emulation({
      image: flashImage(new Uint8Array(readFileSync(uf2))), sim, bootrom: new Uint8Array(readFileSync(bootromPath)),
      onUart: (text) => (output += text), onUsb: (text) => (output += text),
    });
    const result = emulation.run(RUN_MS, RUN_MS * 150_000);
    assert.equal(result.reason, "time", `${result.reason}: ${result.detail}\n${output}`);
    assert.ok(/first sample [\d.]+ ms after reset/.test(output), output);
    for (const name of ["sht3x", "bmp280", "tmp117", "lis3dh"]) {
      const last = sensorLines(output, name).at(-1);
      assert.ok(last !== undefined && last.delivered > 0, `${name} delivered samples:\n${output}`);
      assert.equal(last?.produced, (last?.delivered ?? 0) + (last?.dropped ?? 0), `${name}: produced = delivered + dropped`);
    }
    // Moddable's I2C reports a NACK as Error("write failed"), the same as a timeout: counted as nack-or-timeout.
    assert.ok(/^sample sht3x invalid: nack-or-timeout x\d+$/m.test(output), `the NACK window shows as a drop:\n${output}`);
    const sht3x = sensorLines(output, "sht3x");
    const lastTwo = sht3x.slice(-2);
    assert.ok(lastTwo.length === 2 && (lastTwo[1]?.delivered ?? 0) > (lastTwo[0]?.delivered ?? 0), "sampling goes on after the window");
    // Each report reads memory before writing anything and collects after it: the figures show what sampling left.
    // A fault keeps its last error (SensorFault.cause), so the figures settle once the window is over.
    const memory = [...output.matchAll(/^memory slots=(\d+) chunks=(\d+)/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.ok(memory.length >= 6, `${memory.length} memory lines:\n${output}`);
    const steady = memory.slice(-3);
    for (const line of steady) assert.equal(line, steady[0], `slots and chunk bytes after the window: ${memory.join(" | ")}`);
  });
});
