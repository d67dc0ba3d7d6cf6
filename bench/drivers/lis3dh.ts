/** Drivers benchmark, the LIS3DH: ours against Moddable's own driver, unmodified (main.ts says how). */
import ModdableLIS3DH from "embedded:sensor/Accelerometer/LIS3DH";
import { pico } from "../../boards/index.js";
import { LIS3DH, LIS3DHSample } from "../../src/drivers/lis3dh/lis3dh.js";
import { LIS3DHModel } from "../../simulator/devices/lis3dh.js";
import { Simulation } from "../../simulator/simulation.js";
import { compare, side, type Comparison } from "../support/measure.js";
import { OPS, OURS, THEIRS, printPair, startPair } from "./pair.js";

const run = startPair();
let sink = 0;

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

printPair(run, lis3dh(), sink);
