import { pico } from "../../boards/index.js";
import { BMP280, DebouncedButton, LIS3DH, SensorOptionError, SHT3x, TMP117 } from "../../src/drivers/index.js";
import { RecordRing } from "../../src/mem/index.js";
import { BMP280Model } from "../../simulator/devices/bmp280.js";
import { LIS3DHModel } from "../../simulator/devices/lis3dh.js";
import { SHT3xModel } from "../../simulator/devices/sht3x.js";
import { TMP117Model } from "../../simulator/devices/tmp117.js";
import { Simulation } from "../../simulator/simulation.js";
import { timerApi } from "../../simulator/timer.js";
import * as assert from "../support/assert.js";

/** The TMP117's ALERT line: GP16, as the default scenario wires it. */
const ALERT_PIN = 16;
/** The LIS3DH's INT1 (data ready): GP17, as the default scenario wires it. */
const DATA_READY_PIN = 17;

/** A board with every chip on it; options are spread over the defaults so one key at a time is wrong. */
function board() {
  const sim = new Simulation(pico);
  sim.attach(new SHT3xModel(sim.clock, {}));
  sim.attach(new BMP280Model(sim.clock, {}));
  sim.attach(new TMP117Model(sim.clock, sim.pins, { alertPin: ALERT_PIN }));
  sim.attach(new LIS3DHModel(sim.clock, sim.pins, { int1Pin: DATA_READY_PIN }));
  const sensor = { ...sim.device.I2C.default, io: sim.device.io.SMBus };
  const alert = { io: sim.device.io.Digital, pin: ALERT_PIN };
  const dataReady = { io: sim.device.io.Digital, pin: DATA_READY_PIN };
  const input = { io: sim.device.io.Digital, pin: pico.pins.button };
  return { sim, sensor, alert, dataReady, input, timer: timerApi(() => sim.clock) };
}
type Board = ReturnType<typeof board>;

/** `[what is wrong, the option path the error must name, make]`: options are typed loosely on purpose (wrong values). */
type Case = readonly [string, string, (b: Board) => unknown];
const loose = <T>(options: Record<string, unknown>): T => options as T;
type SHT = ConstructorParameters<typeof SHT3x>[0];
type TMP = ConstructorParameters<typeof TMP117>[0];
type BMP = ConstructorParameters<typeof BMP280>[0];
type LIS = ConstructorParameters<typeof LIS3DH>[0];
type BTN = ConstructorParameters<typeof DebouncedButton>[0];

