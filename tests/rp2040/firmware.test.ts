import { readFileSync } from "node:fs";
import { join } from "node:path";
import { installNodeEngine } from "../../hosts/node/engine.js";
import { loadScenario } from "../../simulator/scenario.js";
import { buildDir, distDir } from "../../tools/cli/paths.js";
import { buildFirmware, FLASH_TARGET_BYTES, type Firmware } from "../../tools/rp2040/build.js";
import { Emulation, type EmulationResult } from "../../tools/rp2040/emulator.js";
import { ImageError } from "../../tools/rp2040/image.js";
import * as assert from "../support/assert.js";

// The firmware image, built once, booted in rp2040js with the simulator's devices on the emulated I2C0 and pins.
const SCENARIO = { board: "pico", devices: [{ type: "sht3x" }] };
const quiet = (): void => undefined;

interface Run {
  readonly output: string;
  readonly result: EmulationResult;
}

function emulate(image: Uint8Array, seconds: number, setUp?: (sim: ReturnType<typeof loadScenario>) => void): Run {
  installNodeEngine();
  const sim = loadScenario(SCENARIO);
  setUp?.(sim);
  let output = "";
  const emulation = new Emulation({ image, sim, onUart: (text) => (output += text) });
  const result = emulation.run(seconds * 1000, seconds * 150_000_000);
  return { output, result };
}

describe("RP2040 firmware image in the emulator", function () {
  this.timeout(300_000);
  let firmware: Firmware;
  let image: Uint8Array;

  before(() => {
    firmware = buildFirmware({ progress: quiet });
    image = new Uint8Array(readFileSync(firmware.bin));
  });

  it("fits the flash target and writes a UF2 for drag-and-drop", () => {
    assert.ok(firmware.size.flashBytes <= FLASH_TARGET_BYTES, `image of ${firmware.size.flashBytes} bytes`);
    const uf2 = readFileSync(firmware.uf2);
    assert.equal(uf2.length, Math.ceil(image.length / 256) * 512);
    assert.equal(uf2.readUInt32LE(0), 0x0a324655);
    assert.equal(uf2.readUInt32LE(28), 0xe48bff56, "RP2040 family id");
  });

  it("boots, samples the virtual SHT3x over the emulated I2C and prints a valid reading over UART", () => {
    const { output, result } = emulate(image, 2.5);
    assert.equal(result.reason, "time", result.detail);
    const reading = /reading sht3x temperatureC=(-?[\d.]+) humidityRH=([\d.]+)/.exec(output);
    assert.ok(reading !== null, output);
    assert.closeTo(Number(reading?.[1]), 22, 3);
    assert.ok(Number(reading?.[2]) > 0 && Number(reading?.[2]) < 100, output);
    assert.ok(/first sample [\d.]+ ms after boot/.test(output), output);
  });

  it("runs onReadable on the JS thread for a GPIO edge", () => {
    // After boot (~0.4 s emulated, most of it parsing the modules) the line, low in the simulation, goes
    // rising, falling, rising.
    const { output } = emulate(image, 2.6, (sim) => {
      sim.clock.at(1000, () => sim.pins.drive(sim.board.pins.button, 1));
      sim.clock.at(1300, () => sim.pins.drive(sim.board.pins.button, 0));
      sim.clock.at(1600, () => sim.pins.drive(sim.board.pins.button, 1));
    });
    const gpio = [...output.matchAll(/gpio 15 onReadable=(\d+) interrupts=(\d+)/g)].at(-1);
    assert.ok(gpio !== undefined, output);
    assert.ok(Number(gpio?.[1]) >= 1, `onReadable ran ${gpio?.[1]} times`);
    assert.equal(Number(gpio?.[2]), 3, "three edges, three interrupts");
  });

  it("reports a NACK and keeps sampling", () => {
    const { output, result } = emulate(image, 4.5, (sim) => sim.inject({ kind: "nack-address", address: 0x44, atMs: 1500, untilMs: 2600 }));
    assert.equal(result.reason, "time", result.detail);
    const nack = output.indexOf("sample sht3x invalid: nack");
    assert.ok(nack > 0, output);
    assert.ok(/reading sht3x temperatureC=/.test(output.slice(nack)), `no reading after the NACK:\n${output}`);
    assert.ok(/invalid=[1-9]/.test(output), "the fault is counted");
  });

  it("reports an out-of-memory over UART and restarts", () => {
    const oom = buildFirmware({ entry: join(distDir, "tests", "rp2040-images", "out-of-memory.js"), outDir: join(buildDir, "rp2040-oom"), progress: quiet });
    const { output, result } = emulate(new Uint8Array(readFileSync(oom.bin)), 1.5);
    assert.ok(output.includes("[rp2040] fatal: out of memory"), output);
    assert.ok(result.restarts >= 1, `restarts: ${result.restarts}`);
    const boots = output.split("[rp2040] stillheap:").length - 1;
    assert.ok(boots >= 2, `booted ${boots} time(s):\n${output}`);
  });

  it("turns deep JS recursion and deep nesting into RangeErrors (XS stack and C stack limits)", () => {
    const deep = buildFirmware({ entry: join(distDir, "tests", "rp2040-images", "deep-recursion.js"), outDir: join(buildDir, "rp2040-deep"), progress: quiet });
    const { output, result } = emulate(new Uint8Array(readFileSync(deep.bin)), 1.5);
    assert.equal(result.restarts, 0, output);
    assert.ok(output.includes("[recursion] caught RangeError"), output);
    assert.ok(output.includes("[nesting] caught RangeError"), output);
  });

  it("refuses an image whose boot2 CRC does not match, as the bootrom does", () => {
    const corrupted = image.slice();
    corrupted[100] = (corrupted[100] ?? 0) ^ 0x01;
    assert.throws(() => emulate(corrupted, 0.1), ImageError);
  });
});
