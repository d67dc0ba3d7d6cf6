import { pico } from "../../boards/index.js";
import { SampleStatus, SensorError, SensorOptionError } from "../../src/drivers/index.js";
import { TMP102, TMP102Sample, type TMP102Config } from "../../src/drivers/tmp102/index.js";
import { RecordRing } from "../../src/mem/index.js";
import { MPU6050Model } from "../../simulator/devices/mpu6050.js";
import { TMP102Model } from "../../simulator/devices/tmp102.js";
import { constant, ramp, series, type Signal } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

/** ALERT on GP16, as the default scenario wires the TMP117's. */
const ALERT_PIN = 16;

function setup(temperatureC: Signal = constant(23.5), config: TMP102Config = {}, ring?: RecordRing) {
  const sim = new Simulation(pico);
  const model = sim.attach(new TMP102Model(sim.clock, sim.pins, { temperatureC, alertPin: ALERT_PIN }));
  let alerts = 0;
  const sensor = new TMP102({
    sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus }, config,
    alert: { io: sim.device.io.Digital, pin: ALERT_PIN }, onAlert: () => alerts++, ...(ring === undefined ? {} : { ring }),
  });
  return { sim, model, sensor, alerts: () => alerts };
}

function drain(sensor: TMP102): TMP102Sample[] {
  const out: TMP102Sample[] = [];
  for (let s = new TMP102Sample(); sensor.nextAlert(s); s = new TMP102Sample()) out.push(s);
  return out;
}