const CONSTRUCTORS: readonly Case[] = [
  ["an SHT3x without options", "options", () => new SHT3x(undefined as unknown as SHT)],
  ["a TMP117 without its sensor", "sensor", () => new TMP117(loose<TMP>({}))],
  ["an SHT3x address its ADDR pin cannot select", "sensor.address", (b) => new SHT3x(loose<SHT>({ sensor: { ...b.sensor, address: 0x46 } }))],
  ["an SHT3x clock beyond 1 MHz", "sensor.hz", (b) => new SHT3x(loose<SHT>({ sensor: { ...b.sensor, hz: 2_000_000 } }))],
  ["an SHT3x bus without an io constructor", "sensor.io", (b) => new SHT3x(loose<SHT>({ sensor: { ...b.sensor, io: "SMBus" } }))],
  ["an SHT3x data pin of -1", "sensor.data", (b) => new SHT3x(loose<SHT>({ sensor: { ...b.sensor, data: -1 } }))],
  ["an SHT3x onError that is not a function", "onError", (b) => new SHT3x(loose<SHT>({ sensor: b.sensor, onError: 5 }))],
  ["an SHT3x period of 300 ms", "config.periodMs", (b) => new SHT3x(loose<SHT>({ sensor: b.sensor, config: { periodMs: 300 } }))],
  ["a TMP117 address outside 0x48–0x4B", "sensor.address", (b) => new TMP117(loose<TMP>({ sensor: { ...b.sensor, address: 0x50 } }))],
  ["a TMP117 clock beyond 400 kHz", "sensor.hz", (b) => new TMP117(loose<TMP>({ sensor: { ...b.sensor, hz: 1_000_000 } }))],
  ["a TMP117 alert pin of -1", "alert.pin", (b) => new TMP117(loose<TMP>({ sensor: b.sensor, alert: { ...b.alert, pin: -1 } }))],
  ["a TMP117 alert without io", "alert.io", (b) => new TMP117(loose<TMP>({ sensor: b.sensor, alert: { pin: b.alert.pin } }))],
  ["a TMP117 onAlert that is not a function", "onAlert", (b) => new TMP117(loose<TMP>({ sensor: b.sensor, onAlert: "yes" }))],
  ["a TMP117 ring that is not a RecordRing", "ring", (b) => new TMP117(loose<TMP>({ sensor: b.sensor, ring: {} }))],
  ["a TMP117 ring of 6-byte records", "ring.recordBytes", (b) => new TMP117(loose<TMP>({ sensor: b.sensor, ring: new RecordRing(8, 6) }))],
  ["a LIS3DH ring of 5-byte records", "ring.recordBytes", (b) => new LIS3DH(loose<LIS>({ sensor: b.sensor, ring: new RecordRing(8, 5) }))],
  ["a TMP117 averaging of 7", "config.averaging", (b) => new TMP117(loose<TMP>({ sensor: b.sensor, config: { averaging: 7 } }))],
  ["a BMP280 address its SDO pin cannot select", "sensor.address", (b) => new BMP280(loose<BMP>({ sensor: { ...b.sensor, address: 0x75 } }))],
  ["a BMP280 filter code of 5", "config.filter", (b) => new BMP280(loose<BMP>({ sensor: b.sensor, config: { filter: 5 } }))],
  ["a LIS3DH address its SA0 pin cannot select", "sensor.address", (b) => new LIS3DH(loose<LIS>({ sensor: { ...b.sensor, address: 0x20 } }))],
  ["a LIS3DH data-ready pin that is not a number", "dataReady.pin", (b) => new LIS3DH(loose<LIS>({ sensor: b.sensor, dataReady: { ...b.dataReady, pin: "17" } }))],
  ["a LIS3DH onDataReady that is not a function", "onDataReady", (b) => new LIS3DH(loose<LIS>({ sensor: b.sensor, onDataReady: 1 }))],
  ["a LIS3DH rate of 800 Hz", "config.rateHz", (b) => new LIS3DH(loose<LIS>({ sensor: b.sensor, config: { rateHz: 800 } }))],
  ["a button without an input", "input", (b) => new DebouncedButton(loose<BTN>({ timer: b.timer }))],
  ["a button without the timer module", "timer", (b) => new DebouncedButton(loose<BTN>({ input: b.input, timer: {} }))],
  ["a button debounce of 0 ms", "debounceMs", (b) => new DebouncedButton(loose<BTN>({ input: b.input, timer: b.timer, debounceMs: 0 }))],
  ["a button debounce of 5 s", "debounceMs", (b) => new DebouncedButton(loose<BTN>({ input: b.input, timer: b.timer, debounceMs: 5000 }))],
  ["a button activeLow that is not a boolean", "activeLow", (b) => new DebouncedButton(loose<BTN>({ input: b.input, timer: b.timer, activeLow: "yes" }))],
  ["a button onPress that is not a function", "onPress", (b) => new DebouncedButton(loose<BTN>({ input: b.input, timer: b.timer, onPress: 3 }))],
  ["a button queue that is not a BoundedQueue", "queue", (b) => new DebouncedButton(loose<BTN>({ input: b.input, timer: b.timer, queue: [] }))],
];

