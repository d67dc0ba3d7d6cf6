import { pico } from "../../boards/index.js";
import { AHT20, AHT20Sample } from "../../src/drivers/aht20/index.js";
import { SampleStatus, SensorError, SensorOptionError, type SensorFault } from "../../src/drivers/index.js";
import { AHT20Model } from "../../simulator/devices/aht20.js";
import { constant, ramp } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

function setup(temperatureC = 24.5, humidityRH = 51.25, uncalibrated = false) {
  const sim = new Simulation(pico);
  const model = sim.attach(new AHT20Model(sim.clock, { temperatureC: constant(temperatureC), humidityRH: constant(humidityRH), uncalibrated }));
  const faults: number[] = [];
  const sensor = new AHT20({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus }, onError: (f: SensorFault) => faults.push(f.status) });
  return { sim, model, sensor, faults };
}

/** One measurement as a user does it: trigger, wait what it says, sample. */
function measure(sim: Simulation, sensor: AHT20, into = new AHT20Sample()): AHT20Sample {
  sim.clock.advance(sensor.trigger());
  sensor.sample(into);
  return into;
}

/** 20-bit steps: 200 °C / 2^20 and 100 %RH / 2^20. */
const T_STEP = 200 / 2 ** 20;
const RH_STEP = 100 / 2 ** 20;

describe("AHT20 driver", () => {
  it("samples in the ECMA-419 compound shape, within one 20-bit step of the model", () => {
    const { sim, sensor } = setup();
    const sample = measure(sim, sensor);
    assert.deepEqual(Object.keys(sample).sort(), ["hygrometer", "status", "thermometer", "valid"]);
    assert.ok(sample.valid && sample.status === SampleStatus.ok);
    assert.closeTo(sample.thermometer.temperature, 24.5, T_STEP);
    assert.closeTo(sample.hygrometer.humidity, 51.25, RH_STEP);
  });

  it("waits the datasheet's 80 ms: not-ready while the busy bit is set, and that is no fault", () => {
    const { sim, sensor, faults } = setup();
    assert.equal(sensor.trigger(), 80);
    sim.clock.advance(79);
    const sample = new AHT20Sample();
    assert.equal(sensor.sample(sample), undefined);
    assert.equal(sample.status, SampleStatus.notReady);
    assert.ok(Number.isNaN(sample.thermometer.temperature) && Number.isNaN(sample.hygrometer.humidity));
    sim.clock.advance(1);
    assert.ok(sensor.sample(sample)?.valid, "the same measurement, once done");
    assert.deepEqual(faults, []);
  });

  it("starts a measurement when sampled without one, and returns a new object per sample() (ECMA-419)", () => {
    const { sim, sensor, model } = setup();
    assert.equal(sensor.sample(), undefined);
    assert.equal(model.measurements, 0);
    sim.clock.advance(80);
    const first = sensor.sample();
    assert.ok(first?.valid);
    assert.equal(model.measurements, 1);
    assert.notEqual(first, measure(sim, sensor));
  });

  it("initialises a part that powers up uncalibrated with 0xBE 0x08 0x00 (§5.4)", () => {
    const { sim, sensor, model } = setup(20, 40, true);
    assert.equal(model.status & 0x08, 0x08, "the calibration bit is set");
    assert.ok(measure(sim, sensor).valid);
  });

  it("follows a changing signal: each measurement is the value at its end", () => {
    const sim = new Simulation(pico);
    sim.attach(new AHT20Model(sim.clock, { temperatureC: ramp(10, 30, 10_000) }));
    const sensor = new AHT20({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus } });
    sim.clock.advance(4920);
    assert.closeTo(measure(sim, sensor).thermometer.temperature, 20, 0.01);
  });

  it("marks a corrupted frame invalid by its CRC, counts it and tells onError in a microtask when given no timer", async () => {
    const { sim, sensor, faults } = setup();
    sim.inject({ kind: "crc-corruption", address: 0x38 });
    const sample = measure(sim, sensor);
    assert.equal(sample.status, SampleStatus.crc);
    assert.ok(!sample.valid && Number.isNaN(sample.thermometer.temperature) && Number.isNaN(sample.hygrometer.humidity));
    assert.deepEqual(faults, [], "onError is not called inside sample() (ECMA-419 §8)");
    await Promise.resolve();
    assert.deepEqual(faults, [SampleStatus.crc]);
  });

  it("reports every bus fault kind as a counted status and measures again afterwards", () => {
    const { sim, sensor, model } = setup();
    const during = (kind: "nack-address" | "nack-after-bytes" | "bus-stuck" | "vanish" | "clock-stretch", extra: object = {}): number => {
      sim.inject({ kind, address: 0x38, atMs: sim.clock.now, untilMs: sim.clock.now + 200, ...extra });
      const status = measure(sim, sensor).status;
      sim.clock.advance(300);
      assert.ok(measure(sim, sensor).valid, `${kind}: measures again once it ends`);
      return status;
    };
    assert.equal(during("nack-address"), SampleStatus.nack);
    assert.equal(during("nack-after-bytes", { bytes: 1 }), SampleStatus.nack, "the trigger's second byte NACKed");
    assert.equal(during("bus-stuck"), SampleStatus.timeout);
    assert.equal(during("vanish"), SampleStatus.nack);
    assert.equal(during("clock-stretch", { latencyMs: 40 }), SampleStatus.timeout);
    model.temperatureC.override = 150;
    assert.equal(measure(sim, sensor).status, SampleStatus.outOfRange);
    model.temperatureC.override = undefined;
    const c = sensor.counters;
    assert.equal(c.faults[SampleStatus.nack], 3);
    assert.equal(c.faults[SampleStatus.timeout], 2);
    assert.equal(c.faults[SampleStatus.outOfRange], 1);
  });

  it("refuses a missing device and options the chip does not take, and closes idempotently", () => {
    const sim = new Simulation(pico);
    const sensor = { ...sim.device.I2C.default, io: sim.device.io.SMBus };
    const absent = assert.throws(() => new AHT20({ sensor }), SensorError, /no AHT20 answered at 0x38/) as SensorError;
    assert.equal(absent.code, "no-answer");
    assert.equal((assert.throws(() => new AHT20({ sensor: { ...sensor, address: 0x39 } }), SensorOptionError) as SensorOptionError).option, "sensor.address");
    assert.equal((assert.throws(() => new AHT20({ sensor: { ...sensor, hz: 1_000_000 } }), SensorOptionError) as SensorOptionError).option, "sensor.hz");
    const { sensor: aht } = setup();
    aht.close();
    aht.close();
    assert.throws(() => aht.sample(), SensorError, /AHT20 used after close/);
    assert.throws(() => aht.trigger(), SensorError, /used after close/);
  });

  it("triggers and samples without allocating", function () {
    const { sim, sensor } = setup();
    const sample = new AHT20Sample();
    let valid = 0;
    expectNoAllocation(this, () => {
      sim.clock.advance(sensor.trigger());
      if (sensor.sample(sample) !== undefined && sample.valid) valid++;
    }, { iterations: 2000 });
    assert.equal(valid, 2100, "every measurement, warm-up included");
  });
});
