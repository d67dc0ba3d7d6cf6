import { pico } from "../../boards/index.js";
import { SampleStatus, SensorError, SensorOptionError } from "../../src/drivers/index.js";
import { MPU6050, MPU6050Sample, type MPU6050Config } from "../../src/drivers/mpu6050/index.js";
import { RecordRing } from "../../src/mem/index.js";
import { MPU6050Model } from "../../simulator/devices/mpu6050.js";
import { TMP117Model } from "../../simulator/devices/tmp117.js";
import { constant } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

/** INT on GP18. */
const INT_PIN = 18;
const G = 9.80665;

function setup(config: MPU6050Config = {}, interrupt = false, ring?: RecordRing) {
  const sim = new Simulation(pico);
  const model = sim.attach(new MPU6050Model(sim.clock, sim.pins, {
    xG: constant(0.5), yG: constant(-0.25), zG: constant(1), xDps: constant(10), yDps: constant(-20), zDps: constant(45.5),
    temperatureC: constant(31.25), intPin: INT_PIN,
  }));
  let ready = 0;
  const sensor = new MPU6050({
    sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus }, config,
    ...(interrupt ? { dataReady: { io: sim.device.io.Digital, pin: INT_PIN }, onDataReady: () => ready++ } : {}),
    ...(ring === undefined ? {} : { ring }),
  });
  return { sim, model, sensor, ready: () => ready };
}

function expectFrame(sample: MPU6050Sample, accelStep = G / 16384, gyroStep = 1 / 131): void {
  assert.ok(sample.valid && sample.status === SampleStatus.ok);
  assert.closeTo(sample.accelerometer.x, 0.5 * G, accelStep);
  assert.closeTo(sample.accelerometer.y, -0.25 * G, accelStep);
  assert.closeTo(sample.accelerometer.z, G, accelStep);
  assert.closeTo(sample.gyroscope.x, 10, gyroStep);
  assert.closeTo(sample.gyroscope.y, -20, gyroStep);
  assert.closeTo(sample.gyroscope.z, 45.5, gyroStep);
  assert.closeTo(sample.thermometer.temperature, 31.25, 1 / 340);
}

