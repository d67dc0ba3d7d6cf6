import { esp32, pico } from "../../boards/index.js";
import { I2CError, IOError, type SMBus } from "../../src/io/index.js";
import { TMP117_LSB_C, TMP117_REGISTERS, TMP117Model } from "../../simulator/devices/tmp117.js";
import { loadScenario, ScenarioError } from "../../simulator/scenario.js";
import { constant } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

/** A Pico with a TMP117 at 0x48 on each of its buses, reading 10 °C on the default bus and 30 °C on i2c1. */
function twoBuses() {
  const sim = new Simulation(pico);
  const near = sim.attach(new TMP117Model(sim.clock, sim.pins, { temperatureC: constant(10) }));
  const far = sim.attach(new TMP117Model(sim.clock, sim.pins, { temperatureC: constant(30) }), "i2c1");
  const onDefault = new sim.device.io.SMBus({ ...sim.device.I2C.default, address: 0x48 });
  const onI2c1 = new sim.device.io.SMBus({ ...(sim.device.I2C["i2c1"] ?? sim.device.I2C.default), address: 0x48 });
  sim.clock.advance(16); // the first conversion
  return { sim, near, far, onDefault, onI2c1 };
}

const celsius = (smbus: SMBus): number => ((smbus.readUint16(TMP117_REGISTERS.temperature, true) << 16) >> 16) * TMP117_LSB_C;

describe("simulated I2C buses", () => {
  it("offers every board bus by name with its pins, speed and port, and only the board's named pins", () => {
    const sim = new Simulation(pico);
    assert.deepEqual(Object.keys(sim.device.I2C), ["default", "i2c1"]);
    assert.deepEqual(sim.device.I2C.default, { io: sim.device.io.I2C, data: 4, clock: 5, hz: 400_000, port: 0 });
    assert.deepEqual(sim.device.I2C["i2c1"], { io: sim.device.io.I2C, data: 6, clock: 7, hz: 400_000, port: 1 });
    assert.equal(sim.device.i2c, sim.device.I2C, "ECMA-419's name for the same buses");
    assert.deepEqual(sim.device.pin, { led: 25, button: 15 });
    assert.equal(sim.bus, sim.buses["default"]);
    assert.deepEqual(Object.keys(new Simulation(esp32).device.I2C), ["default"]);
  });

  it("answers two devices of one type at one address each on its own bus", () => {
    const { sim, onDefault, onI2c1 } = twoBuses();
    assert.closeTo(celsius(onDefault), 10, TMP117_LSB_C);
    assert.closeTo(celsius(onI2c1), 30, TMP117_LSB_C);
    assert.equal(sim.bus.counters.transactions, 2);
    assert.equal(sim.buses["i2c1"]?.counters.transactions, 2);
  });

  it("strikes only the bus a fault names: a NACK and a stuck bus on i2c1 leave the default bus answering", () => {
    const { sim, onDefault, onI2c1 } = twoBuses();
    sim.inject({ kind: "nack-address", address: 0x48, bus: "i2c1", atMs: 20, untilMs: 30 });
    sim.inject({ kind: "bus-stuck", bus: "i2c1", atMs: 40, untilMs: 50 });
    sim.clock.advance(25 - sim.clock.now);
    assert.equal((assert.throws(() => celsius(onI2c1), I2CError) as I2CError).code, "nack-address");
    assert.closeTo(celsius(onDefault), 10, TMP117_LSB_C);
    sim.clock.advance(45 - sim.clock.now);
    assert.equal((assert.throws(() => celsius(onI2c1), I2CError) as I2CError).code, "timeout");
    assert.closeTo(celsius(onDefault), 10, TMP117_LSB_C);
    assert.equal(sim.bus.counters.nacks + sim.bus.counters.timeouts, 0);
  });

  it("finds a vanishing device on the bus the fault names", () => {
    const { sim, near, far, onDefault } = twoBuses();
    sim.inject({ kind: "vanish", address: 0x48, bus: "i2c1", atMs: 20 });
    sim.clock.advance(10);
    assert.equal(far.present, false);
    assert.equal(near.present, true);
    assert.closeTo(celsius(onDefault), 10, TMP117_LSB_C);
    assert.throws(() => sim.inject({ kind: "vanish", address: 0x48, bus: "i2c2" }), RangeError, /board pico has no I2C bus "i2c2" \(default, i2c1\)/);
  });

  it("gives pins the board names no bus on a bus of their own, where every address NACKs until a device is placed there", () => {
    const sim = new Simulation(pico);
    sim.attach(new TMP117Model(sim.clock, sim.pins));
    const stray = new sim.device.io.SMBus({ data: 8, clock: 9, hz: 100_000, address: 0x48 });
    assert.equal((assert.throws(() => stray.readUint16(0x0f, true), I2CError) as I2CError).code, "nack-address");
    const bus = sim.busOf({ data: 8, clock: 9 });
    assert.notEqual(bus, sim.bus);
    assert.equal(bus.counters.nacks, 1);
    assert.equal(sim.bus.counters.transactions, 0, "the default bus saw nothing");
    sim.attach(new TMP117Model(sim.clock, sim.pins, { address: 0x49 }), { data: 8, clock: 9 });
    assert.equal(new sim.device.io.SMBus({ data: 8, clock: 9, hz: 100_000, address: 0x49 }).readUint16(0x0f, true), 0x0117);
  });

  it("refuses pins that mix two buses or swap a bus's pins", () => {
    const sim = new Simulation(pico);
    const { I2C } = sim.device.io;
    assert.throws(() => new I2C({ data: 5, clock: 4, hz: 400_000, address: 0x44 }), IOError, /pins data=5 clock=4 overlap bus default \(data=4 clock=5\)/);
    assert.throws(() => new I2C({ data: 4, clock: 7, hz: 400_000, address: 0x44 }), IOError, /overlap bus default/);
    assert.throws(() => new I2C({ data: 9, clock: 9, hz: 400_000, address: 0x44 }), IOError, /both pin 9/);
  });

  it("refuses a port that is not the named bus's, naming both", () => {
    const sim = new Simulation(pico);
    const { I2C } = sim.device.io;
    const i2c1 = sim.device.I2C["i2c1"] ?? sim.device.I2C.default;
    const error = assert.throws(() => new I2C({ ...i2c1, port: 0, address: 0x44 }), IOError, /I2C port 0 does not match bus i2c1, which is port 1/) as IOError;
    assert.equal(error.code, "bad-option");
    new I2C({ ...i2c1, address: 0x44 }).close();
    new I2C({ data: i2c1.data, clock: i2c1.clock, hz: i2c1.hz, address: 0x44 }).close();
  });

  it("reads on one bus with a fault planned on another without allocating", function () {
    const { sim, onI2c1 } = twoBuses();
    sim.inject({ kind: "crc-corruption", address: 0x48, bus: "default", atMs: 0 });
    const into = new Uint8Array(2);
    expectNoAllocation(this, () => {
      onI2c1.readBuffer(TMP117_REGISTERS.temperature, into);
      sim.clock.advance(1);
    }, { iterations: 2000 });
    assert.equal(sim.faults.injected["crc-corruption"], 0);
  });
});

