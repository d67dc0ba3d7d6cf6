// Node only (it builds images and runs rp2040js): the gateway image with the default declaration, built once,
// booted with the simulator's devices on the emulated I2C0 and pins.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildDir, distDir } from "../../tools/cli/paths.js";
import { buildFirmware, FLASH_TARGET_BYTES, type Firmware } from "../../tools/rp2040/build.js";
import { ImageError } from "../../tools/rp2040/image.js";
import * as assert from "../support/assert.js";
import { emulate, lastReadings, latest, steadyMemory, type ScenarioJson, type SensorReadings } from "./emulate.js";

/** Only the SHT3x: no sensor interrupts, so the interrupt counter counts the button's edges alone. */
const SHT3X_ONLY: ScenarioJson = { board: "pico", devices: [{ type: "sht3x" }] };
const quiet = (): void => undefined;

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

  it("boots the gateway, samples every sensor over the emulated I2C and prints valid readings over UART", () => {
    const { output, result } = emulate(image, 2.5);
    assert.equal(result.reason, "time", result.detail);
    assert.ok(output.includes("[firmware] gateway running: 4 sensors"), output);
    const sensors = lastReadings(output);
    assert.closeTo(latest(sensors.sht3x, "temperatureC"), 22, 3);
    const humidity = latest(sensors.sht3x, "humidityRH");
    assert.ok(humidity > 0 && humidity < 100, `humidity ${humidity}`);
    assert.closeTo(latest(sensors.bmp280, "pressurePa"), 101325, 2000);
    assert.closeTo(latest(sensors.tmp117, "temperatureC"), 22, 3);
    assert.closeTo(latest(sensors.lis3dh, "accelerationG"), 1, 0.1);
    for (const [name, sensor] of Object.entries(sensors)) {
      assert.ok(sensor.produced > 0, `${name} produced nothing`);
      assert.equal(sensor.produced, sensor.delivered + sensor.dropped, `${name}: produced = delivered + dropped`);
    }
    assert.ok(/^sensor sht3x temperatureC=\d+\.\d\d humidityRH=\d+\.\d\d produced=\d+/m.test(output), output);
    assert.ok(/first sample [\d.]+ ms after reset/.test(output), output);
    assert.ok(/boot: main at [\d.]+ ms, gateway at [\d.]+ ms, sensors open at [\d.]+ ms after reset; collections by then \d+/.test(output), output);
  });

  it("allocates nothing in the steady state on the device: sampling, aggregating, serialising and reporting", () => {
    const { output } = emulate(image, 6.5);
    const steady = steadyMemory(output);
    for (const line of steady) assert.equal(line, steady[0], `slots, chunks and GC count after warm-up: ${steady.join(" | ")}`);
  });

  it("runs onReadable on the JS thread for a GPIO edge", () => {
    // After boot (~0.3 s emulated) the line, low in the simulation, goes rising, falling, rising.
    const { output } = emulate(image, 2.6, (sim) => {
      sim.clock.at(1000, () => sim.pins.drive(sim.board.pins.button, 1));
      sim.clock.at(1300, () => sim.pins.drive(sim.board.pins.button, 0));
      sim.clock.at(1600, () => sim.pins.drive(sim.board.pins.button, 1));
    }, SHT3X_ONLY);
    const gpio = [...output.matchAll(/gpio 15 onReadable=(\d+) interrupts=(\d+)/g)].at(-1);
    assert.ok(gpio !== undefined, output);
    assert.ok(Number(gpio?.[1]) >= 1, `onReadable ran ${gpio?.[1]} times`);
    assert.equal(Number(gpio?.[2]), 3, "three edges, three interrupts");
  });

  it("reports a NACK, counts it as a drop and keeps sampling", () => {
    const { output, result } = emulate(image, 4.5, (sim) => sim.inject({ kind: "nack-address", address: 0x44, atMs: 1500, untilMs: 2600 }));
    assert.equal(result.reason, "time", result.detail);
    const nack = output.indexOf("sample sht3x invalid: nack x");
    assert.ok(nack > 0, output);
    assert.ok(/sensor sht3x temperatureC=\d/.test(output.slice(nack)), `no reading after the NACK:\n${output}`);
    const sht3x = lastReadings(output).sht3x;
    assert.ok((sht3x?.dropped ?? 0) >= 1, "the NACK is counted as a drop");
    assert.equal(sht3x?.produced, (sht3x?.delivered ?? 0) + (sht3x?.dropped ?? 0));
  });

  it("retries a declared sensor that does not answer at start and samples it once it does", () => {
    const { output, result } = emulate(image, 4.5, (sim) => sim.inject({ kind: "vanish", address: 0x76, atMs: 0, untilMs: 2500 }));
    assert.equal(result.reason, "time", result.detail);
    assert.ok(/\[firmware\] sensor not open yet \(retrying\): bmp280: not open after 1 attempt, next in 1000 ms/.test(output), output);
    assert.ok(output.includes("[firmware] gateway running: 4 sensors"), output);
    const bmp280 = lastReadings(output).bmp280;
    assert.ok((bmp280?.delivered ?? 0) > 0, `the BMP280 joined after its retries:\n${output}`);
    assert.closeTo(latest(bmp280, "pressurePa"), 101325, 2000);
  });

  it("keeps reading the LIS3DH after a NACK window on its interrupt path, the missed frames counted", () => {
    const { output, result } = emulate(image, 5.5, (sim) => sim.inject({ kind: "nack-address", address: 0x18, atMs: 1500, untilMs: 2500 }));
    assert.equal(result.reason, "time", result.detail);
    const after = [...output.matchAll(/^readings (\{.*\})\r?$/gm)]
      .map((line) => JSON.parse(line[1] ?? "{}") as { uptimeMs: number; sensors: Record<string, SensorReadings> })
      .filter((readings) => readings.uptimeMs > 2600);
    const first = after[0]?.sensors.lis3dh;
    const last = after.at(-1)?.sensors.lis3dh;
    assert.ok(after.length >= 2, `two readings after the fault:\n${output}`);
    assert.ok((last?.delivered ?? 0) - (first?.delivered ?? 0) >= 5, `frames delivered a second apart after the fault (10 Hz):\n${output}`);
    assert.ok((last?.dropped ?? 0) >= 1, "the missed reads are counted as drops");
    assert.equal(last?.produced, (last?.delivered ?? 0) + (last?.dropped ?? 0));
  });

  it("halts with a reason when the bytecode was linked against another engine", () => {
    const nm = spawnSync("arm-none-eabi-nm", [firmware.elf], { encoding: "utf8" }).stdout;
    const address = parseInt(/^([0-9a-f]+) [RT] gLinkKeyFingerprint$/m.exec(nm)?.[1] ?? "0", 16);
    assert.ok(address > 0x10000000, "gLinkKeyFingerprint is in flash");
    const other = image.slice();
    other[address - 0x10000000] = (other[address - 0x10000000] ?? 0) ^ 0xff;
    const { output, result } = emulate(other, 0.3);
    assert.equal(result.restarts, 0, output);
    assert.ok(output.includes("[rp2040] halted: the bytecode does not match this engine"), output);
    assert.ok(!output.includes("[firmware]"), "no JavaScript ran");
  });

  it("reports an out-of-memory over UART and restarts", () => {
    const oom = buildFirmware({ entry: join(distDir, "tests", "rp2040-images", "out-of-memory.js"), outDir: join(buildDir, "rp2040-oom"), progress: quiet });
    const { output, result } = emulate(new Uint8Array(readFileSync(oom.bin)), 1.5);
    assert.ok(output.includes("[rp2040] fatal: out of memory"), output);
    assert.ok(result.restarts >= 1, `restarts: ${result.restarts}`);
    const boots = output.split("[rp2040] stillheap:").length - 1;
    assert.ok(boots >= 2, `booted ${boots} time(s):\n${output}`);
  });

  it("turns deep recursion and nesting into RangeErrors and eval into a SyntaxError; string literals cost no heap", () => {
    const deep = buildFirmware({ entry: join(distDir, "tests", "rp2040-images", "deep-recursion.js"), outDir: join(buildDir, "rp2040-deep"), progress: quiet });
    const { output, result } = emulate(new Uint8Array(readFileSync(deep.bin)), 1.5);
    assert.equal(result.restarts, 0, output);
    assert.ok(output.includes("[recursion] caught RangeError"), output);
    assert.ok(output.includes("[nesting] caught RangeError"), output);
    assert.ok(output.includes("[parser] caught SyntaxError: no JavaScript parser on this device"), output);
    assert.ok(output.includes("[literals] 1000 calls, chunk bytes moved 0, slots moved 0, collections 0"), output);
  });

  it("refuses an image whose boot2 CRC does not match, as the bootrom does", () => {
    const corrupted = image.slice();
    corrupted[100] = (corrupted[100] ?? 0) ^ 0x01;
    assert.throws(() => emulate(corrupted, 0.1), ImageError);
  });
});
