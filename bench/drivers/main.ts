/**
 * Drivers benchmark, run on the XS host by `stillheap bench drivers`: the per-sample cost of our drivers against
 * Moddable's own drivers of the same chips, taken unmodified from the SDK and imported by their `embedded:sensor`
 * specifiers (the CLI maps them to the extracted files, and refuses to run without an SDK), constructed as a Moddable
 * user does. Each pair runs on its own simulation with one simulated chip per driver, so the simulated bus and chips
 * cost the same in both columns. Not compared: Moddable's BMP280, which computes in native code only an SDK build links.
 */
import ModdableLIS3DH from "embedded:sensor/Accelerometer/LIS3DH";
import ModdableSHT3x from "embedded:sensor/Humidity-Temperature/SHT3x";
import ModdableTMP117 from "embedded:sensor/Temperature/TMP117";
import { pico } from "../../boards/index.js";
import { engine } from "../../src/engine/index.js";
import { LIS3DH, LIS3DHSample, SHT3x, SHT3xSample, TMP117, TMP117Sample } from "../../src/drivers/index.js";
import { LIS3DHModel } from "../../simulator/devices/lis3dh.js";
import { SHT3xModel } from "../../simulator/devices/sht3x.js";
import { TMP117Model } from "../../simulator/devices/tmp117.js";
import { Simulation } from "../../simulator/simulation.js";
import { compare, printSuite, side, startBench, type Comparison } from "../support/measure.js";

const run = startBench();
const OPS = 5_000;
const OURS = "stillheap";
const THEIRS = "Moddable SDK";
let sink = 0;

/** Moddable's driver on a chip at its default address, ours on a second chip of the same kind. */
function sht3x(): Comparison {
  const sim = new Simulation(pico); // also binds the `timer` module Moddable's driver delays with to this clock
  sim.attach(new SHT3xModel(sim.clock, { address: 0x44 }));
  sim.attach(new SHT3xModel(sim.clock, { address: 0x45 }));
  const device = sim.device;
  const theirs = new ModdableSHT3x({ sensor: { ...device.I2C.default, io: device.io.I2C } });
  const ours = new SHT3x({ sensor: { ...device.I2C.default, io: device.io.SMBus, address: 0x45 } });
  const sample = new SHT3xSample();
  return compare("SHT3x sample()", side(OURS, () => {
    ours.sample(sample);
    sink += sample.thermometer.temperature;
  }), side(THEIRS, () => {
    sink += theirs.sample().thermometer.temperature ?? Number.NaN;
  }), { ops: OPS });
}

function tmp117(): Comparison {
  const sim = new Simulation(pico);
  sim.attach(new TMP117Model(sim.clock, sim.pins, { address: 0x48 }));
  sim.attach(new TMP117Model(sim.clock, sim.pins, { address: 0x49 }));
  const device = sim.device;
  const theirs = new ModdableTMP117({ sensor: { ...device.I2C.default, io: device.io.SMBus } });
  const ours = new TMP117({ sensor: { ...device.I2C.default, io: device.io.SMBus, address: 0x49 } });
  sim.clock.advance(20); // the first conversion, 15.5 ms after power-up or Moddable's reset
  const sample = new TMP117Sample();
  return compare("TMP117 sample()", side(OURS, () => {
    ours.sample(sample);
    sink += sample.temperature;
  }), side(THEIRS, () => {
    sink += theirs.sample().temperature;
  }), { ops: OPS });
}

/** Ours configured as Moddable's driver configures itself: 400 Hz, ±4 g, high resolution. */
function lis3dh(): Comparison {
  const sim = new Simulation(pico);
  sim.attach(new LIS3DHModel(sim.clock, sim.pins, { address: 0x18 }));
  sim.attach(new LIS3DHModel(sim.clock, sim.pins, { address: 0x19 }));
  const device = sim.device;
  const theirs = new ModdableLIS3DH({ sensor: { ...device.I2C.default, io: device.io.SMBus } });
  const ours = new LIS3DH({ sensor: { ...device.I2C.default, io: device.io.SMBus, address: 0x19 }, config: { rateHz: 400, rangeG: 4 } });
  sim.clock.advance(5);
  const sample = new LIS3DHSample();
  return compare("LIS3DH sample()", side(OURS, () => {
    ours.sample(sample);
    sink += sample.z;
  }), side(THEIRS, () => {
    sink += theirs.sample().z ?? Number.NaN;
  }), { ops: OPS });
}

const comparisons = [sht3x(), tmp117(), lis3dh()];
printSuite({
  ...run, engine: engine().name, suite: "drivers", ops: OPS, comparisons, sink: Number.isFinite(sink),
  notCompared: { BMP280: "Moddable's driver computes in native code (bmp280.c), which only an SDK build links" },
});