describe("TMP102 driver", () => {
  it("reads {temperature, alert} in 0.0625 °C steps at 4 Hz", () => {
    const { sim, sensor, model } = setup();
    sim.clock.advance(30);
    const sample = sensor.sample();
    assert.ok(sample?.valid);
    assert.deepEqual(Object.keys(sample).sort(), ["alert", "status", "temperature", "valid"]);
    assert.equal(sample.temperature, 23.5);
    assert.equal(sample.alert, false);
    sim.clock.advance(1000);
    assert.equal(model.conversions, 5, "26 ms, then every 250 ms");
  });

  it("reads 13-bit results above 128 °C in extended mode", () => {
    const { sim, sensor } = setup(constant(140.125), { extended: true });
    sim.clock.advance(30);
    assert.equal(sensor.sample()?.temperature, 140.125);
  });

  it("in comparator mode holds ALERT from the high limit until below the low one", () => {
    const { sim, sensor, alerts } = setup(series([[0, 20], [1000, 40], [2000, 40], [3000, 20]]), { highLimitC: 30, lowLimitC: 25, conversionRateHz: 8 });
    sim.clock.advance(1600);
    assert.equal(sim.pins.level(ALERT_PIN), 0, "active low");
    assert.equal(alerts(), 1);
    assert.ok(sensor.sample()?.alert, "AL reports the comparator");
    assert.equal(sim.pins.level(ALERT_PIN), 0, "reading does not clear comparator mode");
    sim.clock.advance(1500); // 25 °C crossed near 2750 ms
    assert.equal(sim.pins.level(ALERT_PIN), 1);
    assert.equal(sensor.sample()?.alert, false);
    const queued = drain(sensor);
    assert.equal(queued.length, 1);
    assert.ok(queued[0]?.valid && queued[0].alert && (queued[0].temperature ?? 0) >= 30);
  });

  it("in interrupt mode pulses ALERT at each crossing, cleared by the read the handler makes", () => {
    const { sim, sensor, alerts } = setup(series([[0, 20], [1000, 40], [2000, 40], [3000, 20]]), { highLimitC: 30, lowLimitC: 25, alertMode: "interrupt", conversionRateHz: 8 });
    sim.clock.advance(4000);
    assert.equal(alerts(), 2, "once going up through 30 °C, once going down through 25 °C");
    assert.equal(sim.pins.level(ALERT_PIN), 1, "released by the handler's read");
    const [up, down] = drain(sensor);
    assert.ok(up?.alert && (up.temperature ?? 0) >= 30);
    assert.ok(down !== undefined && !down.alert && down.temperature < 25);
  });

  it("waits for the fault queue: a single spike past the limit raises nothing with four faults", () => {
    const { sim, alerts } = setup(series([[0, 20], [900, 20], [901, 40], [1100, 40], [1101, 20]]), { highLimitC: 30, faultQueue: 4, conversionRateHz: 8 });
    sim.clock.advance(2000);
    assert.equal(alerts(), 0);
  });

  it("in shutdown mode reads a fresh one-shot, never an old reading", () => {
    const { sim, sensor, model } = setup(ramp(22, 80, 1000, 1000));
    sim.clock.advance(30);
    assert.equal(sensor.sample()?.temperature, 22);
    sensor.configure({ mode: "shutdown" });
    const converted = model.conversions;
    sim.clock.advance(60_000);
    assert.equal(model.conversions, converted, "no conversions of its own");
    const sample = new TMP102Sample();
    assert.equal(sensor.sample(sample), undefined, "it starts a one-shot and says not-ready");
    assert.equal(sample.status, SampleStatus.notReady);
    sim.clock.advance(10);
    assert.equal(sensor.sample(sample), undefined, "OS reads 0 while converting");
    sim.clock.advance(25);
    assert.equal(sensor.sample(sample)?.temperature, 80);
    assert.equal(sensor.trigger(), 35);
    sim.clock.advance(35);
    assert.ok(sensor.sample(sample)?.valid);
    assert.equal(model.conversions, converted + 2);
  });

  it("counts the alerts it drops when its ring is full, and the default ring holds 32", () => {
    const points: [number, number][] = [];
    for (let i = 0; i < 40; i++) points.push([i * 250, i % 2 === 0 ? 40 : 20], [i * 250 + 249, i % 2 === 0 ? 40 : 20]);
    const interrupts = { highLimitC: 30, lowLimitC: 25, alertMode: "interrupt", conversionRateHz: 8 } as const;
    const small = setup(series(points), interrupts, new RecordRing(2, 5));
    small.sim.clock.advance(2000); // a crossing every 250 ms
    assert.equal(small.sensor.pendingAlerts, 2);
    assert.ok(small.sensor.counters.dropped >= 5, `${small.sensor.counters.dropped} dropped`);
    assert.equal(small.sensor.counters.interrupts, 2 + small.sensor.counters.dropped);
    const full = setup(series(points), interrupts);
    full.sim.clock.advance(10_000);
    assert.equal(full.sensor.pendingAlerts, 32);
    assert.ok(full.sensor.counters.dropped >= 1);
  });

  it("reports bus faults and an out-of-range reading as counted statuses", () => {
    const { sim, sensor, model } = setup();
    sim.clock.advance(30);
    for (const [kind, status] of [["nack-address", SampleStatus.nack], ["bus-stuck", SampleStatus.timeout], ["vanish", SampleStatus.nack]] as const) {
      sim.inject({ kind, address: 0x48, atMs: sim.clock.now, untilMs: sim.clock.now + 10 });
      sim.clock.advance(1);
      assert.equal(sensor.sample()?.status, status, kind);
      sim.clock.advance(20);
      assert.ok(sensor.sample()?.valid, `${kind}: reads again`);
    }
    sim.inject({ kind: "clock-stretch", address: 0x48, latencyMs: 40, atMs: sim.clock.now, untilMs: sim.clock.now + 1 });
    assert.equal(sensor.sample()?.status, SampleStatus.timeout);
    model.temperatureC.override = 300; // pinned at the 12-bit format's 127.9375 °C
    sim.clock.advance(300);
    assert.equal(sensor.sample()?.status, SampleStatus.outOfRange);
    assert.equal(sensor.counters.faults[SampleStatus.outOfRange], 1);
  });

  it("refuses another chip, limits its format cannot hold, and use after close", () => {
    const sim = new Simulation(pico);
    sim.attach(new MPU6050Model(sim.clock, sim.pins, { address: 0x69 }));
    const bus = { ...sim.device.I2C.default, io: sim.device.io.SMBus };
    assert.equal((assert.throws(() => new TMP102({ sensor: bus }), SensorError, /no TMP102 answered at 0x48/) as SensorError).code, "no-answer");
    assert.equal((assert.throws(() => new TMP102({ sensor: { ...bus, address: 0x69 } }), SensorOptionError) as SensorOptionError).option, "sensor.address");
    const { sensor } = setup();
    const option = (config: object): string => (assert.throws(() => sensor.configure(config as TMP102Config), SensorOptionError) as SensorOptionError).option;
    assert.equal(option({ highLimitC: 140 }), "configure.highLimitC", "12-bit ends at 127.9375 °C");
    sensor.configure({ extended: true, highLimitC: 140 });
    assert.equal(option({ conversionRateHz: 2 }), "configure.conversionRateHz");
    assert.equal(option({ faultQueue: 3 }), "configure.faultQueue");
    assert.equal(option({ alertMode: "therm" }), "configure.alertMode");
    assert.equal(option({ highLimitC: 20, lowLimitC: 30 }), "configure.lowLimitC");
    sensor.close();
    sensor.close();
    assert.throws(() => sensor.sample(), SensorError, /TMP102 used after close/);
  });

  it("samples, one-shots and takes alerts without allocating", function () {
    const continuous = setup(constant(35), { highLimitC: 30, lowLimitC: 25, alertMode: "interrupt", conversionRateHz: 8 });
    const oneShot = setup(constant(21), { mode: "shutdown" });
    const sample = new TMP102Sample();
    expectNoAllocation(this, () => {
      continuous.sim.clock.advance(125);
      continuous.sensor.sample(sample);
      while (continuous.sensor.nextAlert(sample));
      oneShot.sim.clock.advance(oneShot.sensor.trigger());
      oneShot.sensor.sample(sample);
    }, { iterations: 2000 });
    assert.ok(sample.valid);
  });
});
