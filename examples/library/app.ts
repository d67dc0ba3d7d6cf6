/**
 * stillheap as a library: a simulated Pico with an SHT3x, sampled every second into a ring on virtual time, with the
 * sensor NACKing for a while. The driver code is what runs on a board; only `device` comes from the simulator.
 */
import { pico } from "stillheap/boards";
import { SampleStatus, SHT3x, SHT3xSample } from "stillheap/drivers";
import { RingAllocator, StaticArena } from "stillheap/mem";
import { constant, SHT3xModel, Simulation, sine, Timer } from "stillheap/simulator";

export function run(print: (line: string) => void): { readings: number; nacks: number; meanC: number } {
  // A board on the desktop; `sim.device` has the shape of Moddable's `device` (io.I2C, io.SMBus, io.Digital, pins).
  const sim = new Simulation(pico);
  sim.attach(new SHT3xModel(sim.clock, { temperatureC: sine(22, 3, 60_000), humidityRH: constant(45) }));
  const { device } = sim;

  // The driver, as on a board. Every option is checked: a wrong one throws a SensorOptionError that names it.
  const sht = new SHT3x({ sensor: { ...device.I2C.default, io: device.io.SMBus }, config: { repeatability: "medium" } });

  // Static memory, carved once: a ring of 16-byte records (time, temperature), and one sample filled in place.
  const ring = new RingAllocator(new StaticArena(1024).carve("readings", 512));
  const sample = new SHT3xSample();

  // Every second, on the simulator's `timer` module (Moddable's Timer API): sample into the ring, allocating nothing.
  Timer.repeat(() => {
    if (sht.sample(sample) === undefined || !sample.valid) return; // nothing new yet, or a fault the driver counted
    const at = ring.claim(16);
    if (at < 0) return; // full: the ring refuses and counts it
    ring.view.setFloat64(at, sim.clock.now);
    ring.view.setFloat64(at + 8, sample.thermometer.temperature);
    ring.commit(16);
  }, 1000);

  // Fault injection: the SHT3x does not answer its address from 4.5 s to 6.5 s.
  sim.inject({ kind: "nack-address", address: 0x44, atMs: 4500, untilMs: 6500 });

  // Virtual time: ten seconds run at once, timers and device events in order.
  sim.clock.advance(10_000);

  // Drain the ring, as a main loop would (copy what you keep: the sample object is reused).
  let readings = 0;
  let sum = 0;
  for (let at = ring.peek(); at >= 0; at = ring.peek()) {
    const temperatureC = ring.view.getFloat64(at + 8);
    print(`${ring.view.getFloat64(at).toFixed(0)} ms: ${temperatureC.toFixed(2)} °C`);
    readings++;
    sum += temperatureC;
    ring.release(at);
  }
  const nacks = sht.counters.faults[SampleStatus.nack] ?? 0;
  print(`${readings} readings, ${nacks} NACKs counted, mean ${(sum / readings).toFixed(2)} °C`);
  sht.close();
  return { readings, nacks, meanC: sum / readings };
}
