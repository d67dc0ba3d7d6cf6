import { pico } from "../../boards/index.js";
import { SampleStatus, SensorError } from "../../src/drivers/common/errors.js";
import { TMP117, TMP117Sample } from "../../src/drivers/tmp117/index.js";
import { RingAllocator, StaticArena } from "../../src/mem/index.js";
import { BMP280Model } from "../../simulator/devices/bmp280.js";
import { TMP117Model } from "../../simulator/devices/tmp117.js";
import { constant, type Signal } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

/** The TMP117's ALERT line: GP16, as the default scenario wires it. */
const ALERT_PIN = 16;

function setup(temperatureC: Signal = constant(23.125), ring?: RingAllocator) {
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

  it("counts the alerts it had to drop when the ring is full", () => {
    const arena = new StaticArena(64);
    const { sim, sensor } = setup(constant(40), new RingAllocator(arena.carve("small", 16)));
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

  it("says there is nothing to report before the first conversion without allocating", function () {
    const { sensor } = setup();
    sensor.configure({ mode: "shutdown" }); // before the first conversion: the result keeps its reset value (§7.6.1.1)
    const sample = new TMP117Sample();
    let nothing = 0;
    expectNoAllocation(this, () => {
      if (sensor.sample(sample) === undefined) nothing++;
    });
    assert.ok(nothing > 0 && sample.status === SampleStatus.notReady);
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
