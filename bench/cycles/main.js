/*
 * The cycles bench's firmware (bench/node/cycles.ts boots it in rp2040js on the real bootrom): Moddable's Pico
 * image carrying stillheap's drivers and Moddable's own, unmodified, for the same chips, one simulated chip of each
 * kind on I2C0. Each op runs between two marks (mark.c: a BKPT the emulator stops at, the value in R0), and the ops
 * are 1.1 s apart, asleep in between, so every sample reads a fresh conversion. Moddable's driver goes first on a
 * chip, then ours, which puts the chip in a known state at start. Then the gateway of the default declaration, as
 * the Pico entry composes it (without its console): its readings document and a console report between marks, and a
 * mark where the steady state starts. JavaScript, not TypeScript: Moddable's drivers carry no types.
 */
import Timer from "timer";
import config from "mc/config";
import mark from "bench-mark";
import ModdableSHT3x from "embedded:sensor/Humidity-Temperature/SHT3x";
import ModdableTMP117 from "embedded:sensor/Temperature/TMP117";
import ModdableLIS3DH from "embedded:sensor/Accelerometer/LIS3DH";
import ModdableAHT10 from "embedded:sensor/Humidity-Temperature/AHT10";
import ModdableSHTC3 from "embedded:sensor/Humidity-Temperature/SHTC3";
import ModdableMPU6050 from "embedded:sensor/Accelerometer-Gyroscope/MPU6050";
import ModdableTMP102 from "embedded:sensor/Temperature/TMP102";
import { SHT3x, SHT3xSample, TMP117, TMP117Sample, LIS3DH, LIS3DHSample, AHT20, AHT20Sample, SHTC3, SHTC3Sample,
  MPU6050, MPU6050Sample, TMP102, TMP102Sample } from "stillheap/drivers";
import { DEFAULT_SENSORS, Gateway, GatewayConsole, GatewayDocuments } from "stillheap/app";
import { ByteWriter } from "stillheap/net";
import { pico } from "stillheap/boards";
import { installModdableEngine } from "stillheap/hosts/moddable/engine";
import { boardDevice, declaredSensors, moddableTimer } from "stillheap/hosts/moddable/gateway";

const SAMPLES = Number(config.samples ?? 8);
const GAP_MS = 1100;
const HZ = 100_000;
/** Mark values: 100 + 10 × chip + 2 × side (0 ours, 1 Moddable's) + 0 at the start of an op, 1 at its end. */
const OP = 100;
const GATEWAY_STARTED = 900;
const DOCUMENT = 910;
const REPORT = 920;

const bus = (address, io) => ({ ...device.I2C.default, io, hz: HZ, ...(address === undefined ? {} : { address }) });

/** ours: [driver, sample] made on first use; theirs: a driver. In the order of the chips the harness names. */
const CHIPS = [
  { name: "SHT3x", theirs: () => new ModdableSHT3x({ sensor: bus(undefined, device.io.I2C) }),
    ours: () => [new SHT3x({ sensor: bus(0x44, device.io.SMBus) }), new SHT3xSample()] },
  { name: "TMP117", theirs: () => new ModdableTMP117({ sensor: bus(undefined, device.io.SMBus) }),
    ours: () => [new TMP117({ sensor: bus(0x48, device.io.SMBus) }), new TMP117Sample()] },
  { name: "LIS3DH", theirs: () => new ModdableLIS3DH({ sensor: bus(undefined, device.io.SMBus) }),
    ours: () => [new LIS3DH({ sensor: bus(0x18, device.io.SMBus), config: { rateHz: 400, rangeG: 4 } }), new LIS3DHSample()] },
  { name: "AHT20", theirs: () => new ModdableAHT10({ sensor: bus(undefined, device.io.I2C) }),
    ours: () => [new AHT20({ sensor: bus(undefined, device.io.SMBus) }), new AHT20Sample()] },
  { name: "SHTC3", theirs: () => new ModdableSHTC3({ sensor: bus(undefined, device.io.I2C) }),
    ours: () => [new SHTC3({ sensor: bus(undefined, device.io.SMBus), timer: moddableTimer, config: { sleep: true, clockStretching: false } }),
      new SHTC3Sample()] },
  { name: "MPU6050", theirs: () => new ModdableMPU6050({ sensor: bus(undefined, device.io.SMBus) }),
    ours: () => [new MPU6050({ sensor: bus(0x68, device.io.SMBus), config: { rateHz: 1000 } }), new MPU6050Sample()] },
  { name: "TMP102", theirs: () => new ModdableTMP102({ sensor: bus(0x49, device.io.SMBus) }),
    ours: () => [new TMP102({ sensor: bus(0x49, device.io.SMBus) }), new TMP102Sample()] },
];

/**
 * Ours as the gateway runs a driver (src/app/gateway/types): the AHT20 and SHTC3 are triggered, then read when the
 * measurement is done (waited out here with Timer.delay, as Moddable's drivers wait); the others measure on their own
 * and sample() reads the last result.
 */
const TRIGGERED = ["AHT20", "SHTC3"];

function sampleOurs(triggered, driver, sample) {
  if (triggered) {
    const waitMs = driver.trigger();
    if (waitMs > 0) Timer.delay(Math.ceil(waitMs));
  }
  driver.sample(sample);
}

const steps = [];
CHIPS.forEach((chip, index) => {
  let theirs;
  let ours;
  const at = OP + 10 * index;
  const triggered = TRIGGERED.includes(chip.name);
  steps.push(() => {
    theirs = chip.theirs();
    theirs.sample(); // the first op of a driver pays for its first calls: warm it up unmarked
  });
  for (let i = 0; i < SAMPLES; i++) steps.push(() => {
    mark(at + 2);
    theirs.sample();
    mark(at + 3);
  });
  steps.push(() => {
    theirs.close();
    ours = chip.ours();
    sampleOurs(triggered, ours[0], ours[1]);
  });
  for (let i = 0; i < SAMPLES; i++) steps.push(() => {
    mark(at);
    sampleOurs(triggered, ours[0], ours[1]);
    mark(at + 1);
  });
  steps.push(() => ours[0].close());
});

let documents;
let report;
steps.push(() => {
  const device = boardDevice(pico);
  const sensors = declaredSensors(DEFAULT_SENSORS, device, pico.gpioCount, "DEFAULT_SENSORS");
  const clock = { nowMs: Date.now };
  const gateway = new Gateway({ device, timer: moddableTimer, clock, sensors });
  documents = new GatewayDocuments(gateway, clock);
  const discard = { write() {} };
  report = new GatewayConsole(gateway, documents, { output: discard, readingsBytes: pico.http.responseBytes });
  gateway.start();
});
steps.push(() => undefined); // a period of every default sensor, so the documents carry readings
const buffer = new Uint8Array(pico.http.responseBytes);
const writer = new ByteWriter();
for (let i = 0; i < SAMPLES; i++) steps.push(() => {
  mark(DOCUMENT);
  documents.readings(writer.reset(buffer));
  mark(DOCUMENT + 1);
  mark(REPORT);
  report.report();
  mark(REPORT + 1);
});
steps.push(() => mark(GATEWAY_STARTED));

function main() {
  installModdableEngine();
  Timer.repeat((timer) => {
    const step = steps.shift();
    if (step !== undefined) step();
    else Timer.clear(timer); // the gateway goes on sampling: the harness measures its steady state from its mark
  }, GAP_MS);
}

Timer.set(main, 0);
