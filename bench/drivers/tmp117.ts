/** Drivers benchmark, the TMP117: ours against Moddable's own driver, unmodified (main.ts says how). */
import ModdableTMP117 from "embedded:sensor/Temperature/TMP117";
import { pico } from "../../boards/index.js";
import { TMP117, TMP117Sample } from "../../src/drivers/tmp117/tmp117.js";
import { TMP117Model } from "../../simulator/devices/tmp117.js";
import { Simulation } from "../../simulator/simulation.js";
import { compare, side, type Comparison } from "../support/measure.js";
import { OPS, OURS, THEIRS, printPair, startPair } from "./pair.js";

const run = startPair();
let sink = 0;

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

printPair(run, tmp117(), sink);