describe("scenario buses", () => {
  it("places devices and faults on a bus by name or by pins", () => {
    const sim = loadScenario({
      devices: [
        { type: "sht3x", bus: "i2c1", address: 69 },
        { type: "bmp280", address: 119 },
        { type: "tmp117", bus: { data: 8, clock: 9 } },
      ],
      faults: [{ kind: "nack-address", bus: "i2c1", address: 69, atMs: 100 }, { kind: "bus-stuck", bus: { data: 8, clock: 9 } }],
    });
    assert.equal(sim.buses["i2c1"]?.device(69)?.present, true);
    assert.equal(sim.bus.device(69), undefined);
    assert.equal(sim.bus.device(119)?.present, true);
    assert.equal(sim.busOf({ data: 8, clock: 9 }).device(0x48)?.present, true);
    assert.deepEqual(sim.faults.all.map((f) => f.bus), [sim.buses["i2c1"]?.id, sim.busOf({ data: 8, clock: 9 }).id]);
  });

  it("refuses a bus the board does not have, naming its JSON path", () => {
    assert.throws(() => loadScenario({ devices: [{ type: "sht3x" }, { type: "sht3x", address: 69, bus: "i2c2" }] }), ScenarioError,
      /^\$\.devices\[1\]\.bus: board pico has no I2C bus "i2c2" \(default, i2c1\)/);
    assert.throws(() => loadScenario({ board: "esp32", devices: [{ type: "bmp280", bus: "i2c1" }] }), ScenarioError, /^\$\.devices\[0\]\.bus: board esp32 has no I2C bus "i2c1"/);
    assert.throws(() => loadScenario({ devices: [{ type: "bmp280", bus: { data: 8 } }] }), ScenarioError, /^\$\.devices\[0\]\.bus\.clock: expected a number/);
    assert.throws(() => loadScenario({ devices: [{ type: "bmp280", bus: { data: 5, clock: 4 } }] }), ScenarioError, /^\$\.devices\[0\]\.bus: I2C pins data=5 clock=4 overlap/);
    assert.throws(() => loadScenario({ faults: [{ kind: "bus-stuck", bus: "side" }] }), ScenarioError, /^\$\.faults\[0\]\.bus: board pico has no I2C bus "side"/);
    assert.throws(() => loadScenario({ faults: [{ kind: "spurious-edge", pin: 15, bus: "i2c1" }] }), ScenarioError, /^\$\.faults\[0\]\.bus: a spurious-edge fault strikes a pin/);
  });

  it("knows the board's named pins only: alert and dataReady are the application's, given by number", () => {
    assert.throws(() => loadScenario({ devices: [{ type: "tmp117", alertPin: "alert" }] }), ScenarioError, /^\$\.devices\[0\]\.alertPin: board pico has no pin named "alert" \(led, button\)/);
    const sim = loadScenario({ devices: [{ type: "tmp117", alertPin: 16 }, { type: "button", pin: "button" }] });
    assert.equal(sim.pins.wired[16], 1);
    assert.equal(sim.pins.wired[15], 1);
  });

  it("carries the gateway's sensors section without reading it", () => {
    const sim = loadScenario({ devices: [{ type: "sht3x" }], sensors: [{ name: "x", type: "anything", colour: "red" }] });
    assert.equal(sim.bus.device(0x44)?.present, true);
  });
});