/** configure() cases: `[what, option path, driver name, options]`, against a driver made with valid options. */
const CONFIGURES: readonly (readonly [string, string, "SHT3x" | "TMP117" | "BMP280" | "LIS3DH", Record<string, unknown>])[] = [
  ["an SHT3x period of 300 ms", "configure.periodMs", "SHT3x", { periodMs: 300 }],
  ["an SHT3x repeatability it does not have", "configure.repeatability", "SHT3x", { repeatability: "ultra" }],
  ["a TMP117 averaging of 7", "configure.averaging", "TMP117", { averaging: 7 }],
  ["a TMP117 conversion cycle of 99", "configure.conversionCycle", "TMP117", { conversionCycle: 99 }],
  ["a TMP117 conversion cycle of 2.5", "configure.conversionCycle", "TMP117", { conversionCycle: 2.5 }],
  ["a TMP117 high limit beyond 150 °C", "configure.highLimitC", "TMP117", { highLimitC: 200 }],
  ["a TMP117 low limit of NaN", "configure.lowLimitC", "TMP117", { lowLimitC: Number.NaN }],
  ["a TMP117 low limit above the high limit", "configure.lowLimitC", "TMP117", { highLimitC: 20, lowLimitC: 30 }],
  ["a TMP117 mode it does not have", "configure.mode", "TMP117", { mode: "sleep" }],
  ["a TMP117 alert mode it does not have", "configure.alertMode", "TMP117", { alertMode: "comparator" }],
  ["a valid TMP117 limit next to a wrong averaging", "configure.averaging", "TMP117", { highLimitC: 30, averaging: 7 }],
  ["a BMP280 temperature oversampling of 3", "configure.temperatureOversampling", "BMP280", { temperatureOversampling: 3 }],
  ["a BMP280 pressure oversampling of 32", "configure.pressureOversampling", "BMP280", { pressureOversampling: 32 }],
  ["a BMP280 mode it does not have", "configure.mode", "BMP280", { mode: "sleep" }],
  ["a BMP280 standby of 100 ms", "configure.standbyMs", "BMP280", { standbyMs: 100 }],
  ["a BMP280 filter code of 1.5", "configure.filter", "BMP280", { filter: 1.5 }],
  ["a LIS3DH rate of 800 Hz", "configure.rateHz", "LIS3DH", { rateHz: 800 }],
  ["a LIS3DH range of 3 g", "configure.rangeG", "LIS3DH", { rangeG: 3 }],
  ["a LIS3DH FIFO watermark of 0", "configure.fifoWatermark", "LIS3DH", { fifoWatermark: 0 }],
  ["a LIS3DH FIFO watermark of 32", "configure.fifoWatermark", "LIS3DH", { fifoWatermark: 32 }],
];

function expectRefusal(run: () => unknown, option: string, transactions: () => number): SensorOptionError {
  const before = transactions();
  const error = assert.throws(run, SensorOptionError) as SensorOptionError;
  assert.equal(error.code, "bad-option");
  assert.equal(error.option, option);
  assert.ok(error.message.includes(`${option} = `), `the message names the option: ${error.message}`);
  assert.ok(/\(allowed: .+\)$/.test(error.message), `the message says what is allowed: ${error.message}`);
  assert.equal(transactions(), before, "nothing reached the bus");
  return error;
}

