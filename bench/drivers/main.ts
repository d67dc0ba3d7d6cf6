/**
 * Drivers benchmark, run on the XS host by `stillheap bench drivers`: per-sample cost of our drivers against
 * allocate-per-sample drivers of the same chips, over the same simulated bus, in one run. The simulator's own cost
 * is in both columns.
 */
import { pico } from "../../boards/index.js";
import { engine } from "../../src/engine/index.js";
import { SHT3x, SHT3xSample, TMP117, TMP117Sample } from "../../src/drivers/index.js";
import { SHT3xModel } from "../../simulator/devices/sht3x.js";
import { TMP117Model } from "../../simulator/devices/tmp117.js";
import { Simulation } from "../../simulator/simulation.js";
import { compare, printSuite, side, startBench, type Comparison } from "../support/measure.js";
import { NaiveSHT3x, NaiveTMP117 } from "./naive.js";

const run = startBench();
const OPS = 5_000;
const sim = new Simulation(pico);
sim.attach(new SHT3xModel(sim.clock));
sim.attach(new TMP117Model(sim.clock, sim.pins));
sim.clock.advance(20);
const bus = { ...sim.device.I2C.default, io: sim.device.io.SMBus };
const sht = new SHT3x({ sensor: bus });
const naiveSht = new NaiveSHT3x(new sim.device.io.SMBus({ ...sim.device.I2C.default, address: 0x44 }));
const tmp = new TMP117({ sensor: bus });
const naiveTmp = new NaiveTMP117(new sim.device.io.SMBus({ ...sim.device.I2C.default, address: 0x48 }));
const shtSample = new SHT3xSample();
const tmpSample = new TMP117Sample();
let sink = 0;

const comparisons = [
  compare("SHT3x sample()", side("ours", () => {
    sht.sample(shtSample);
    sink += shtSample.thermometer.temperature;
  }), side("allocate per sample", () => {
    sink += naiveSht.sample().thermometer.temperature;
  }), { ops: OPS }),
  compare("TMP117 sample()", side("ours", () => {
    tmp.sample(tmpSample);
    sink += tmpSample.temperature;
  }), side("allocate per sample", () => {
    sink += naiveTmp.sample().temperature;
  }), { ops: OPS }),
];

printSuite({ ...run, engine: engine().name, suite: "drivers", ops: OPS, comparisons, sink: Number.isFinite(sink) });
