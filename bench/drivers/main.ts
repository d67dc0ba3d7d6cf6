/**
 * Drivers benchmark, run on the XS host by `stillheap bench drivers`: the per-sample cost of our drivers against
 * Moddable's own drivers of the same chips, taken unmodified from the SDK and imported by their `embedded:sensor`
 * specifiers (the CLI maps them to the extracted files, and refuses to run without an SDK), constructed as a Moddable
 * user does. One entry per chip (this one for the SHT3x; pair.ts says why), each pair on its own simulation with one
 * simulated chip per driver, so the simulated bus and chips cost the same in both columns. Where a measurement takes
 * time, both sides wait it out on the virtual clock in the op: Moddable's drivers with their Timer.delay, ours between
 * trigger() and sample(). Not compared: Moddable's BMP280, which computes in native code only an SDK build links.
 */
import ModdableSHT3x from "embedded:sensor/Humidity-Temperature/SHT3x";
import { pico } from "../../boards/index.js";
import { SHT3x, SHT3xSample } from "../../src/drivers/sht3x/sht3x.js";
import { SHT3xModel } from "../../simulator/devices/sht3x.js";
import { Simulation } from "../../simulator/simulation.js";
import { compare, side, type Comparison } from "../support/measure.js";
import { OPS, OURS, THEIRS, printPair, startPair } from "./pair.js";

const run = startPair();
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

printPair(run, sht3x(), sink);
