/** Drivers benchmark, the AHT20: ours against Moddable's own driver, unmodified (main.ts says how). */
import ModdableAHT10 from "embedded:sensor/Humidity-Temperature/AHT10";
import { pico } from "../../boards/index.js";
import { AHT20, AHT20Sample } from "../../src/drivers/aht20/aht20.js";
import { AHT20Model } from "../../simulator/devices/aht20.js";
import { Simulation } from "../../simulator/simulation.js";
import { compare, side, type Comparison } from "../support/measure.js";
import { OPS, OURS, THEIRS, printPair, startPair } from "./pair.js";

const run = startPair();
let sink = 0;

/** Theirs waits its 75 ms inside sample(); ours triggers, the clock passes the 80 ms, ours reads. */
function aht20(): Comparison {
  const sim = new Simulation(pico);
  sim.attach(new AHT20Model(sim.clock));
  sim.attach(new AHT20Model(sim.clock), "i2c1");
  const device = sim.device;
  const theirs = new ModdableAHT10({ sensor: { ...device.I2C.default, io: device.io.I2C } });
  const ours = new AHT20({ sensor: { ...(device.I2C["i2c1"] ?? device.I2C.default), io: device.io.SMBus } });
  const sample = new AHT20Sample();
  return compare("AHT20 trigger(), 80 ms, sample() (Moddable's AHT10)", side(OURS, () => {
    sim.clock.busy(ours.trigger());
    ours.sample(sample);
    sink += sample.thermometer.temperature;
  }), side(THEIRS, () => {
    sink += theirs.sample().thermometer.temperature ?? Number.NaN;
  }), { ops: OPS });
}

printPair(run, aht20(), sink);
