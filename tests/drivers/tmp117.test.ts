import { pico } from "../../boards/index.js";
import { SampleStatus, SensorError } from "../../src/drivers/common/errors.js";
import { TMP117, TMP117Sample } from "../../src/drivers/tmp117/index.js";
import { RecordRing } from "../../src/mem/index.js";
import { BMP280Model } from "../../simulator/devices/bmp280.js";
import { TMP117Model } from "../../simulator/devices/tmp117.js";
import { constant, ramp, type Signal } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

/** The TMP117's ALERT line: GP16, as the default scenario wires it. */
const ALERT_PIN = 16;

function setup(temperatureC: Signal = constant(23.125), ring?: RecordRing) {
  const sim = new Simulation(pico);
  const model = sim.attach(new TMP117Model(sim.clock, sim.pins, { temperatureC, alertPin: ALERT_PIN }));
  let alerts = 0;
  const sensor = new TMP117({
    sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus },
    alert: { io: sim.device.io.Digital, pin: ALERT_PIN },
    onAlert: () => alerts++,
    ...(ring === undefined ? {} : { ring }),
  });
  return { sim, model, sensor, alerts: () => alerts };
}

describe("TMP117 driver", () => {
  it("reads {temperature, alert} in 7.8125 m°C steps; nothing to report before the first conversion", () => {
    const { sim, sensor } = setup();
    const mine = new TMP117Sample();
    assert.equal(sensor.sample(mine), undefined, "no conversion yet");
    assert.equal(mine.status, SampleStatus.notReady);
    sim.clock.advance(20);
    const sample = sensor.sample();
    assert.ok(sample !== undefined && sample.valid);
    assert.deepEqual(Object.keys(sample).sort(), ["alert", "highAlert", "lowAlert", "status", "temperature", "valid"]);
    assert.equal(sample.temperature, 23.125); // exactly 2960 LSB, °C
    assert.equal(sample.alert, false);
  });

  it("queues an alert from the ALERT pin and decodes it later on the main loop", () => {
    const { sim, sensor, alerts } = setup(constant(31));
    sensor.configure({ highLimitC: 30, lowLimitC: 10, conversionCycle: 0, averaging: 0 });
    sim.clock.advance(40);
    assert.ok(alerts() >= 1);
    assert.ok(sensor.pendingAlerts >= 1);
    const sample = new TMP117Sample();
    assert.ok(sensor.nextAlert(sample));
    assert.ok(sample.valid && sample.alert && sample.highAlert && !sample.lowAlert);
    assert.closeTo(sample.temperature, 31, 0.008);
    while (sensor.nextAlert(sample));
    assert.equal(sensor.nextAlert(sample), false);
  });

  it("queues 32 alerts in its default ring, as it says, and drops the 33rd", () => {
    const { sim, sensor } = setup(constant(40));
    sensor.configure({ highLimitC: 30, conversionCycle: 0, averaging: 0 });
    sim.clock.advance(15.5 * 40); // an alert every 15.5 ms conversion, none drained
    assert.equal(sensor.pendingAlerts, 32);
    assert.ok(sensor.counters.dropped >= 1);
    assert.equal(sensor.counters.interrupts, 32 + sensor.counters.dropped);
  });

  it("counts the alerts it had to drop when the ring is full", () => {
    const { sim, sensor } = setup(constant(40), new RecordRing(3, 5));
    sensor.configure({ highLimitC: 30, conversionCycle: 0, averaging: 0 });
    sim.clock.advance(200);
    assert.ok(sensor.counters.dropped > 0);
    assert.equal(sensor.counters.faults[SampleStatus.dropped], sensor.counters.dropped);
    assert.equal(sensor.counters.interrupts, sensor.pendingAlerts + sensor.counters.dropped);
  });

  it("reports an out-of-range reading and a clock-stretch timeout as statuses", () => {
    const { sim, sensor, model } = setup();
    sim.clock.advance(20);
    model.temperatureC.override = 200;
    sim.clock.advance(1000);
    assert.equal(sensor.sample()?.status, SampleStatus.outOfRange);
    sim.inject({ kind: "clock-stretch", address: 0x48, latencyMs: 50, atMs: sim.clock.now, untilMs: sim.clock.now + 1 });
    assert.equal(sensor.sample()?.status, SampleStatus.timeout);
    assert.equal(sensor.counters.faults[SampleStatus.timeout], 1);
  });

  it("refuses another chip, closes idempotently and refuses use after close", () => {
    const sim = new Simulation(pico);
    sim.attach(new BMP280Model(sim.clock, { address: 0x49 as 0x77 })); // another chip at one of the TMP117's addresses
    assert.throws(() => new TMP117({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus, address: 0x49 } }), SensorError, /not the TMP117's 0x117/);
    const { sensor } = setup();
    sensor.close();
    sensor.close();
    assert.throws(() => sensor.nextAlert(new TMP117Sample()), SensorError, /TMP117 used after close/);
  });

  it("in shutdown mode reads a fresh one-shot, never its last conversion (60 s later at 80 °C it says 80 °C)", () => {
    const { sim, sensor } = setup(ramp(22, 80, 1000, 1000));
    sim.clock.advance(20);
    assert.closeTo(sensor.sample()?.temperature ?? Number.NaN, 22, 0.01);
    sensor.configure({ mode: "shutdown" });
    sim.clock.advance(60_000);
    const sample = new TMP117Sample();
    assert.equal(sensor.sample(sample), undefined, "no one-shot yet: it starts one and says not-ready");
    assert.equal(sample.status, SampleStatus.notReady);
    assert.equal(sample.valid, false);
    sim.clock.advance(124); // 8 conversions of 15.5 ms at the default averaging
    assert.equal(sensor.sample(sample), sample);
    assert.ok(sample.valid);
    assert.closeTo(sample.temperature, 80, 0.01);
    assert.equal(sensor.sample(sample), undefined, "that one-shot was read: the next sample starts another");
  });

  it("in shutdown mode waits what trigger() says (longer with averaging), then samples once", () => {
    const { sim, sensor, model } = setup(constant(-12.5));
    sensor.configure({ mode: "shutdown", averaging: 8 });
    const converted = model.conversions;
    sim.clock.advance(5000);
    assert.equal(model.conversions, converted, "shutdown: no conversions of its own");
    const waitMs = sensor.trigger();
    assert.equal(waitMs, 124, "8 averaged conversions of 15.5 ms");
    sim.clock.advance(100);
    assert.equal(sensor.sample(), undefined, "not done yet");
    sim.clock.advance(24);
    assert.closeTo(sensor.sample()?.temperature ?? Number.NaN, -12.5, 0.008);
    assert.equal(model.conversions, converted + 1);
    sensor.configure({ mode: "continuous" });
    assert.equal(sensor.trigger(), 0, "continuous: nothing to start");
  });

  it("reports a one-shot that could not be started as that fault, counted, on the next sample", () => {
    const { sim, sensor } = setup();
    sensor.configure({ mode: "shutdown" });
    sim.inject({ kind: "nack-address", address: 0x48, atMs: sim.clock.now, untilMs: sim.clock.now + 1 });
    sensor.trigger();
    sim.clock.advance(20);
    assert.equal(sensor.sample()?.status, SampleStatus.nack);
    assert.equal(sensor.counters.faults[SampleStatus.nack], 1);
    assert.equal(sensor.sample(), undefined, "the next one starts a one-shot again");
  });

  it("samples one-shots in shutdown mode without allocating", function () {
    const { sim, sensor } = setup();
    sensor.configure({ mode: "shutdown" });
    const sample = new TMP117Sample();
    let valid = 0;
    expectNoAllocation(this, () => {
      sim.clock.advance(sensor.trigger());
      if (sensor.sample(sample) !== undefined && sample.valid) valid++;
    }, { iterations: 2000 });
    assert.equal(valid, 2100, "every one-shot, warm-up included, was read");
  });

  it("runs the alert interrupt path and samples without allocating", function () {
    const { sim, sensor } = setup(constant(35));
    sensor.configure({ highLimitC: 30, conversionCycle: 0, averaging: 0 });
    const sample = new TMP117Sample();
    expectNoAllocation(this, () => {
      sim.clock.advance(15.5);
      while (sensor.nextAlert(sample));
      sensor.sample(sample);
    });
    assert.ok(sensor.counters.interrupts > 10_000);
  });
});
