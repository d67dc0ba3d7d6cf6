/**
 * Checks of Moddable's own SHT3x, TMP117 and LIS3DH drivers, and of its AHT10, SHTC3, MPU6050 and TMP102 drivers
 * (describeModdableCatalogue), taken unmodified from the SDK, against the simulator's device models, with the
 * simulator's `timer` and `crc` standing in for Moddable's native ones. Engine-neutral: Node registers them with
 * mocha, the XS host with its runner (tests/node/moddable-drivers.test.ts runs both).
 */
import { pico } from "../../boards/index.js";
import { I2CError } from "../../src/io/index.js";
import { AHT20Model } from "../../simulator/devices/aht20.js";
import { BMP280Model } from "../../simulator/devices/bmp280.js";
import { LIS3DHModel } from "../../simulator/devices/lis3dh.js";
import { MPU6050_REGISTERS, MPU6050Model } from "../../simulator/devices/mpu6050.js";
import { SHT3xModel } from "../../simulator/devices/sht3x.js";
import { SHTC3Model } from "../../simulator/devices/shtc3.js";
import { TMP102_REGISTERS, TMP102Model } from "../../simulator/devices/tmp102.js";
import { TMP117Model } from "../../simulator/devices/tmp117.js";
import { constant, ramp } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "./assert.js";

/** The TMP117's ALERT line: GP16, as the default scenario wires it. */
const ALERT_PIN = 16;

/** The Sensor Class Pattern as Moddable's JavaScript drivers implement it (they have no types of their own). */
export interface ModdableSensor {
  configure(options: Record<string, unknown>): void;
  sample(): unknown;
  close(): void;
}
export type ModdableSensorClass = new (options: Record<string, unknown>) => ModdableSensor;

