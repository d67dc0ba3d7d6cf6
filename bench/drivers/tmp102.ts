/** Drivers benchmark, the TMP102: ours against Moddable's own driver, unmodified (main.ts says how). */
import ModdableTMP102 from "embedded:sensor/Temperature/TMP102";
import { pico } from "../../boards/index.js";
import { TMP102, TMP102Sample } from "../../src/drivers/tmp102/tmp102.js";
import { TMP102Model } from "../../simulator/devices/tmp102.js";
import { Simulation } from "../../simulator/simulation.js";
import { compare, side, type Comparison } from "../support/measure.js";
import { OPS, OURS, THEIRS, printPair, startPair } from "./pair.js";

const run = startPair();
let sink = 0;

function tmp102(): Comparison {
  const sim = new Simulation(pico);
  sim.attach(new TMP102Model(sim.clock, sim.pins, { address: 0x48 }));
  sim.attach(new TMP102Model(sim.clock, sim.pins, { address: 0x49 }));
  const device = sim.device;
  const theirs = new ModdableTMP102({ sensor: { ...device.I2C.default, io: device.io.SMBus } });
  const ours = new TMP102({ sensor: { ...device.I2C.default, io: device.io.SMBus, address: 0x49 } });
  sim.clock.advance(30); // the first conversion, 26 ms after power-up
  const sample = new TMP102Sample();
  return compare("TMP102 sample()", side(OURS, () => {
    ours.sample(sample);
    sink += sample.temperature;
  }), side(THEIRS, () => {
    sink += theirs.sample().temperature;
  }), { ops: OPS });
}

printPair(run, tmp102(), sink);