describe("MPU6050 driver", () => {
  it("samples {accelerometer, gyroscope, thermometer} in m/s², °/s and °C, within one LSB", () => {
    const { sim, sensor } = setup();
    sim.clock.advance(20);
    const sample = sensor.sample();
    assert.deepEqual(Object.keys(sample).sort(), ["accelerometer", "gyroscope", "status", "thermometer", "valid"]);
    expectFrame(sample);
  });

  it("scales by the full-scale ranges set (AFS_SEL, FS_SEL)", () => {
    const { sim, sensor } = setup({ accelRangeG: 16, gyroRangeDps: 2000 });
    sim.clock.advance(20);
    expectFrame(sensor.sample(), G / 2048, 1 / 16.4);
  });

  it("queues a frame per data-ready interrupt at the rate set, decoded later by next()", () => {
    const { sim, sensor, ready } = setup({ rateHz: 200 }, true);
    sim.clock.advance(100);
    assert.ok(ready() >= 19 && ready() <= 20, `about 20 frames in 100 ms at 200 Hz: ${ready()}`);
    const sample = new MPU6050Sample();
    let frames = 0;
    while (sensor.next(sample)) {
      expectFrame(sample);
      frames++;
    }
    assert.equal(frames, ready());
    assert.equal(sensor.counters.interrupts, frames);
  });

  it("counts the frames it drops when the ring is full, and keeps the oldest", () => {
    const { sim, sensor } = setup({ rateHz: 200 }, true, new RecordRing(4, 14));
    sim.clock.advance(100);
    assert.equal(sensor.pendingFrames, 4);
    assert.ok(sensor.counters.dropped >= 15);
    assert.equal(sensor.counters.faults[SampleStatus.dropped], sensor.counters.dropped);
  });

  it("drains whole frames from its FIFO on the main loop, and resets it after an overflow (counted)", () => {
    const { sim, sensor, model } = setup({ fifo: true, rateHz: 100 });
    sim.clock.advance(205);
    assert.equal(model.fifoLevel, 20 * 14, "20 frames of accelerometer, temperature, gyroscope");
    const sample = new MPU6050Sample();
    let frames = 0;
    while (sensor.next(sample)) {
      expectFrame(sample);
      frames++;
    }
    assert.equal(frames, 21, "and the one that came in while the first 16 were read (5 ms on the bus)");
    sim.clock.advance(1000); // 100 frames: 1400 bytes do not fit in 1024
    assert.ok(model.overflows >= 1);
    assert.equal(sensor.next(sample), false, "an overflowed FIFO is reset, not read misaligned");
    assert.equal(sensor.counters.dropped, 1);
    sim.clock.advance(50);
    assert.ok(sensor.next(sample));
    expectFrame(sample);
  });

  it("reads again after a failed interrupt read: INT stays latched, so no edge would come", () => {
    const { sim, sensor } = setup({ rateHz: 100 }, true);
    sim.clock.advance(50);
    const sample = new MPU6050Sample();
    while (sensor.next(sample));
    sim.inject({ kind: "nack-address", address: 0x68, atMs: sim.clock.now, untilMs: sim.clock.now + 30 });
    sim.clock.advance(100);
    let frames = 0;
    while (sensor.next(sample)) frames++;
    assert.ok(frames >= 1, "the missed frame was read by next()");
    sim.clock.advance(100);
    while (sensor.next(sample)) frames++;
    assert.ok(frames >= 8, `interrupts flow again: ${frames}`);
    assert.ok((sensor.counters.faults[SampleStatus.nack] ?? 0) >= 1);
  });

  it("reports bus faults, saturation and an impossible temperature as counted statuses", () => {
    const { sim, sensor, model } = setup();
    sim.clock.advance(20);
    for (const [kind, status] of [["nack-address", SampleStatus.nack], ["bus-stuck", SampleStatus.timeout], ["vanish", SampleStatus.nack]] as const) {
      sim.inject({ kind, address: 0x68, atMs: sim.clock.now, untilMs: sim.clock.now + 10 });
      sim.clock.advance(1);
      assert.equal(sensor.sample().status, status, kind);
      sim.clock.advance(20);
      assert.ok(sensor.sample().valid, `${kind}: reads again`);
    }
    sim.inject({ kind: "clock-stretch", address: 0x68, latencyMs: 40, atMs: sim.clock.now, untilMs: sim.clock.now + 1 });
    assert.equal(sensor.sample().status, SampleStatus.timeout);
    model.zG.override = 5; // beyond ±2 g: the output saturates at full scale
    sim.clock.advance(20);
    assert.equal(sensor.sample().status, SampleStatus.outOfRange);
    model.zG.override = undefined;
    model.temperatureC.override = 120;
    sim.clock.advance(20);
    assert.equal(sensor.sample().status, SampleStatus.outOfRange);
    assert.equal(sensor.counters.faults[SampleStatus.outOfRange], 2);
  });

  it("refuses another chip, FIFO with a data-ready line, wrong options; closes idempotently", () => {
    const sim = new Simulation(pico);
    sim.attach(new TMP117Model(sim.clock, sim.pins, { address: 0x48 }));
    sim.attach(new TMP117Model(sim.clock, sim.pins, { address: 0x49 }));
    const bus = { ...sim.device.I2C.default, io: sim.device.io.SMBus };
    assert.equal((assert.throws(() => new MPU6050({ sensor: bus }), SensorError, /no MPU6050 answered at 0x68/) as SensorError).code, "no-answer");
    const refused = (config: object, extra: object = {}): string =>
      (assert.throws(() => new MPU6050({ sensor: bus, config, ...extra } as never), SensorOptionError) as SensorOptionError).option;
    assert.equal(refused({ rateHz: 300 }), "config.rateHz");
    assert.equal(refused({ accelRangeG: 3 }), "config.accelRangeG");
    assert.equal(refused({ gyroRangeDps: 245 }), "config.gyroRangeDps");
    assert.equal(refused({ fifo: true }, { dataReady: { io: sim.device.io.Digital, pin: INT_PIN } }), "config.fifo");
    const { sensor } = setup();
    sensor.close();
    sensor.close();
    assert.throws(() => sensor.next(new MPU6050Sample()), SensorError, /MPU6050 used after close/);
  });

  it("samples, takes interrupts and drains the FIFO without allocating", function () {
    const polled = setup();
    const interrupted = setup({ rateHz: 500 }, true);
    const fifo = setup({ fifo: true, rateHz: 500 });
    const sample = new MPU6050Sample();
    expectNoAllocation(this, () => {
      polled.sim.clock.advance(1);
      polled.sensor.sample(sample);
      interrupted.sim.clock.advance(1);
      while (interrupted.sensor.next(sample));
      fifo.sim.clock.advance(1);
      while (fifo.sensor.next(sample));
    }, { iterations: 2000 });
    assert.ok(sample.valid);
    assert.equal(interrupted.sensor.counters.dropped + fifo.sensor.counters.dropped, 0);
  });
});
