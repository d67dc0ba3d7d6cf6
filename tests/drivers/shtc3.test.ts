import { pico } from "../../boards/index.js";
import { SampleStatus, SensorError, SensorOptionError, type SensorFault } from "../../src/drivers/index.js";
import { SHTC3, SHTC3Sample, type SHTC3Config } from "../../src/drivers/shtc3/index.js";
import { BMP280Model } from "../../simulator/devices/bmp280.js";
import { SHTC3Model } from "../../simulator/devices/shtc3.js";
import { constant } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import { timerApi } from "../../simulator/timer.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

function setup(config?: SHTC3Config, asleep = false) {
  const sim = new Simulation(pico);
  const model = sim.attach(new SHTC3Model(sim.clock, { temperatureC: constant(26.5), humidityRH: constant(38.75), asleep }));
  const faults: number[] = [];
  const sensor = new SHTC3({
    sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus, hz: 1_000_000 }, timer: timerApi(() => sim.clock),
    onError: (f: SensorFault) => faults.push(f.status), ...(config === undefined ? {} : { config }),
  });
  return { sim, model, sensor, faults };
}

const T_STEP = 175 / 65536;
const RH_STEP = 100 / 65536;

describe("SHTC3 driver", () => {
  it("samples with clock stretching in the ECMA-419 compound shape, within one raw step", () => {
    const { sim, sensor } = setup();
    const before = sim.clock.now;
    const sample = sensor.sample();
    assert.ok(sample?.valid);
    assert.deepEqual(Object.keys(sample).sort(), ["hygrometer", "status", "thermometer", "valid"]);
    assert.closeTo(sample.thermometer.temperature, 26.5, T_STEP);
    assert.closeTo(sample.hygrometer.humidity, 38.75, RH_STEP);
    assert.ok(sim.clock.now - before >= 12.1, "the read was stretched over the 12.1 ms measurement");
  });

  it("polls without clock stretching: not-ready until the measurement is done, and that is no fault", () => {
    const { sim, sensor, faults } = setup({ clockStretching: false });
    assert.equal(sensor.trigger(), 13);
    const sample = new SHTC3Sample();
    assert.equal(sensor.sample(sample), undefined);
    assert.equal(sample.status, SampleStatus.notReady);
    sim.clock.advance(13);
    assert.ok(sensor.sample(sample)?.valid);
    assert.equal(sensor.sample(sample), undefined, "polling without a trigger starts one");
    sim.clock.advance(13);
    assert.ok(sensor.sample(sample)?.valid);
    assert.deepEqual(faults, []);
  });

  it("measures in low-power mode in under a millisecond", () => {
    const { sim, sensor } = setup({ lowPower: true, clockStretching: false });
    assert.equal(sensor.trigger(), 1);
    sim.clock.advance(1);
    assert.closeTo(sensor.sample()?.thermometer.temperature ?? Number.NaN, 26.5, T_STEP);
  });

  it("sleeps between measurements, waking with the timer's delay, and sleeps when closed", () => {
    const { model, sensor } = setup({ sleep: true });
    assert.ok(model.asleep, "asleep after configure");
    assert.ok(sensor.sample()?.valid);
    assert.ok(model.asleep, "asleep again after the measurement");
    assert.equal(model.ignored, 0, "never a command while asleep");
    sensor.configure({ sleep: false });
    assert.equal(model.asleep, false);
    sensor.close();
    assert.ok(model.asleep);
  });

  it("wakes a chip a previous run left asleep, reading its ID again while it wakes up", () => {
    const { model, sensor } = setup(undefined, true);
    assert.equal(model.asleep, false);
    assert.ok(sensor.sample()?.valid);
  });

  it("marks a corrupted frame invalid by its CRC, counts it and tells onError", () => {
    const { sim, sensor, faults } = setup();
    sim.inject({ kind: "crc-corruption", address: 0x70 });
    const sample = sensor.sample();
    assert.equal(sample?.status, SampleStatus.crc);
    assert.ok(sample !== undefined && Number.isNaN(sample.thermometer.temperature) && Number.isNaN(sample.hygrometer.humidity));
    assert.deepEqual(faults, [], "onError is not called inside sample() (ECMA-419 §8)");
    sim.clock.advance(1);
    assert.deepEqual(faults, [SampleStatus.crc]);
  });

  it("reports every bus fault kind as a counted status and measures again afterwards", () => {
    const { sim, sensor, model } = setup({ sleep: true });
    const during = (kind: "nack-address" | "nack-after-bytes" | "bus-stuck" | "vanish" | "clock-stretch", extra: object = {}): number => {
      sim.inject({ kind, address: 0x70, atMs: sim.clock.now, untilMs: sim.clock.now + 100, ...extra });
      const status = sensor.sample()?.status ?? SampleStatus.notReady;
      sim.clock.advance(200);
      assert.ok(sensor.sample()?.valid, `${kind}: measures again once it ends`);
      return status;
    };
    assert.equal(during("nack-address"), SampleStatus.nack);
    assert.equal(during("nack-after-bytes", { bytes: 1 }), SampleStatus.nack);
    assert.equal(during("bus-stuck"), SampleStatus.timeout);
    assert.equal(during("vanish"), SampleStatus.nack);
    assert.equal(during("clock-stretch", { latencyMs: 40 }), SampleStatus.timeout);
    model.temperatureC.override = 130;
    assert.equal(sensor.sample()?.status, SampleStatus.outOfRange);
    assert.equal(sensor.counters.faults[SampleStatus.nack], 3);
    assert.equal(sensor.counters.faults[SampleStatus.timeout], 2);
  });

  it("refuses a missing device, another chip, sleep without a timer, and use after close", () => {
    const sim = new Simulation(pico);
    const bus = { ...sim.device.I2C.default, io: sim.device.io.SMBus };
    assert.equal((assert.throws(() => new SHTC3({ sensor: bus }), SensorError, /no SHTC3 answered at 0x70/) as SensorError).code, "no-answer");
    sim.attach(new BMP280Model(sim.clock, { address: 0x70 as 0x76 }));
    assert.equal((assert.throws(() => new SHTC3({ sensor: bus }), SensorError, /not an SHTC3/) as SensorError).code, "wrong-chip");
    const refused = assert.throws(() => new SHTC3({ sensor: bus, config: { sleep: true } }), SensorOptionError) as SensorOptionError;
    assert.equal(refused.option, "config.sleep");
    assert.equal((assert.throws(() => new SHTC3({ sensor: { ...bus, address: 0x71 } }), SensorOptionError) as SensorOptionError).option, "sensor.address");
    const { sensor } = setup();
    sensor.close();
    sensor.close();
    assert.throws(() => sensor.sample(), SensorError, /SHTC3 used after close/);
  });

  for (const config of [{}, { sleep: true }, { clockStretching: false }] as const) {
    it(`samples without allocating (${JSON.stringify(config)})`, function () {
      const { sim, sensor } = setup(config);
      const sample = new SHTC3Sample();
      expectNoAllocation(this, () => {
        sim.clock.advance(sensor.trigger());
        sensor.sample(sample);
      }, { iterations: 2000 });
      assert.ok(sample.valid);
    });
  }
});
