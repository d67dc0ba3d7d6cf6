/** Drivers benchmark, the SHTC3: ours against Moddable's own driver, unmodified (main.ts says how). */
import ModdableSHTC3 from "embedded:sensor/Humidity-Temperature/SHTC3";
import { pico } from "../../boards/index.js";
import { SHTC3, SHTC3Sample } from "../../src/drivers/shtc3/shtc3.js";
import { SHTC3Model } from "../../simulator/devices/shtc3.js";
import { timerApi } from "../../simulator/timer.js";
import { Simulation } from "../../simulator/simulation.js";
import { compare, side, type Comparison } from "../support/measure.js";
import { OPS, OURS, THEIRS, printPair, startPair } from "./pair.js";

const run = startPair();
let sink = 0;

/** Both asleep between measurements, woken with a 1 ms delay, read with clock stretching (Moddable's defaults). */
function shtc3(): Comparison {
  const sim = new Simulation(pico);
  sim.attach(new SHTC3Model(sim.clock));
  sim.attach(new SHTC3Model(sim.clock), "i2c1");
  const device = sim.device;
  const theirs = new ModdableSHTC3({ sensor: { ...device.I2C.default, io: device.io.I2C } });
  const ours = new SHTC3({ sensor: { ...(device.I2C["i2c1"] ?? device.I2C.default), io: device.io.SMBus }, timer: timerApi(() => sim.clock),
    config: { sleep: true } });
  const sample = new SHTC3Sample();
  return compare("SHTC3 sample()", side(OURS, () => {
    ours.sample(sample);
    sink += sample.thermometer.temperature;
  }), side(THEIRS, () => {
    sink += theirs.sample().thermometer.temperature ?? Number.NaN;
  }), { ops: OPS });
}

printPair(run, shtc3(), sink);
