/**
 * Checks of Moddable's own SHT3x, TMP117 and LIS3DH drivers (taken unmodified from the SDK) against the simulator's device
 * models, with the simulator's `timer` and `crc` standing in for Moddable's native ones. Engine-neutral: Node registers
 * them with mocha, the XS host with its runner (tests/node/moddable-drivers.test.ts runs both).
 */
import { pico } from "../../boards/index.js";
import { I2CError } from "../../src/io/index.js";
import { BMP280Model } from "../../simulator/devices/bmp280.js";
import { LIS3DHModel } from "../../simulator/devices/lis3dh.js";
import { SHT3xModel } from "../../simulator/devices/sht3x.js";
import { TMP117Model } from "../../simulator/devices/tmp117.js";
import { constant } from "../../simulator/signals.js";
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
