/**
 * The sensor types the gateway knows: each a table of its bus, pins, period, settings and readings, and which
 * fields of its driver's sample feed which reading (the shapes are in opened.ts). SENSOR_TYPES lists them; a firmware
 * adds its own beside them (docs/drivers.md).
 */
import { AHT20, AHT20Sample, AHT20_SPEC } from "../../drivers/aht20/aht20.js";
import { BMP280, BMP280Sample, BMP280_SPEC } from "../../drivers/bmp280/bmp280.js";
import { ButtonEvent, ButtonSample, DebouncedButton } from "../../drivers/button/button.js";
import { DriverCounters, SampleStatus } from "../../drivers/common/errors.js";
import { STANDARD_GRAVITY } from "../../drivers/common/readings.js";
import type { ChipSpec, SensorBusOptions } from "../../drivers/common/sensor.js";
import { LIS3DH, LIS3DHSample, LIS3DH_SPEC } from "../../drivers/lis3dh/lis3dh.js";
import { MPU6050, MPU6050Sample, MPU6050_SPEC } from "../../drivers/mpu6050/mpu6050.js";
import { SHT3x, SHT3xSample, SHT3X_SPEC } from "../../drivers/sht3x/sht3x.js";
import { SHTC3, SHTC3Sample, SHTC3_SPEC } from "../../drivers/shtc3/shtc3.js";
import { TMP102, TMP102Sample, TMP102_SPEC } from "../../drivers/tmp102/tmp102.js";
import { TMP117, TMP117Sample, TMP117_SPEC } from "../../drivers/tmp117/tmp117.js";
import { Alerting, Framed, Polled, Triggered } from "./opened.js";
import type { OpenedSensor, PinRole, SampleSink, SensorParts, SensorType, SettingSpec } from "./sensor-type.js";

/** The bus a type on one needs (the declaration gives every I2C type one). */
export function sensorBus(parts: SensorParts): SensorBusOptions {
  if (parts.bus === undefined) throw new RangeError("an I2C sensor needs a bus");
  return parts.bus;
}

/** How often a type is sampled: whole ms, `fallback` by default, within [low, high]. */
export const period = (fallback: number, low = 100, high = 3_600_000): SettingSpec => Object.freeze({ key: "periodMs", low, high, fallback, whole: true });

/** A type on an I2C bus: its addresses and speed from the driver's ChipSpec. */
export function i2cType(spec: ChipSpec, rest: Omit<SensorType, "addresses" | "maxHz">): SensorType {
  return Object.freeze({ ...rest, addresses: spec.addresses, maxHz: spec.maxHz });
}

const NO_PINS = Object.freeze([]);
const NO_SETTINGS = Object.freeze([]);
const optionalPin = (role: string): readonly PinRole[] => Object.freeze([Object.freeze({ role, required: false })]);
const readings = (...names: string[]): readonly string[] => Object.freeze(names);
/** A line by role, as a driver option takes it, or nothing when the declaration leaves the pin out. */
const line = (parts: SensorParts, role: string): { io: SensorParts["device"]["io"]["Digital"]; pin: number } | undefined => {
  const pin = parts.pins[role];
  return pin === undefined ? undefined : { io: parts.device.io.Digital, pin };
};

const sht3x = i2cType(SHT3X_SPEC, {
  type: "sht3x", pins: NO_PINS, period: period(1000), settings: NO_SETTINGS, readings: readings("temperatureC", "humidityRH"),
  open: (parts) => new Polled<SHT3xSample>(new SHT3x({ sensor: sensorBus(parts) }), new SHT3xSample(),
    [(s) => s.thermometer.temperature, (s) => s.hygrometer.humidity]),
});

/** Polled, asleep between measurements (0.3 µA), each read when done by the gateway's timer, not by stretching the clock. */
const shtc3 = i2cType(SHTC3_SPEC, {
  type: "shtc3", pins: NO_PINS, period: period(1000), readings: readings("temperatureC", "humidityRH"),
  settings: Object.freeze([Object.freeze({ key: "lowPower", low: 0, high: 1, fallback: 0, choices: Object.freeze([0, 1]) })]),
  open: (parts) => new Triggered<SHTC3Sample, SHTC3>(
    new SHTC3({ sensor: sensorBus(parts), timer: parts.timer, config: { sleep: true, clockStretching: false, lowPower: parts.settings[0] === 1 } }),
    new SHTC3Sample(), [(s) => s.thermometer.temperature, (s) => s.hygrometer.humidity], parts.timer,
    (driver, index, value) => index === 0 && driver.configure({ lowPower: value === 1 })),
});

/** 80 ms per measurement (§5.4), read when done by the gateway's timer. */
const aht20 = i2cType(AHT20_SPEC, {
  type: "aht20", pins: NO_PINS, period: period(1000), settings: NO_SETTINGS, readings: readings("temperatureC", "humidityRH"),
  open: (parts) => new Triggered<AHT20Sample>(new AHT20({ sensor: sensorBus(parts) }), new AHT20Sample(),
    [(s) => s.thermometer.temperature, (s) => s.hygrometer.humidity], parts.timer),
});

