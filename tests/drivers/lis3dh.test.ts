import { pico } from "../../boards/index.js";
import { SampleStatus, SensorError } from "../../src/drivers/common/errors.js";
import { STANDARD_GRAVITY } from "../../src/drivers/common/readings.js";
import { LIS3DH, LIS3DHSample } from "../../src/drivers/lis3dh/index.js";
import { LIS3DHModel } from "../../simulator/devices/lis3dh.js";
import { SHT3xModel } from "../../simulator/devices/sht3x.js";
import { constant } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

/** The LIS3DH's INT1 (data ready): GP17, as the default scenario wires it. */
const DATA_READY_PIN = 17;

function setup(fifoWatermark?: number) {
  const sim = new Simulation(pico);
  const model = sim.attach(new LIS3DHModel(sim.clock, sim.pins, { xG: constant(0.5), yG: constant(-0.25), zG: constant(1), int1Pin: DATA_READY_PIN }));
  const sensor = new LIS3DH({
    sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus },
    dataReady: { io: sim.device.io.Digital, pin: DATA_READY_PIN },
    config: fifoWatermark === undefined ? { rateHz: 400, rangeG: 2 } : { rateHz: 400, rangeG: 2, fifoWatermark },
  });
  return { sim, model, sensor };
}

describe("LIS3DH driver", () => {
  it("samples three axes in the Accelerometer shape, m/s², at ±2 g and 1 mg per digit", () => {
    const { sim, sensor } = setup();
    sim.clock.advance(3);
    const sample = sensor.sample();
    assert.ok(sample.valid);
    assert.deepEqual(Object.keys(sample).sort(), ["status", "valid", "x", "y", "z"]);
    // The Accelerometer class reports m/s²: 1 mg per digit is 0.0098 m/s².
    assert.closeTo(sample.x, 0.5 * STANDARD_GRAVITY, 0.001 * STANDARD_GRAVITY);
    assert.closeTo(sample.y, -0.25 * STANDARD_GRAVITY, 0.001 * STANDARD_GRAVITY);
    assert.closeTo(sample.z, STANDARD_GRAVITY, 0.001 * STANDARD_GRAVITY);
  });

  it("queues a frame on every data-ready interrupt and decodes them in order later", () => {
    const { sim, sensor } = setup();
    sim.clock.advance(100); // 400 Hz: 40 frames
    assert.ok(sensor.counters.interrupts >= 39, `interrupts: ${sensor.counters.interrupts}`);
    assert.equal(sensor.pendingFrames, sensor.counters.interrupts);
    const sample = new LIS3DHSample();
    let frames = 0;
    while (sensor.next(sample)) {
      frames++;
      assert.closeTo(sample.z, STANDARD_GRAVITY, 0.001 * STANDARD_GRAVITY);
    }
    assert.equal(frames, sensor.counters.interrupts);
  });

  it("drains the FIFO in one burst per watermark interrupt", () => {
    const { sim, sensor, model } = setup(16);
    const sample = new LIS3DHSample();
    let frames = 0;
    for (let ms = 0; ms < 200; ms += 10) { // 80 samples at 400 Hz, watermark 16, drained by the main loop
      sim.clock.advance(10);
      while (sensor.next(sample)) frames++;
    }
    assert.ok(sensor.counters.interrupts >= 4 && sensor.counters.interrupts < 20, `interrupts: ${sensor.counters.interrupts}`);
    assert.ok(frames + model.fifoLevel >= 78, `${frames} decoded, ${model.fifoLevel} still in the FIFO`);
    assert.equal(model.overruns, 0);
    assert.equal(sensor.counters.dropped, 0);
  });

  it("counts frames it drops when the ring is full, and a bus fault during the burst", () => {
    const { sim, sensor } = setup();
    sim.clock.advance(500); // 200 frames into a 64-frame ring
    assert.ok(sensor.counters.dropped > 100);
    assert.equal(sensor.counters.faults[SampleStatus.dropped], sensor.counters.dropped);
    sim.inject({ kind: "nack-address", address: 0x18, atMs: sim.clock.now, untilMs: sim.clock.now + 10 });
    assert.equal(sensor.sample().status, SampleStatus.nack);
  });

  it("refuses another chip and use after close", () => {
    const sim = new Simulation(pico);
    sim.attach(new SHT3xModel(sim.clock, { address: 0x45 }));
    assert.throws(() => new LIS3DH({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus, address: 0x45 } }), SensorError, /LIS3DH/);
    const { sensor } = setup();
    sensor.close();
    sensor.close();
    assert.throws(() => sensor.next(new LIS3DHSample()), SensorError, /LIS3DH used after close/);
  });

  it("samples {x, y, z} into the caller's object without allocating", function () {
    const { sim, sensor } = setup();
    sim.clock.advance(3);
    const sample = new LIS3DHSample();
    let sum = 0;
    expectNoAllocation(this, () => {
      sensor.sample(sample);
      sum += sample.z;
    });
    assert.ok(sample.valid && sum > 0);
  });

  it("runs the data-ready interrupt path and decodes without allocating", function () {
    const { sim, sensor } = setup();
    const sample = new LIS3DHSample();
    expectNoAllocation(this, () => {
      sim.clock.advance(2.5);
      while (sensor.next(sample));
    });
    assert.ok(sensor.counters.interrupts > 10_000);
  });

  it("runs the FIFO burst path without allocating", function () {
    const { sim, sensor } = setup(8);
    const sample = new LIS3DHSample();
    expectNoAllocation(this, () => {
      sim.clock.advance(25);
      while (sensor.next(sample));
    }, { iterations: 2000 });
  });
});
