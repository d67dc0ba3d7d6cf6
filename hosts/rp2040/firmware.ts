/**
 * The firmware entry on bare-metal RP2040: the sensor gateway on the chip's own I2C and pins, a button pin whose
 * edges are counted through onReadable, and a report over the UART every second — readings as
 * `reading <sensor> <name>=<value>` lines, then the memory and interrupt counters. The first delivered sample is
 * announced with its boot time.
 */
import { pico } from "../../boards/pico.js";
import { Gateway } from "../../src/app/gateway/gateway.js";
import { MemoryStats } from "../../src/mem/stats.js";
import { installRp2040Engine } from "./engine.js";
import { pinOwners, rp2040Device } from "./io.js";
import { DeviceTimers } from "./timers.js";

const REPORT_MS = 1000;

installRp2040Engine();
const bootMicros = rp2040.nowMicros();
const timers = new DeviceTimers(() => rp2040.nowMicros());
const device = rp2040Device(pico);
const clock = { nowMs: (): number => (rp2040.nowMicros() - bootMicros) / 1000 };
const gateway = new Gateway({ device, timer: timers, clock });
gateway.start();
for (const failure of gateway.startFailures) rp2040.print(`[firmware] sensor not started: ${failure}`);

let buttonEdges = 0;
const button = new device.io.Digital({
  pin: pico.pins.button, mode: device.io.Digital.InputPullUp, edge: device.io.Digital.Rising | device.io.Digital.Falling,
  onReadable() {
    buttonEdges++;
  },
});

const memory = new MemoryStats();
let announced = false;
timers.repeat(() => {
  if (!announced && gateway.boot.firstSampleMs >= 0) {
    announced = true;
    rp2040.print(`[firmware] first sample ${gateway.boot.firstSampleMs.toFixed(1)} ms after boot`);
  }
  for (const sensor of gateway.sensors) {
    for (const reading of sensor.readings) {
      if (reading.window.samples > 0) rp2040.print(`reading ${sensor.name} ${reading.name}=${reading.window.latest.toFixed(3)}`);
    }
    rp2040.print(`sensor ${sensor.name} produced=${sensor.produced} delivered=${sensor.delivered} faults=${sensor.counters.invalid}`);
  }
  const used = memory.read();
  rp2040.print(`memory slots=${used.slotsUsed} chunks=${used.chunkBytesUsed} gc=${used.gcCount}`);
  rp2040.print(`gpio ${pico.pins.button} level=${button.read()} onReadable=${buttonEdges} interrupts=${rp2040.gpioEdges()} coalesced=${rp2040.gpioCoalesced()}`);
}, REPORT_MS);

globalThis.rp2040Service = (edges: number): number => {
  if (edges !== 0) pinOwners.dispatch(edges);
  return timers.runDue(rp2040.nowMicros());
};
rp2040.print("[firmware] running");
