/**
 * The sensor types the gateway knows: each a table of its bus, pins, period, settings and readings, and which
 * fields of its driver's sample feed which reading. SENSOR_TYPES lists them; a firmware adds its own beside them.
 */
import { BMP280, BMP280Sample, BMP280_SPEC } from "../../drivers/bmp280/bmp280.js";
import { ButtonEvent, ButtonSample, DebouncedButton } from "../../drivers/button/button.js";
import { DriverCounters, SampleStatus } from "../../drivers/common/errors.js";
import { STANDARD_GRAVITY } from "../../drivers/common/readings.js";
import type { ChipSpec, SensorBusOptions } from "../../drivers/common/sensor.js";
import { LIS3DH, LIS3DHSample, LIS3DH_SPEC } from "../../drivers/lis3dh/lis3dh.js";
import { SHT3x, SHT3xSample, SHT3X_SPEC } from "../../drivers/sht3x/sht3x.js";
import { TMP117, TMP117Sample, TMP117_SPEC } from "../../drivers/tmp117/tmp117.js";
import type { OpenedSensor, SampleSink, SensorParts, SensorType, SettingSpec } from "./sensor-type.js";

/** A sampled result in the drivers' shape: a status, and valid when it is ok. */
interface Sampled {
  readonly status: number;
  readonly valid: boolean;
}

interface PolledDriver<S> {
  sample(into: S): unknown;
  readonly counters: DriverCounters;
  close(): void;
}

/** Reads one reading's value out of a sample. */
type Field<S> = (sample: S) => number;

/** A driver sampled once a period: the fields of its sample feed the readings, in order. */
class Polled<S extends Sampled> implements OpenedSensor {
  constructor(readonly driver: PolledDriver<S>, readonly sample: S, readonly fields: readonly Field<S>[]) {}

  step(sink: SampleSink, nowMs: number): void {
    const sample = this.sample;
    this.driver.sample(sample); // undefined when not ready; the status in `sample` says so either way
    if (sample.valid) for (let i = 0; i < this.fields.length; i++) sink.values[i] = (this.fields[i] as Field<S>)(sample);
    sink.take(sample.status, nowMs);
  }

  configure(_index: number, _value: number): void {}

  get counters(): DriverCounters {
    return this.driver.counters;
  }

  close(): void {
    this.driver.close();
  }
}

function bus(parts: SensorParts): SensorBusOptions {
  if (parts.bus === undefined) throw new RangeError("an I2C sensor needs a bus");
  return parts.bus;
}

const period = (fallback: number, low = 100, high = 3_600_000): SettingSpec => Object.freeze({ key: "periodMs", low, high, fallback, whole: true });

function i2cType(spec: ChipSpec, rest: Omit<SensorType, "addresses" | "maxHz">): SensorType {
  return Object.freeze({ ...rest, addresses: spec.addresses, maxHz: spec.maxHz });
}

const NO_PINS = Object.freeze([]);
const NO_SETTINGS = Object.freeze([]);

const sht3x = i2cType(SHT3X_SPEC, {
  type: "sht3x", pins: NO_PINS, period: period(1000), settings: NO_SETTINGS, readings: Object.freeze(["temperatureC", "humidityRH"]),
  open: (parts) => new Polled<SHT3xSample>(new SHT3x({ sensor: bus(parts) }), new SHT3xSample(),
    [(s) => s.thermometer.temperature, (s) => s.hygrometer.humidity]),
});

const bmp280 = i2cType(BMP280_SPEC, {
  type: "bmp280", pins: NO_PINS, period: period(1000), settings: NO_SETTINGS, readings: Object.freeze(["pressurePa", "temperatureC"]),
  open: (parts) => new Polled<BMP280Sample>(new BMP280({ sensor: bus(parts) }), new BMP280Sample(),
    [(s) => s.barometer.pressure, (s) => s.thermometer.temperature]),
});

/** The TMP117 is sampled on its period; alerts queued from its ALERT pin are drained and delivered too. */
class TMP117Opened implements OpenedSensor {
  readonly driver: TMP117;
  readonly #sample = new TMP117Sample();
  #seenDropped = 0;

  constructor(parts: SensorParts) {
    const alert = parts.pins["alert"];
    this.driver = new TMP117({ sensor: bus(parts), config: { highLimitC: parts.settings[0] ?? 30 },
      ...(alert === undefined ? {} : { alert: { io: parts.device.io.Digital, pin: alert } }) });
  }

  step(sink: SampleSink, nowMs: number): void {
    const sample = this.#sample;
    while (this.driver.nextAlert(sample)) this.#take(sink, nowMs);
    this.driver.sample(sample);
    this.#take(sink, nowMs);
    const lost = this.driver.counters.dropped - this.#seenDropped; // alerts read when the ring was full
    this.#seenDropped += lost;
    if (lost > 0) sink.lose(SampleStatus.dropped, lost);
  }

  #take(sink: SampleSink, nowMs: number): void {
    const sample = this.#sample;
    if (sample.valid) sink.values[0] = sample.temperature;
    sink.take(sample.status, nowMs); // "not ready" too: every attempt is delivered or dropped with a reason
  }

  configure(index: number, value: number): void {
    if (index === 0) this.driver.configure({ highLimitC: value });
  }

  get counters(): DriverCounters {
    return this.driver.counters;
  }

  close(): void {
    this.driver.close();
  }
}