const bmp280 = i2cType(BMP280_SPEC, {
  type: "bmp280", pins: NO_PINS, period: period(1000), settings: NO_SETTINGS, readings: readings("pressurePa", "temperatureC"),
  open: (parts) => new Polled<BMP280Sample>(new BMP280({ sensor: sensorBus(parts) }), new BMP280Sample(),
    [(s) => s.barometer.pressure, (s) => s.thermometer.temperature]),
});

const highLimit = (high: number): readonly SettingSpec[] => Object.freeze([Object.freeze({ key: "highLimitC", low: -55, high, fallback: 30 })]);

/** Sampled on its period; alerts queued from its ALERT pin are drained and delivered too. */
const tmp117 = i2cType(TMP117_SPEC, {
  type: "tmp117", pins: optionalPin("alert"), period: period(1000), settings: highLimit(150), readings: readings("temperatureC"),
  open: (parts) => {
    const alert = line(parts, "alert");
    return new Alerting<TMP117Sample, TMP117>(new TMP117({ sensor: sensorBus(parts), config: { highLimitC: parts.settings[0] ?? 30 },
      ...(alert === undefined ? {} : { alert }) }), new TMP117Sample(), [(s) => s.temperature],
      (driver, index, value) => index === 0 && driver.configure({ highLimitC: value }));
  },
});

/** The TMP102's comparator releases ALERT this far below the high limit. */
const HYSTERESIS_C = 2;
const tmp102Limits = (highLimitC: number): { highLimitC: number; lowLimitC: number } => ({ highLimitC, lowLimitC: Math.max(-55, highLimitC - HYSTERESIS_C) });

/** As the TMP117; its 12-bit format (not extended) ends at 127.9375 °C, so the limit does too. */
const tmp102 = i2cType(TMP102_SPEC, {
  type: "tmp102", pins: optionalPin("alert"), period: period(1000), settings: highLimit(127.9375), readings: readings("temperatureC"),
  open: (parts) => {
    const alert = line(parts, "alert");
    return new Alerting<TMP102Sample, TMP102>(new TMP102({ sensor: sensorBus(parts), config: tmp102Limits(parts.settings[0] ?? 30),
      ...(alert === undefined ? {} : { alert }) }), new TMP102Sample(), [(s) => s.temperature],
      (driver, index, value) => index === 0 && driver.configure(tmp102Limits(value)));
  },
});

const magnitude = (x: number, y: number, z: number): number => Math.sqrt(x * x + y * y + z * z);

/** With INT1 wired, frames arrive by interrupt and each period drains them; without, one frame a period. */
const lis3dh = i2cType(LIS3DH_SPEC, {
  type: "lis3dh", pins: optionalPin("int1"), period: period(200, 20, 60_000), readings: readings("accelerationG"),
  settings: Object.freeze([Object.freeze({ key: "rateHz", low: 1, high: 400, fallback: 10, choices: Object.freeze([1, 10, 25, 50, 100, 200, 400]) })]),
  open: (parts) => {
    const dataReady = line(parts, "int1");
    return new Framed<LIS3DHSample, LIS3DH>(new LIS3DH({ sensor: sensorBus(parts), config: { rateHz: (parts.settings[0] ?? 10) as 10 },
      ...(dataReady === undefined ? {} : { dataReady }) }), new LIS3DHSample(),
    [(s) => magnitude(s.x, s.y, s.z) / STANDARD_GRAVITY], dataReady !== undefined,
    (driver, index, value) => index === 0 && driver.configure({ rateHz: value as 10 }));
  },
});

const MPU6050_RATES = Object.freeze([4, 5, 8, 10, 20, 25, 40, 50, 100, 125, 200, 250, 500, 1000]);

/** As the LIS3DH, INT (active low) for data ready; the magnitudes of acceleration and rotation, and the die's temperature. */
const mpu6050 = i2cType(MPU6050_SPEC, {
  type: "mpu6050", pins: optionalPin("int"), period: period(200, 20, 60_000), readings: readings("accelerationG", "rotationDps", "temperatureC"),
  settings: Object.freeze([Object.freeze({ key: "rateHz", low: 4, high: 1000, fallback: 10, choices: MPU6050_RATES })]),
  open: (parts) => {
    const dataReady = line(parts, "int");
    return new Framed<MPU6050Sample, MPU6050>(new MPU6050({ sensor: sensorBus(parts), config: { rateHz: (parts.settings[0] ?? 10) as 10 },
      ...(dataReady === undefined ? {} : { dataReady }) }), new MPU6050Sample(),
    [(s) => magnitude(s.accelerometer.x, s.accelerometer.y, s.accelerometer.z) / STANDARD_GRAVITY,
      (s) => magnitude(s.gyroscope.x, s.gyroscope.y, s.gyroscope.z), (s) => s.thermometer.temperature], dataReady !== undefined,
    (driver, index, value) => index === 0 && driver.configure({ rateHz: value as 10 }));
  },
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
  readings: readings("pressed", "presses"), open: (parts: SensorParts) => new ButtonOpened(parts),
});

/** The built-in sensor types. */
export const SENSOR_TYPES: readonly SensorType[] = Object.freeze([sht3x, shtc3, aht20, bmp280, tmp117, tmp102, lis3dh, mpu6050, button]);
