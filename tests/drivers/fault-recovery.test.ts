import { pico } from "../../boards/index.js";
import { SampleStatus } from "../../src/drivers/common/errors.js";
import { LIS3DH, LIS3DHSample } from "../../src/drivers/lis3dh/index.js";
import { SHT3x, SHT3xSample } from "../../src/drivers/sht3x/index.js";
import { LIS3DHModel } from "../../simulator/devices/lis3dh.js";
import { SHT3xModel } from "../../simulator/devices/sht3x.js";
import type { FaultKind } from "../../simulator/faults.js";
import { constant } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";

/** The LIS3DH's INT1 (data ready): GP17, as the default scenario wires it. */
const DATA_READY_PIN = 17;

function lis3dh(fifoWatermark?: number) {
  const sim = new Simulation(pico);
  sim.attach(new LIS3DHModel(sim.clock, sim.pins, { zG: constant(1), int1Pin: DATA_READY_PIN }));
  const sensor = new LIS3DH({
    sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus },
    dataReady: { io: sim.device.io.Digital, pin: DATA_READY_PIN },
    config: { rateHz: 100, fifoWatermark },
  });
  return { sim, sensor };
}

/** Drains queued frames every 100 ms for `ms`, as the gateway's step does; returns the frames decoded. */
function drain(sim: Simulation, sensor: LIS3DH, ms: number): number {
  const sample = new LIS3DHSample();
  let frames = 0;
  for (let t = 0; t < ms; t += 100) {
    sim.clock.advance(100);
    while (sensor.next(sample)) frames++;
  }
  return frames;
}

describe("driver recovery from transient faults", () => {
  const kinds: FaultKind[] = ["nack-address", "bus-stuck", "vanish"];
  for (const fifo of [undefined, 8]) {
    for (const kind of kinds) {
      it(`LIS3DH (${fifo === undefined ? "data-ready" : "FIFO watermark"}) reads again after a ${kind} window, the misses counted`, () => {
        const { sim, sensor } = lis3dh(fifo);
        drain(sim, sensor, 500);
        sim.inject({ kind, address: 0x18, atMs: sim.clock.now, untilMs: sim.clock.now + 1000 });
        drain(sim, sensor, 1500);
        const after = drain(sim, sensor, 2000); // 100 Hz: ≈200 frames
        assert.ok(after >= 180, `${after} frames in 2 s after the fault`);
        const faults = sensor.counters.faults;
        assert.ok((faults[SampleStatus.nack] ?? 0) + (faults[SampleStatus.timeout] ?? 0) + (faults[SampleStatus.bus] ?? 0) > 0, "the missed reads are counted");
      });
    }
  }

  it("SHT3x in periodic mode counts a NACKed fetch command as a fault, not as no data yet", () => {
    const sim = new Simulation(pico);
    sim.attach(new SHT3xModel(sim.clock, { temperatureC: constant(21), humidityRH: constant(40) }));
    const sensor = new SHT3x({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus }, config: { periodMs: 500 } });
    const sample = new SHT3xSample();
    sim.clock.advance(600);
    sensor.sample(sample);
    assert.ok(sample.valid, "a periodic measurement is read");
    sensor.sample(sample);
    assert.equal(sample.status, SampleStatus.notReady, "fetched again before the next one: no data yet, no fault");
    assert.equal(sensor.counters.faults[SampleStatus.nack], 0);
    sim.inject({ kind: "nack-address", address: 0x44, atMs: sim.clock.now });
    for (let i = 0; i < 100; i++) {
      sim.clock.advance(100);
      sensor.sample(sample);
      assert.equal(sample.status, SampleStatus.nack);
    }
    assert.equal(sensor.counters.faults[SampleStatus.nack], 100, "every refused fetch is a counted fault");
  });
});
