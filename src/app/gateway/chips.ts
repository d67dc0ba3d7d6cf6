/** The gateway's sensors over the drivers: what each step samples, and which readings it feeds. */
import { BMP280, BMP280Sample } from "../../drivers/bmp280/bmp280.js";
import { SampleStatus, type DriverCounters } from "../../drivers/common/errors.js";
import type { SensorBusOptions } from "../../drivers/common/sensor.js";
import { LIS3DH, LIS3DHSample } from "../../drivers/lis3dh/lis3dh.js";
import { SHT3x, SHT3xSample } from "../../drivers/sht3x/sht3x.js";
import { TMP117, TMP117Sample } from "../../drivers/tmp117/tmp117.js";
import { STANDARD_GRAVITY } from "../../drivers/common/readings.js";
import type { DigitalConstructor } from "../../io/index.js";
import { GatewaySensor, Reading } from "./sensors.js";

export class SHT3xSensor extends GatewaySensor {
  readonly #driver: SHT3x;
  readonly #sample = new SHT3xSample();
  readonly #temperature: Reading;
  readonly #humidity: Reading;

  constructor(bus: SensorBusOptions, periodMs: number) {
    const temperature = new Reading("temperatureC");
    const humidity = new Reading("humidityRH");
    super("sht3x", [temperature, humidity], periodMs);
    this.#temperature = temperature;
    this.#humidity = humidity;
    this.#driver = new SHT3x({ sensor: { ...bus, address: 0x44 } });
  }

  step(nowMs: number): void {
    const sample = this.#sample;
    this.#driver.sample(sample); // undefined when not ready; the status in `sample` says so either way
    this.account(sample.status);
    if (!sample.valid) return;
    this.deliver(this.#temperature, sample.thermometer.temperature, nowMs);
    this.deliver(this.#humidity, sample.hygrometer.humidity, nowMs);
  }

  get counters(): DriverCounters {
    return this.#driver.counters;
  }

  close(): void {
    this.#driver.close();
  }
}

export class BMP280Sensor extends GatewaySensor {
  readonly #driver: BMP280;
  readonly #sample = new BMP280Sample();
  readonly #pressure: Reading;
  readonly #temperature: Reading;

  constructor(bus: SensorBusOptions, periodMs: number) {
    const pressure = new Reading("pressurePa");
    const temperature = new Reading("temperatureC");
    super("bmp280", [pressure, temperature], periodMs);
    this.#pressure = pressure;
    this.#temperature = temperature;
    this.#driver = new BMP280({ sensor: { ...bus, address: 0x76 } });
  }

  step(nowMs: number): void {
    const sample = this.#sample;
    this.#driver.sample(sample);
    this.account(sample.status);
    if (!sample.valid) return;
    this.deliver(this.#pressure, sample.barometer.pressure, nowMs);
    this.deliver(this.#temperature, sample.thermometer.temperature, nowMs);
  }

  get counters(): DriverCounters {
    return this.#driver.counters;
  }

  close(): void {
    this.#driver.close();
  }
}

/** The TMP117 is sampled on its period; alerts from its ALERT pin are drained and delivered too. */
export class TMP117Sensor extends GatewaySensor {
  readonly #driver: TMP117;
  readonly #sample = new TMP117Sample();
  readonly #temperature: Reading;
  #seenDropped = 0;
  alerts = 0;

  constructor(bus: SensorBusOptions, alert: { io: DigitalConstructor; pin: number }, periodMs: number, highLimitC: number) {
    const temperature = new Reading("temperatureC");
    super("tmp117", [temperature], periodMs);
    this.#temperature = temperature;
    this.#driver = new TMP117({ sensor: { ...bus, address: 0x48 }, alert, config: { highLimitC } });
  }

  set highLimitC(value: number) {
    this.#driver.configure({ highLimitC: value });
  }

  step(nowMs: number): void {
    while (this.#driver.nextAlert(this.#sample)) {
      this.alerts++;
      this.#take(nowMs);
    }
    this.#driver.sample(this.#sample);
    this.#take(nowMs);
    const lost = this.#driver.counters.dropped - this.#seenDropped; // alerts read when the ring was full
    for (let i = 0; i < lost; i++) this.account(SampleStatus.dropped);
    this.#seenDropped += lost;
  }

  #take(nowMs: number): void {
    const sample = this.#sample;
    this.account(sample.status); // "not ready" too: every attempt is delivered or dropped with a reason
    if (sample.valid) this.deliver(this.#temperature, sample.temperature, nowMs);
  }

  get counters(): DriverCounters {
    return this.#driver.counters;
  }

  close(): void {
    this.#driver.close();
  }
}

/** Accelerometer frames arrive by interrupt into the driver's ring; each step drains them into the magnitude window. */
export class LIS3DHSensor extends GatewaySensor {
  readonly #driver: LIS3DH;
  readonly #sample = new LIS3DHSample();
  readonly #magnitude: Reading;
  /** Driver faults already accounted: a failed interrupt read or a full ring loses a frame the chip produced. */
  readonly #seenFaults = new Uint32Array(SampleStatus.dropped + 1);

  constructor(bus: SensorBusOptions, dataReady: { io: DigitalConstructor; pin: number }, periodMs: number) {
    const magnitude = new Reading("accelerationG");
    super("lis3dh", [magnitude], periodMs);
    this.#magnitude = magnitude;
    this.#driver = new LIS3DH({ sensor: { ...bus, address: 0x18 }, dataReady, config: { rateHz: 10 } });
  }

  step(nowMs: number): void {
    const sample = this.#sample;
    while (this.#driver.next(sample)) {
      this.account(sample.status);
      if (sample.valid) this.deliver(this.#magnitude, Math.sqrt(sample.x * sample.x + sample.y * sample.y + sample.z * sample.z) / STANDARD_GRAVITY, nowMs);
    }
    const faults = this.#driver.counters.faults;
    for (let status = 1; status < this.#seenFaults.length; status++) {
      const lost = (faults[status] ?? 0) - (this.#seenFaults[status] ?? 0);
      for (let i = 0; i < lost; i++) this.account(status);
      this.#seenFaults[status] = faults[status] ?? 0;
    }
  }

  get counters(): DriverCounters {
    return this.#driver.counters;
  }

  close(): void {
    this.#driver.close();
  }
}
