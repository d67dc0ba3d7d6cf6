import { pico } from "../../boards/index.js";
import { SampleStatus, SensorError } from "../../src/drivers/common/errors.js";
import { BMP280, BMP280Sample } from "../../src/drivers/bmp280/index.js";
import { BMP280Model } from "../../simulator/devices/bmp280.js";
import { TMP117Model } from "../../simulator/devices/tmp117.js";
import { constant } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

function setup(temperatureC = 25.08, pressurePa = 100653.27) {
  const sim = new Simulation(pico);
  const model = sim.attach(new BMP280Model(sim.clock, { temperatureC: constant(temperatureC), pressurePa: constant(pressurePa) }));
  const sensor = new BMP280({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus } });
  return { sim, model, sensor };
}

describe("BMP280 driver", () => {
  it("reproduces the datasheet's worked example: 25.08 °C, 100653.27 Pa from adc_T 519888, adc_P 415148", () => {
    const { sim, model, sensor } = setup();
    sim.clock.advance(10);
    const sample = sensor.sample();
    assert.ok(sample !== undefined);
    assert.deepEqual(Object.keys(sample).sort(), ["barometer", "status", "thermometer", "valid"]);
    assert.equal(sample.status, SampleStatus.ok);
    const adcT = ((model.registers[0xfa] ?? 0) << 12) | ((model.registers[0xfb] ?? 0) << 4) | ((model.registers[0xfc] ?? 0) >> 4);
    const adcP = ((model.registers[0xf7] ?? 0) << 12) | ((model.registers[0xf8] ?? 0) << 4) | ((model.registers[0xf9] ?? 0) >> 4);
    // The datasheet prints 25.08 °C and 100653.27 Pa rounded; 16 ADC steps are about 0.005 °C and 0.5 Pa.
    assert.closeTo(adcT, 519888, 16);
    assert.closeTo(adcP, 415148, 16);
    assert.closeTo(sample.thermometer.temperature, 25.08, 0.01); // °C
    assert.closeTo(sample.barometer.pressure, 100653.27, 1); // Pa
  });

  it("measures once per trigger in forced mode, not-ready until it is done", () => {
    const { sim, sensor } = setup(12.5, 95000);
    sensor.configure({ mode: "forced", temperatureOversampling: 2, pressureOversampling: 16 });
    const waitMs = sensor.trigger();
    assert.closeTo(waitMs, 1.25 + 2.3 * 2 + 2.3 * 16 + 0.575, 1e-9);
    const sample = new BMP280Sample();
    assert.equal(sensor.sample(sample), undefined, "nothing to report while measuring");
    assert.equal(sample.status, SampleStatus.notReady);
    sim.clock.advance(waitMs);
    assert.equal(sensor.sample(sample), sample);
    assert.closeTo(sample.thermometer.temperature, 12.5, 0.01);
    assert.closeTo(sample.barometer.pressure, 95000, 2);
  });

  it("reports a vanished device and out-of-range values as counted statuses, then recovers", () => {
    const { sim, model, sensor } = setup();
    sim.inject({ kind: "vanish", address: 0x76, atMs: sim.clock.now, untilMs: sim.clock.now + 50 });
    sim.clock.advance(1);
    assert.equal(sensor.sample()?.status, SampleStatus.nack);
    sim.clock.advance(100);
    model.pressurePa.override = 120000;
    sensor.configure({ mode: "normal" }); // rewriting ctrl_meas starts a new measurement in the model
    sim.clock.advance(100);
    assert.equal(sensor.sample()?.status, SampleStatus.outOfRange);
    model.pressurePa.override = undefined;
    sim.clock.advance(100);
    assert.ok(sensor.sample()?.valid);
    assert.equal(sensor.counters.faults[SampleStatus.nack], 1);
    assert.equal(sensor.counters.faults[SampleStatus.outOfRange], 1);
  });

  it("refuses a device with another chip ID, closing what it opened", () => {
    const sim = new Simulation(pico);
    sim.attach(new TMP117Model(sim.clock, undefined, { address: 0x77 as 0x49 })); // another chip strapped to the BMP280's address
    const error = assert.throws(() => new BMP280({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus, address: 0x77 } }),
      SensorError, /has chip ID 0x[0-9a-f]+, not the BMP280's 0x58/) as SensorError;
    assert.equal(error.code, "wrong-chip");
    assert.equal(error.register, 0xd0);
    assert.throws(() => new BMP280({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus } }), SensorError, /no BMP280 answered/);
  });

  it("closes idempotently and refuses use after close", () => {
    const { sensor } = setup();
    sensor.close();
    sensor.close();
    assert.throws(() => sensor.sample(), SensorError, /BMP280 used after close/);
  });

  it("says there is nothing to report before a forced measurement, without allocating", function () {
    const sim = new Simulation(pico);
    sim.attach(new BMP280Model(sim.clock, {}));
    // Forced mode from the start and never triggered: the data registers keep their reset value (§4.3.6–4.3.7).
    const sensor = new BMP280({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus }, config: { mode: "forced" } });
    const sample = new BMP280Sample();
    let nothing = 0;
    expectNoAllocation(this, () => {
      if (sensor.sample(sample) === undefined) nothing++;
    });
    assert.ok(nothing > 0 && sample.status === SampleStatus.notReady);
  });

  it("samples without allocating", function () {
    const { sensor } = setup();
    const sample = new BMP280Sample();
    expectNoAllocation(this, () => {
      sensor.sample(sample);
    });
  });
});
