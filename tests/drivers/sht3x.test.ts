import { pico } from "../../boards/index.js";
import { SampleStatus, SensorError, type SensorFault } from "../../src/drivers/common/errors.js";
import { sensirionCrc8 } from "../../src/drivers/common/crc8.js";
import { SHT3x, SHT3xSample } from "../../src/drivers/sht3x/index.js";
import { BMP280Model } from "../../simulator/devices/bmp280.js";
import { SHT3xModel } from "../../simulator/devices/sht3x.js";
import { constant, ramp } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import { timerApi } from "../../simulator/timer.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

function setup(temperatureC = 24.25, humidityRH = 52.5) {
  const sim = new Simulation(pico);
  const model = sim.attach(new SHT3xModel(sim.clock, { temperatureC: constant(temperatureC), humidityRH: constant(humidityRH) }));
  const faults: number[] = [];
  const sensor = new SHT3x({
    sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus },
    onError: (fault: SensorFault) => faults.push(fault.status), timer: timerApi(() => sim.clock),
  });
  return { sim, model, sensor, faults };
}

describe("SHT3x driver", () => {
  it("checks words with the datasheet's CRC: 0xBEEF → 0x92", () => {
    assert.equal(sensirionCrc8(Uint8Array.of(0xbe, 0xef), 0), 0x92);
  });

  it("computes the same CRC from its table as the bit-by-bit definition, for words across the range", () => {
    const bitByBit = (value: number): number => {
      let crc = 0xff ^ (value >> 8);
      for (let bit = 0; bit < 16; bit++) {
        if (bit === 8) crc ^= value & 0xff;
        crc = crc & 0x80 ? ((crc << 1) ^ 0x31) & 0xff : (crc << 1) & 0xff;
      }
      return crc;
    };
    const word = new Uint8Array(3);
    for (let value = 0; value < 0x10000; value += 97) {
      word[1] = value >> 8;
      word[2] = value & 0xff;
      assert.equal(sensirionCrc8(word, 1), bitByBit(value), `word 0x${value.toString(16)}`);
    }
  });

  it("samples in the ECMA-419 compound shape, within one raw step of the model's values", () => {
    const { sensor } = setup();
    const sample = sensor.sample();
    assert.ok(sample !== undefined);
    assert.deepEqual(Object.keys(sample).sort(), ["hygrometer", "status", "thermometer", "valid"]);
    assert.equal(sample.status, SampleStatus.ok);
    assert.ok(sample.valid);
    assert.closeTo(sample.thermometer.temperature, 24.25, 175 / 65535); // °C
    assert.closeTo(sample.hygrometer.humidity, 52.5, 100 / 65535); // %RH
    assert.equal(sensor.counters.valid, 1);
  });

  it("returns a new object per sample() (ECMA-419), and fills the caller's object in place with sample(into)", () => {
    const { sensor } = setup();
    const first = sensor.sample();
    assert.ok(first !== undefined && first !== sensor.sample(), "a caller may keep every sample");
    const mine = new SHT3xSample();
    const thermometer = mine.thermometer;
    assert.equal(sensor.sample(mine), mine);
    assert.ok(mine.valid);
    assert.equal(mine.thermometer, thermometer, "the sub-objects are filled, not replaced");
  });

  it("triggers without blocking and reports not-ready until the measurement is done", () => {
    const { sim, sensor, faults } = setup();
    const waitMs = sensor.trigger();
    assert.equal(waitMs, 15);
    const sample = new SHT3xSample();
    assert.equal(sensor.sample(sample), undefined, "nothing to report yet");
    assert.equal(sample.status, SampleStatus.notReady);
    assert.ok(Number.isNaN(sample.thermometer.temperature));
    sensor.trigger();
    sim.clock.advance(waitMs);
    assert.ok(sensor.sample()?.valid);
    assert.deepEqual(faults, [], "not-ready is not a fault");
  });

  it("samples periodically and says when there is no new data", () => {
    const { sim, sensor } = setup(30, 40);
    sensor.configure({ periodMs: 1000 });
    sim.clock.advance(20);
    assert.ok(sensor.sample()?.valid);
    assert.equal(sensor.sample(), undefined);
    sim.clock.advance(1000);
    assert.closeTo(sensor.sample()?.thermometer.temperature ?? Number.NaN, 30, 0.01);
  });

  it("marks a corrupted frame invalid, counts it and tells onError", () => {
    const { sim, sensor, faults } = setup();
    sim.inject({ kind: "crc-corruption", address: 0x44 });
    const sample = sensor.sample();
    assert.ok(sample !== undefined);
    assert.equal(sample.valid, false);
    assert.equal(sample.status, SampleStatus.crc);
    assert.ok(Number.isNaN(sample.thermometer.temperature) && Number.isNaN(sample.hygrometer.humidity), "no half-valid result");
    assert.deepEqual(faults, [], "onError is not called inside sample() (ECMA-419 §8)");
    sim.clock.advance(1);
    assert.deepEqual(faults, [SampleStatus.crc], "but on the next turn, from the timer it was given");
    assert.equal(sensor.counters.faults[SampleStatus.crc], 1);
  });

  it("tells onError once a turn however many faults came before it, and not at all once closed", () => {
    const { sim, sensor, faults } = setup();
    sim.inject({ kind: "crc-corruption", address: 0x44 });
    sensor.sample();
    sensor.sample();
    sim.clock.advance(1);
    assert.deepEqual(faults, [SampleStatus.crc], "the latest fault, once");
    assert.equal(sensor.counters.faults[SampleStatus.crc], 2, "each counted");
    sensor.sample();
    sensor.close();
    sim.clock.advance(10);
    assert.deepEqual(faults, [SampleStatus.crc], "closed before it ran: not called");
    assert.equal(sim.clock.activeTimers, 0, "its timer cleared with it");
  });

  it("reports NACK, timeout and out-of-range as statuses, and keeps sampling afterwards", () => {
    const { sim, sensor, model } = setup();
    sim.inject({ kind: "nack-address", address: 0x44, atMs: sim.clock.now, untilMs: sim.clock.now + 10 });
    assert.equal(sensor.sample()?.status, SampleStatus.nack);
    sim.clock.advance(10);
    sim.inject({ kind: "bus-stuck", atMs: sim.clock.now, untilMs: sim.clock.now + 10 });
    assert.equal(sensor.sample()?.status, SampleStatus.timeout);
    sim.clock.advance(100);
    model.temperatureC.override = 200;
    assert.equal(sensor.sample()?.status, SampleStatus.outOfRange);
    model.temperatureC.override = undefined;
    assert.ok(sensor.sample()?.valid);
    assert.equal(sensor.counters.attempts, 4);
    assert.equal(sensor.counters.invalid, 3);
  });

  it("follows a changing signal over virtual time", () => {
    const sim = new Simulation(pico);
    sim.attach(new SHT3xModel(sim.clock, { temperatureC: ramp(10, 20, 10_000) }));
    const sensor = new SHT3x({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus } });
    sim.clock.advance(5000);
    assert.closeTo(sensor.sample()?.thermometer.temperature ?? Number.NaN, 15, 0.05);
  });

  it("refuses a missing device and a device that is not an SHT3x, closing what it opened", () => {
    const sim = new Simulation(pico);
    assert.throws(() => new SHT3x({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus } }), SensorError, /no SHT3x answered at 0x44/);
    sim.attach(new BMP280Model(sim.clock, { address: 0x45 as 0x76 })); // another chip at the SHT3x's second address
    const error = assert.throws(() => new SHT3x({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus, address: 0x45 } }), SensorError, /not an SHT3x/) as SensorError;
    assert.equal(error.code, "wrong-chip");
    assert.equal(error.address, 0x45);
  });

  it("starts on a chip still in periodic mode after a reset of the MCU alone: Break first (§4.11)", () => {
    const { sim, model, sensor } = setup(23, 48);
    sensor.configure({ periodMs: 1000 });
    assert.equal(model.mode, 2);
    // The MCU resets without closing the driver: the chip keeps measuring periodically, and a new driver starts.
    sim.resetMcu();
    const again = new SHT3x({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus } });
    assert.equal(model.mode, 0, "Break stopped the periodic acquisition");
    assert.equal(model.ignored, 0, "no command was sent that periodic mode would have ignored");
    assert.closeTo(again.sample()?.thermometer.temperature ?? Number.NaN, 23, 175 / 65535);
  });

  it("closes idempotently and refuses use after close", () => {
    const { sensor } = setup();
    sensor.close();
    sensor.close();
    assert.throws(() => sensor.sample(), SensorError, /used after close\(\)/);
    assert.throws(() => sensor.configure({ repeatability: "low" }), SensorError, /used after close/);
  });

  it("samples without allocating", function () {
    const { sensor } = setup();
    const sample = new SHT3xSample();
    expectNoAllocation(this, () => {
      sensor.sample(sample);
    });
  });
});