const tmp117 = i2cType(TMP117_SPEC, {
  type: "tmp117", pins: Object.freeze([Object.freeze({ role: "alert", required: false })]), period: period(1000),
  settings: Object.freeze([Object.freeze({ key: "highLimitC", low: -55, high: 150, fallback: 30 })]),
  readings: Object.freeze(["temperatureC"]), open: (parts) => new TMP117Opened(parts),
});

const LIS3DH_RATES = Object.freeze([1, 10, 25, 50, 100, 200, 400]);

/**
 * With INT1 wired, frames arrive by interrupt into the driver's ring and each period drains them; without it, one
 * frame is read each period. Either way the magnitude feeds the reading.
 */
class LIS3DHOpened implements OpenedSensor {
  readonly driver: LIS3DH;
  readonly #sample = new LIS3DHSample();
  readonly #interrupt: boolean;
  /** Driver faults already accounted: a failed interrupt read or a full ring loses a frame the chip produced. */
  readonly #seenFaults = new Uint32Array(SampleStatus.nackOrTimeout + 1);

  constructor(parts: SensorParts) {
    const int1 = parts.pins["int1"];
    this.#interrupt = int1 !== undefined;
    const rateHz = (parts.settings[0] ?? 10) as 10;
    this.driver = new LIS3DH({ sensor: bus(parts), config: { rateHz },
      ...(int1 === undefined ? {} : { dataReady: { io: parts.device.io.Digital, pin: int1 } }) });
  }

  step(sink: SampleSink, nowMs: number): void {
    const sample = this.#sample;
    if (!this.#interrupt) {
      this.driver.sample(sample);
      this.#take(sink, nowMs);
      return;
    }
    while (this.driver.next(sample)) this.#take(sink, nowMs);
    const faults = this.driver.counters.faults;
    for (let status = 1; status < this.#seenFaults.length; status++) {
      const lost = (faults[status] ?? 0) - (this.#seenFaults[status] ?? 0);
      this.#seenFaults[status] = faults[status] ?? 0;
      if (lost > 0) sink.lose(status, lost);
    }
  }

  #take(sink: SampleSink, nowMs: number): void {
    const s = this.#sample;
    if (s.valid) sink.values[0] = Math.sqrt(s.x * s.x + s.y * s.y + s.z * s.z) / STANDARD_GRAVITY;
    sink.take(s.status, nowMs);
  }

  configure(index: number, value: number): void {
    if (index === 0) this.driver.configure({ rateHz: value as 10 });
  }

  get counters(): DriverCounters {
    return this.driver.counters;
  }

  close(): void {
    this.driver.close();
  }
}

const lis3dh = i2cType(LIS3DH_SPEC, {
  type: "lis3dh", pins: Object.freeze([Object.freeze({ role: "int1", required: false })]), period: period(200, 20, 60_000),
  settings: Object.freeze([Object.freeze({ key: "rateHz", low: 1, high: 400, fallback: 10, choices: LIS3DH_RATES })]),
  readings: Object.freeze(["accelerationG"]), open: (parts) => new LIS3DHOpened(parts),
});

/**
 * A button, PIR or any contact on a digital input, debounced: each period the settled state (1 pressed, 0 not) and
 * the presses so far feed the readings; the events queued since the last period are drained.
 */
class ButtonOpened implements OpenedSensor {
  readonly driver: DebouncedButton;
  readonly #sample = new ButtonSample();
  readonly counters = new DriverCounters();
  #seenDropped = 0;

  constructor(parts: SensorParts) {
    const input = parts.pins["input"];
    if (input === undefined) throw new RangeError("a button needs its input pin");
    this.driver = new DebouncedButton({ input: { io: parts.device.io.Digital, pin: input }, timer: parts.timer,
      debounceMs: parts.settings[0] ?? 20, activeLow: parts.settings[1] !== 0 });
  }

  step(sink: SampleSink, nowMs: number): void {
    while (this.driver.nextEvent() !== ButtonEvent.none); // the counts and the state below say what happened
    const lost = this.driver.dropped - this.#seenDropped;
    this.#seenDropped += lost;
    if (lost > 0) sink.lose(SampleStatus.dropped, lost);
    this.driver.sample(this.#sample);
    sink.values[0] = this.#sample.position;
    sink.values[1] = this.driver.presses;
    this.counters.attempts++;
    this.counters.valid++;
    sink.take(SampleStatus.ok, nowMs);
  }

  configure(index: number, value: number): void {
    if (index === 0) this.driver.configure({ debounceMs: value });
  }

  close(): void {
    this.driver.close();
  }
}

const button: SensorType = Object.freeze({
  type: "button", addresses: NO_SETTINGS, maxHz: 0, pins: Object.freeze([Object.freeze({ role: "input", required: true })]),
  period: period(1000, 20),
  settings: Object.freeze([Object.freeze({ key: "debounceMs", low: 1, high: 1000, fallback: 20 }),
    Object.freeze({ key: "activeLow", low: 0, high: 1, fallback: 1, choices: Object.freeze([0, 1]), fixed: true })]),
  readings: Object.freeze(["pressed", "presses"]), open: (parts: SensorParts) => new ButtonOpened(parts),
});

/** The built-in sensor types. */
export const SENSOR_TYPES: readonly SensorType[] = Object.freeze([sht3x, bmp280, tmp117, lis3dh, button]);