describe("driver options", () => {
  for (const [what, option, make] of CONSTRUCTORS) {
    it(`a constructor refuses ${what}, naming ${option}`, () => {
      const b = board();
      expectRefusal(() => make(b), option, () => b.sim.bus.counters.transactions);
    });
  }

  for (const [what, option, chip, options] of CONFIGURES) {
    it(`configure() refuses ${what}, naming ${option}, and writes nothing`, () => {
      const b = board();
      const driver = chip === "SHT3x" ? new SHT3x({ sensor: b.sensor }) : chip === "TMP117" ? new TMP117({ sensor: b.sensor })
        : chip === "BMP280" ? new BMP280({ sensor: b.sensor }) : new LIS3DH({ sensor: b.sensor });
      expectRefusal(() => driver.configure(options), option, () => b.sim.bus.counters.transactions);
    });
  }

  it("ignores options it does not recognise, as ECMA-419 §8 says, lists them in ignoredOptions and keeps target", () => {
    const b = board();
    const target = { owner: "app" };
    const sht = new SHT3x(loose<SHT>({ sensor: b.sensor, alert: b.alert, target, colour: "red" }));
    assert.equal(sht.target, target);
    assert.deepEqual(sht.ignoredOptions, ["alert", "colour"]);
    const before = b.sim.bus.counters.transactions;
    sht.configure(loose({ periodMS: 1000 }));
    assert.equal(b.sim.bus.counters.transactions, before, "an ignored option writes nothing");
    sht.configure(loose({ periodMS: 1000 }));
    assert.deepEqual(sht.ignoredOptions, ["alert", "colour", "configure.periodMS"], "each listed once");
    const tmp = new TMP117(loose<TMP>({ sensor: b.sensor, config: { highTemperature: 30 } }));
    tmp.configure(loose({ highTemperature: 30 }));
    assert.deepEqual(tmp.ignoredOptions, ["config.highTemperature", "configure.highTemperature"]);
    const button = new DebouncedButton(loose<BTN>({ input: b.input, timer: b.timer, target, pullUp: true }));
    assert.equal(button.target, target);
    assert.deepEqual(button.ignoredOptions, ["pullUp"]);
  });

  it("still checks the options it recognises beside ones it ignores", () => {
    const b = board();
    const sht = new SHT3x({ sensor: b.sensor });
    expectRefusal(() => sht.configure(loose({ periodMS: 1000, repeatability: "ultra" })), "configure.repeatability", () => b.sim.bus.counters.transactions);
    expectRefusal(() => new SHT3x(loose<SHT>({ sensor: b.sensor, target: 1, timer: {} })), "timer", () => b.sim.bus.counters.transactions);
  });

  it("names the value given and the values allowed", () => {
    const b = board();
    const tmp = new TMP117({ sensor: b.sensor });
    const error = expectRefusal(() => tmp.configure(loose({ averaging: 7 })), "configure.averaging", () => b.sim.bus.counters.transactions);
    assert.equal(error.value, 7);
    assert.equal(error.allowed, "0, 8, 32, 64");
    assert.equal(error.message, "TMP117: configure.averaging = 7 is not allowed (allowed: 0, 8, 32, 64)");
  });

  it("accepts every value the datasheets allow", () => {
    const b = board();
    const sht = new SHT3x({ sensor: { ...b.sensor, hz: 1_000_000 } });
    for (const periodMs of [2000, 1000, 500, 250, 100, undefined] as const) sht.configure({ periodMs });
    for (const repeatability of ["high", "medium", "low"] as const) sht.configure({ repeatability });
    const tmp = new TMP117({ sensor: b.sensor });
    for (const averaging of [0, 8, 32, 64] as const) tmp.configure({ averaging });
    for (let conversionCycle = 0; conversionCycle <= 7; conversionCycle++) tmp.configure({ conversionCycle });
    tmp.configure({ highLimitC: 150, lowLimitC: -55, mode: "continuous", alertMode: "therm" });
    const bmp = new BMP280({ sensor: { ...b.sensor, address: 0x76 } });
    for (const o of [0, 1, 2, 4, 8, 16] as const) bmp.configure({ temperatureOversampling: o, pressureOversampling: o });
    for (const standbyMs of [0.5, 62.5, 125, 250, 500, 1000, 2000, 4000] as const) bmp.configure({ standbyMs });
    for (const filter of [0, 1, 2, 3, 4] as const) bmp.configure({ filter, mode: "forced" });
    const lis = new LIS3DH({ sensor: b.sensor });
    for (const rateHz of [1, 10, 25, 50, 100, 200, 400] as const) lis.configure({ rateHz });
    for (const rangeG of [2, 4, 8, 16] as const) lis.configure({ rangeG });
    for (const fifoWatermark of [1, 31, undefined]) lis.configure({ fifoWatermark });
    for (const closeable of [sht, tmp, bmp, lis]) closeable.close();
  });
});
