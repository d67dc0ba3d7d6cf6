/** Drivers benchmark, the MPU6050: ours against Moddable's own driver, unmodified (main.ts says how). */
import ModdableMPU6050 from "embedded:sensor/Accelerometer-Gyroscope/MPU6050";
import { pico } from "../../boards/index.js";
import { MPU6050, MPU6050Sample } from "../../src/drivers/mpu6050/mpu6050.js";
import { MPU6050Model } from "../../simulator/devices/mpu6050.js";
import { Simulation } from "../../simulator/simulation.js";
import { compare, side, type Comparison } from "../support/measure.js";
import { OPS, OURS, THEIRS, printPair, startPair } from "./pair.js";

const run = startPair();
let sink = 0;

/** Ours reads accelerometer, temperature and gyroscope in one transaction; theirs reads the two without the temperature. */
function mpu6050(): Comparison {
  const sim = new Simulation(pico);
  sim.attach(new MPU6050Model(sim.clock, sim.pins, { address: 0x68 }));
  sim.attach(new MPU6050Model(sim.clock, sim.pins, { address: 0x69 }));
  const device = sim.device;
  const theirs = new ModdableMPU6050({ sensor: { ...device.I2C.default, io: device.io.SMBus } });
  const ours = new MPU6050({ sensor: { ...device.I2C.default, io: device.io.SMBus, address: 0x69 }, config: { rateHz: 1000 } });
  sim.clock.advance(5);
  const sample = new MPU6050Sample();
  return compare("MPU6050 sample()", side(OURS, () => {
    ours.sample(sample);
    sink += sample.accelerometer.z + sample.gyroscope.x;
  }), side(THEIRS, () => {
    const taken = theirs.sample();
    sink += (taken.accelerometer.z ?? Number.NaN) + (taken.gyroscope.x ?? Number.NaN);
  }), { ops: OPS });
}

printPair(run, mpu6050(), sink);