/** A number at `path` in a sample, or undefined where the driver left it out. */
function field(sample: unknown, ...path: string[]): unknown {
  let at: unknown = sample;
  for (const key of path) at = at !== null && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

function board(temperatureC: number, humidityRH = 40) {
  const sim = new Simulation(pico);
  const sht = sim.attach(new SHT3xModel(sim.clock, { temperatureC: constant(temperatureC), humidityRH: constant(humidityRH) }));
  const tmp = sim.attach(new TMP117Model(sim.clock, sim.pins, { temperatureC: constant(temperatureC), alertPin: ALERT_PIN }));
  const errors: unknown[] = [];
  const onError = (error: unknown): void => void errors.push(error);
  return { sim, sht, tmp, errors, onError, i2c: { ...sim.device.I2C.default, io: sim.device.io.I2C }, smbus: { ...sim.device.I2C.default, io: sim.device.io.SMBus } };
}

function expectNack(body: () => unknown, address: number): void {
  const error = assert.throws(body, I2CError) as I2CError;
  assert.equal(error.code, "nack-address");
  assert.equal(error.address, address);
}

/** Its scale at ±4 g (Adafruit's divisor, 8190 per g) against the datasheet's 2 mg/digit (8000 per g, Table 4). */
const MODDABLE_LIS3DH_SCALE = 8000 / 8190;
const G = 9.80665;

export function describeModdableDrivers(SHT3x: ModdableSensorClass, TMP117: ModdableSensorClass, LIS3DH: ModdableSensorClass): void {
  describe("Moddable's SHT3x driver, unmodified, on the simulated SHT3x", () => {
    it("reads {thermometer: {temperature}, hygrometer: {humidity}} within one raw step of the model", () => {
      const { sim, i2c, onError } = board(24.25, 52.5);
      const sensor = new SHT3x({ sensor: i2c, onError });
      const sample = sensor.sample();
      assert.closeTo(Number(field(sample, "thermometer", "temperature")), 24.25, 175 / 65535);
      assert.closeTo(Number(field(sample, "hygrometer", "humidity")), 52.5, 100 / 65535);
      assert.ok(sim.clock.now >= 150, "its Timer.delay(50) after each command ran on the virtual clock");
      sensor.close();
    });

    it("takes device.I2C.default as it is, as Moddable's own example does: new SHT3x({sensor: device.I2C.default})", () => {
      const { sim } = board(19.5, 45);
      const sensor = new SHT3x({ sensor: sim.device.I2C.default });
      assert.closeTo(Number(field(sensor.sample(), "thermometer", "temperature")), 19.5, 175 / 65535);
      sensor.close();
    });

    it("checks words with the simulator's crc module, and leaves out a value whose CRC fails (as its code does)", () => {
      const { sim, i2c, errors, onError } = board(20);
      const sensor = new SHT3x({ sensor: i2c, onError });
      sim.inject({ kind: "crc-corruption", address: 0x44 }); // flips a bit of each read's last byte: the humidity's CRC
      const sample = sensor.sample();
      assert.closeTo(Number(field(sample, "thermometer", "temperature")), 20, 175 / 65535);
      assert.equal(field(sample, "hygrometer", "humidity"), undefined);
      assert.deepEqual(errors, ["bad checksum"], "the corrupted status word went to onError");
    });

    it("surfaces an injected NACK as the I2C error its sample() throws, and reads again once it ends", () => {
      const { sim, i2c, onError } = board(21);
      const sensor = new SHT3x({ sensor: i2c, onError });
      sim.inject({ kind: "nack-address", address: 0x44, atMs: sim.clock.now, untilMs: sim.clock.now + 10 });
      expectNack(() => sensor.sample(), 0x44);
      sim.clock.advance(10);
      assert.closeTo(Number(field(sensor.sample(), "thermometer", "temperature")), 21, 175 / 65535);
    });
  });

  describe("Moddable's TMP117 driver, unmodified, on the simulated TMP117", () => {
    it("reads {temperature, alert} within the TMP117's 7.8125 m°C of the model", () => {
      const { sim, smbus, onError, errors } = board(23.125);
      const sensor = new TMP117({ sensor: smbus, onError });
      sim.clock.advance(1100); // its constructor resets the chip: the first conversion of the default 1 s cycle
      const sample = sensor.sample();
      assert.closeTo(Number(field(sample, "temperature")), 23.125, 0.0078125);
      assert.equal(field(sample, "alert"), 0);
      assert.deepEqual(errors, []);
      sensor.close();
    });

    it("calls onAlert from the simulated ALERT pin and reports the high alert in sample()", () => {
      const { sim, smbus } = board(35);
      let alerts = 0;
      const alert = { io: sim.device.io.Digital, pin: ALERT_PIN };
      const sensor = new TMP117({ sensor: smbus, alert, onAlert: () => alerts++ });
      // Its "interrupt" sets T/nA (therm mode), where the flags hold while hot instead of clearing when read (§7.4.4).
      sensor.configure({ highTemperature: 30, lowTemperature: 10, conversionRate: 0, thermostatMode: "interrupt" });
      sim.clock.advance(1100);
      assert.ok(alerts >= 1, "the ALERT edge reached onAlert");
      assert.equal(field(sensor.sample(), "alert"), 0b01);
      sensor.close();
    });

    it("takes a one-shot reading in shutdown mode, waiting with the simulator's Timer.delay", () => {
      const { sim, smbus } = board(-12.5);
      const sensor = new TMP117({ sensor: smbus });
      sensor.configure({ shutdownMode: true });
      const before = sim.clock.now;
      assert.closeTo(Number(field(sensor.sample(), "temperature")), -12.5, 0.0078125);
      assert.ok(sim.clock.now - before >= 16, "it waited for the conversion in virtual time");
    });

    it("surfaces an injected NACK as the I2C error its sample() throws", () => {
      const { sim, smbus } = board(22);
      const sensor = new TMP117({ sensor: smbus });
      sim.inject({ kind: "nack-address", address: 0x48, atMs: sim.clock.now, untilMs: sim.clock.now + 5 });
      expectNack(() => sensor.sample(), 0x48);
    });

    it("tells onError about another chip at its address", () => {
      const sim = new Simulation(pico);
      sim.attach(new BMP280Model(sim.clock, { address: 0x48 as 0x76 }));
      const errors: unknown[] = [];
      new TMP117({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus }, onError: (e: unknown) => void errors.push(e) });
      assert.deepEqual(errors, ["unexpected sensor"]);
    });
  });

  describe("Moddable's LIS3DH driver, unmodified, on the simulated LIS3DH", () => {
    function accelerometer() {
      const sim = new Simulation(pico);
      const model = sim.attach(new LIS3DHModel(sim.clock, sim.pins, { xG: constant(0.5), yG: constant(-0.25), zG: constant(1) }));
      return { sim, model, smbus: { ...sim.device.I2C.default, io: sim.device.io.SMBus } };
    }

    it("reads {x, y, z} in m/s² at its ±4 g default, with its own scale (2.3% below the datasheet's)", () => {
      const { sim, smbus } = accelerometer();
      const sensor = new LIS3DH({ sensor: smbus });
      sim.clock.advance(5); // its 400 Hz: a sample every 2.5 ms
      const sample = sensor.sample();
      assert.closeTo(Number(field(sample, "x")), 0.5 * G * MODDABLE_LIS3DH_SCALE, 0.01);
      assert.closeTo(Number(field(sample, "y")), -0.25 * G * MODDABLE_LIS3DH_SCALE, 0.01);
      assert.closeTo(Number(field(sample, "z")), G * MODDABLE_LIS3DH_SCALE, 0.01);
      sensor.close();
    });

    it("surfaces an injected NACK as the I2C error its sample() throws", () => {
      const { sim, smbus } = accelerometer();
      const sensor = new LIS3DH({ sensor: smbus });
      sim.inject({ kind: "nack-address", address: 0x18, atMs: sim.clock.now, untilMs: sim.clock.now + 5 });
      expectNack(() => sensor.sample(), 0x18);
    });

    it("throws \"unexpected sensor\" for another chip at its address", () => {
      const sim = new Simulation(pico);
      sim.attach(new TMP117Model(sim.clock, sim.pins, { address: 0x18 as 0x48 }));
      const error = assert.throws(() => new LIS3DH({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus } }), Error);
      assert.equal((error as Error).message, "unexpected sensor");
    });
  });
}

