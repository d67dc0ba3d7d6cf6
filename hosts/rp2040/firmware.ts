/**
 * The firmware entry on bare-metal RP2040: the SHT3x sampled once a second over the chip's I2C0 into the gateway's
 * reading windows, a button pin whose edges are counted through onReadable, and a report over the UART —
 * `reading sht3x <name>=<value>` lines, then the sample, memory and interrupt counters. The first valid sample is
 * announced with its time since boot.
 *
 * The full gateway (four sensors, services) does not fit yet: modules are parsed on the chip, and the XS parser's
 * transient memory for a module of ~6 KB of JavaScript is most of what the Pico's SRAM leaves after the engine.
 */
import { pico } from "../../boards/pico.js";
import { ReadingWindow } from "../../src/app/gateway/window.js";
import { SAMPLE_STATUS_NAMES } from "../../src/drivers/common/errors.js";
import { SHT3x, SHT3xSample } from "../../src/drivers/sht3x/sht3x.js";
import { MemoryStats } from "../../src/mem/stats.js";
import { rp2040Device } from "./device.js";
import { pinOwners } from "./digital.js";
import { installRp2040Engine } from "./engine.js";
import { DeviceTimers } from "./timers.js";

const SAMPLE_MS = 1000;
/** The first sample, once the SHT3x is past its power-up time. */
const FIRST_SAMPLE_MS = 20;

installRp2040Engine();
const bootMicros = rp2040.nowMicros();
const nowMs = (): number => (rp2040.nowMicros() - bootMicros) / 1000;
const timers = new DeviceTimers(() => rp2040.nowMicros());
const device = rp2040Device(pico);

let buttonEdges = 0;
const { Digital } = device.io;
new Digital({ pin: pico.pins.button, mode: Digital.InputPullUp, edge: Digital.Rising | Digital.Falling, onReadable() {
  buttonEdges++;
} });

const temperature = new ReadingWindow();
const humidity = new ReadingWindow();
const sample = new SHT3xSample();
const memory = new MemoryStats();
let sensor: SHT3x | undefined;
let firstSampleMs = -1;
try {
  sensor = new SHT3x({ sensor: { ...device.I2C.default, io: device.io.SMBus, address: 0x44 } });
} catch (error: unknown) {
  rp2040.print(`[firmware] sht3x not started: ${error instanceof Error ? error.message : String(error)}`);
}

function report(): void {
  if (sensor !== undefined) {
    sensor.sample(sample);
    const at = nowMs();
    if (sample.valid) {
      temperature.add(sample.temperatureC, at);
      humidity.add(sample.humidityRH, at);
      if (firstSampleMs < 0) {
        firstSampleMs = at;
        rp2040.print(`[firmware] first sample ${at.toFixed(1)} ms after boot`);
      }
      rp2040.print(`reading sht3x temperatureC=${temperature.latest.toFixed(2)} humidityRH=${humidity.latest.toFixed(2)}`);
    } else rp2040.print(`sample sht3x invalid: ${SAMPLE_STATUS_NAMES[sample.status] ?? "unknown"}`);
    const counters = sensor.counters;
    rp2040.print(`sensor sht3x attempts=${counters.attempts} valid=${counters.valid} invalid=${counters.invalid}`);
  }
  const used = memory.read();
  rp2040.print(`memory slots=${used.slotsUsed} chunks=${used.chunkBytesUsed} gc=${used.gcCount}`);
  rp2040.print(`gpio ${pico.pins.button} onReadable=${buttonEdges} interrupts=${rp2040.gpioEdges()} coalesced=${rp2040.gpioCoalesced()}`);
}

timers.set(report, FIRST_SAMPLE_MS);
timers.repeat(report, SAMPLE_MS);
globalThis.rp2040Service = (edges: number): number => {
  if (edges !== 0) pinOwners.dispatch(edges);
  return timers.runDue(rp2040.nowMicros());
};
rp2040.print("[firmware] running");