/** Moddable's drivers of the chips the driver kit added, by the SDK's folder names. */
export interface ModdableCatalogue {
  readonly aht10: ModdableSensorClass;
  readonly shtc3: ModdableSensorClass;
  readonly mpu6050: ModdableSensorClass;
  readonly tmp102: ModdableSensorClass;
}

function bench() {
  const sim = new Simulation(pico);
  return { sim, i2c: { ...sim.device.I2C.default, io: sim.device.io.I2C }, smbus: { ...sim.device.I2C.default, io: sim.device.io.SMBus } };
}

/**
 * Moddable's AHT10, SHTC3, MPU6050 and TMP102 drivers on the new models. Where a driver and the model's datasheet part
 * disagree, the check says what Moddable's driver does there, as found.
 */
export function describeModdableCatalogue(drivers: ModdableCatalogue): void {
  describe("Moddable's AHT10 driver, unmodified, on the simulated AHT20", () => {
    function aht() {
      const b = bench();
      const model = b.sim.attach(new AHT20Model(b.sim.clock, { temperatureC: constant(23.5), humidityRH: constant(48.25), uncalibrated: true }));
      return { ...b, model, sensor: new drivers.aht10({ sensor: b.i2c }) };
    }

    it("initialises it with the AHT10's 0xE1, which the model takes as the AHT20's 0xBE", () => {
      const { model } = aht();
      assert.equal(model.status & 0x08, 0x08, "calibration enabled");
    });

    it("reads the previous measurement: it waits the AHT10's 75 ms, the AHT20 needs 80 (§5.4)", () => {
      const { sensor, model } = aht();
      const first = sensor.sample();
      assert.equal(field(first, "hygrometer", "humidity"), 0, "the first read is the power-up data, busy bit ignored");
      assert.equal(field(first, "thermometer", "temperature"), -50);
      const second = sensor.sample(); // its trigger came while the chip was busy (ignored); the first measurement is done
      assert.closeTo(Number(field(second, "thermometer", "temperature")), 23.5, 0.011);
      assert.closeTo(Number(field(second, "hygrometer", "humidity")), 48.25, 0.011);
      assert.ok(model.ignored >= 1, "a trigger while busy");
    });

    it("does not read the AHT20's CRC (the AHT10 sends none), so a corrupted byte goes unnoticed", () => {
      const { sim, sensor } = aht();
      sensor.sample();
      sim.inject({ kind: "crc-corruption", address: 0x38, atMs: sim.clock.now });
      assert.closeTo(Number(field(sensor.sample(), "thermometer", "temperature")), 23.5, 0.011, "only bit 0 of the 20-bit temperature flipped");
    });

    it("surfaces an injected NACK as the I2C error its sample() throws", () => {
      const { sim, sensor } = aht();
      sim.inject({ kind: "nack-address", address: 0x38, atMs: sim.clock.now, untilMs: sim.clock.now + 5 });
      expectNack(() => sensor.sample(), 0x38);
    });
  });

  describe("Moddable's SHTC3 driver, unmodified, on the simulated SHTC3", () => {
    function shtc3() {
      const b = bench();
      const model = b.sim.attach(new SHTC3Model(b.sim.clock, { temperatureC: constant(27.25), humidityRH: constant(33.5) }));
      const errors: unknown[] = [];
      return { ...b, model, errors, sensor: new drivers.shtc3({ sensor: b.i2c, onError: (e: unknown) => void errors.push(e) }) };
    }

    it("wakes it, measures with clock stretching and puts it back to sleep, within one raw step", () => {
      const { sensor, model, errors } = shtc3();
      assert.ok(model.asleep, "asleep after the constructor (its autoSleep)");
      const sample = sensor.sample();
      assert.closeTo(Number(field(sample, "thermometer", "temperature")), 27.25, 175 / 65536);
      assert.closeTo(Number(field(sample, "hygrometer", "humidity")), 33.5, 100 / 65536);
      assert.ok(model.asleep && model.ignored === 0, "back to sleep, no command lost to sleep");
      assert.deepEqual(errors, []);
    });

    it("measures in low-power mode", () => {
      const { sensor } = shtc3();
      sensor.configure({ lowPower: 1 });
      assert.closeTo(Number(field(sensor.sample(), "thermometer", "temperature")), 27.25, 175 / 65536);
    });

    it("checks both words' CRCs with the simulator's crc module and leaves the values out", () => {
      const { sim, sensor, errors } = shtc3();
      sim.inject({ kind: "crc-corruption", address: 0x70, atMs: sim.clock.now });
      const sample = sensor.sample();
      assert.equal(field(sample, "thermometer", "temperature"), undefined);
      assert.deepEqual(errors, ["bad checksum"]);
    });

    it("tells onError about another chip at its address", () => {
      const b = bench();
      b.sim.attach(new TMP117Model(b.sim.clock, b.sim.pins, { address: 0x70 as 0x48 }));
      const errors: unknown[] = [];
      new drivers.shtc3({ sensor: b.i2c, onError: (e: unknown) => void errors.push(e) });
      assert.deepEqual(errors, ["unexpected sensor"]);
    });
  });

  describe("Moddable's MPU6050 driver, unmodified, on the simulated MPU-6050", () => {
    function mpu(alert = false) {
      const b = bench();
      const model = b.sim.attach(new MPU6050Model(b.sim.clock, b.sim.pins, {
        xG: constant(0.25), yG: constant(-0.5), zG: constant(1), xDps: constant(100), yDps: constant(-40), zDps: constant(7), intPin: 18,
      }));
      let alerts = 0;
      const sensor = new drivers.mpu6050({ sensor: b.smbus, ...(alert ? { alert: { io: b.sim.device.io.Digital, pin: 18 }, onAlert: () => alerts++ } : {}) });
      return { ...b, model, sensor, alerts: () => alerts };
    }

    it("reads {accelerometer, gyroscope} in m/s² and °/s at its ±2 g and ±250 °/s defaults", () => {
      const { sim, sensor } = mpu();
      sim.clock.advance(1);
      const sample = sensor.sample();
      assert.closeTo(Number(field(sample, "accelerometer", "x")), 0.25 * G, G / 16384);
      assert.closeTo(Number(field(sample, "accelerometer", "z")), G, G / 16384);
      assert.closeTo(Number(field(sample, "gyroscope", "x")), 100, 1 / 131);
      assert.closeTo(Number(field(sample, "gyroscope", "y")), -40, 1 / 131);
    });

    it("sets ±16 g whatever range it is given (its `range | 0b11`), and scales the gyroscope by 8 at ±2000 °/s (its \"32,8\")", () => {
      const { sim, sensor, model } = mpu();
      sensor.configure({ range: 1, gyroRange: 3 });
      assert.equal(model.registers[MPU6050_REGISTERS.accelConfig], 3 << 3, "±16 g asked as ±4 g");
      sim.clock.advance(1);
      const sample = sensor.sample();
      assert.closeTo(Number(field(sample, "accelerometer", "z")), G, G / 2048, "consistent with what it set");
      assert.closeTo(Number(field(sample, "gyroscope", "x")), (100 * 16.4) / 8, 0.2, "2.05 × the 100 °/s: 16.4 LSB per °/s read as 8");
    });

    it("calls onAlert from the simulated INT pin's data-ready pulses", () => {
      const { sim, alerts } = mpu(true);
      sim.clock.advance(10);
      assert.ok(alerts() >= 5, `pulses reached onAlert: ${alerts()}`);
    });

    it("surfaces an injected NACK as the I2C error its sample() throws", () => {
      const { sim, sensor } = mpu();
      sim.inject({ kind: "nack-address", address: 0x68, atMs: sim.clock.now, untilMs: sim.clock.now + 5 });
      expectNack(() => sensor.sample(), 0x68);
    });
  });

  describe("Moddable's TMP102 driver, unmodified, on the simulated TMP102", () => {
    function tmp(temperatureC = constant(24.0625), alert = false) {
      const b = bench();
      const model = b.sim.attach(new TMP102Model(b.sim.clock, b.sim.pins, { temperatureC, alertPin: 16 }));
      let alerts = 0;
      const sensor = new drivers.tmp102({ sensor: b.smbus, ...(alert ? { alert: { io: b.sim.device.io.Digital, pin: 16 }, onAlert: () => alerts++ } : {}) });
      return { ...b, model, sensor, alerts: () => alerts };
    }

    it("reads {temperature, alert} in the TMP102's 0.0625 °C steps, and 13-bit results in extended mode", () => {
      const { sim, sensor } = tmp(constant(130.5));
      sim.clock.advance(30);
      assert.equal(field(sensor.sample(), "alert"), true, "above its 80 °C high limit");
      sensor.configure({ extendedRange: true });
      sim.clock.advance(260);
      assert.equal(field(sensor.sample(), "temperature"), 130.5);
    });

    it("calls onAlert from the simulated ALERT pin above its limits", () => {
      const { sim, sensor, alerts } = tmp(ramp(20, 40, 2000), true);
      sensor.configure({ highTemperature: 30, lowTemperature: 25 });
      sim.clock.advance(2000);
      assert.equal(alerts(), 1);
      assert.equal(field(sensor.sample(), "alert"), true);
    });

    it("reads in shutdown mode, but its one-byte write clears SD: the chip converts continuously after", () => {
      const { sim, sensor, model } = tmp(constant(-10.25));
      sensor.configure({ shutdownMode: true });
      // Read on the bus itself, as a second controller would: the driver holds 0x48 open, and an IO opens it once.
      const configuration = (): number => {
        const pointer = Uint8Array.of(TMP102_REGISTERS.configuration);
        const word = new Uint8Array(2);
        sim.bus.writeRead(0x48, pointer, 0, 1, word, 0, 2, 100_000, 25);
        return ((word[0] ?? 0) << 8) | (word[1] ?? 0);
      };
      assert.equal(configuration() & 0x0100, 0x0100, "shut down");
      assert.equal(field(sensor.sample(), "temperature"), -10.25, "its 35 ms wait covered a 26 ms conversion");
      assert.equal(configuration() & 0x0100, 0, "out of shutdown");
      const converted = model.conversions;
      sim.clock.advance(1000);
      assert.ok(model.conversions >= converted + 3, "converting on its own again");
    });

    it("surfaces an injected NACK as the I2C error its sample() throws", () => {
      const { sim, sensor } = tmp();
      sim.inject({ kind: "nack-address", address: 0x48, atMs: sim.clock.now, untilMs: sim.clock.now + 5 });
      expectNack(() => sensor.sample(), 0x48);
    });
  });
}
