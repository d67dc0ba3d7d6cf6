import { I2CError } from "../../src/io/index.js";
import { AHT20Model } from "../../simulator/devices/aht20.js";
import { MPU6050Model } from "../../simulator/devices/mpu6050.js";
import { RegisterDevice } from "../../simulator/devices/register-device.js";
import { SHTC3Model } from "../../simulator/devices/shtc3.js";
import { TMP102Model } from "../../simulator/devices/tmp102.js";
import { DEVICE_TYPES, deviceModels, loadScenario, ScenarioError, type DeviceModel } from "../../simulator/scenario.js";
import { FaultableSignal } from "../../simulator/signals.js";
import * as assert from "../support/assert.js";
import { catalogueScenario } from "./catalogue.scenario.js";

/** A user's own model: a one-register thermometer at 0x5A with a WHO_AM_I of 0xA5. */
class Thermometer5A extends RegisterDevice {
  readonly temperatureC: FaultableSignal;
  constructor(readonly now: () => number, temperatureC: FaultableSignal, address: number) {
    super(address);
    this.temperatureC = temperatureC;
    this.registers[0x0f] = 0xa5;
  }
  protected override readRegister(register: number): number {
    return register === 0 ? Math.round(this.temperatureC.valueAt(this.now())) & 0xff : super.readRegister(register);
  }
}

const therm5a: DeviceModel = {
  type: "therm5a", keys: ["bus", "address", "temperatureC"],
  create: (d) => void d.attach(new Thermometer5A(() => d.sim.clock.now, new FaultableSignal(d.signal("temperatureC", 20)), d.address(0x5a))),
};

const refusal = (run: () => unknown): string => (assert.throws(run, ScenarioError) as ScenarioError).message;

describe("scenario device models", () => {
  it("places each new chip by its type name, with its signals and pins", () => {
    const sim = loadScenario(catalogueScenario);
    assert.ok(sim.bus.device(0x38) instanceof AHT20Model);
    assert.ok(sim.bus.device(0x70) instanceof SHTC3Model);
    assert.ok(sim.bus.device(0x68) instanceof MPU6050Model);
    const tmp = sim.bus.device(0x49);
    assert.ok(tmp instanceof TMP102Model);
    assert.equal(tmp.alertPin, 16);
    assert.ok(["aht20", "shtc3", "mpu6050", "tmp102"].every((type) => DEVICE_TYPES.includes(type)));
  });

  it("refuses a key a model does not take, and a fixed address given otherwise, naming the path", () => {
    assert.ok(refusal(() => loadScenario({ devices: [{ type: "aht20", pressurePa: 1 }] })).startsWith("$.devices[0].pressurePa: unknown key"));
    assert.ok(refusal(() => loadScenario({ devices: [{ type: "shtc3", address: 0x71 }] })).startsWith("$.devices[0].address: an SHTC3 answers at 0x70 only"));
    assert.ok(refusal(() => loadScenario({ devices: [{ type: "mpu6050", intPin: 99 }] })).startsWith("$.devices[0].intPin: expected a whole number"));
    assert.ok(refusal(() => loadScenario({ devices: [{ type: "shtc3", asleep: "yes" }] })).startsWith("$.devices[0].asleep: expected true or false"));
  });

  it("takes a user's own model by its type name, passed in with deviceModels()", () => {
    const models = deviceModels(therm5a);
    const sim = loadScenario({ devices: [{ type: "therm5a", temperatureC: 37 }], faults: [{ kind: "out-of-range", address: 0x5a, value: 99 }] }, "pico", models);
    const bus = new sim.device.io.SMBus({ ...sim.device.I2C.default, address: 0x5a });
    assert.equal(bus.readUint8(0x0f), 0xa5);
    sim.clock.advance(1);
    assert.equal(bus.readUint8(0), 99, "the out-of-range fault found its FaultableSignal");
    sim.inject({ kind: "nack-address", address: 0x5a, atMs: sim.clock.now, untilMs: sim.clock.now + 1 });
    assert.throws(() => bus.readUint8(0), I2CError, /no device answered/);
  });

  it("names a user's types among the known ones, and refuses them where they were not passed in", () => {
    const message = refusal(() => loadScenario({ devices: [{ type: "therm5b" }] }, "pico", deviceModels(therm5a)));
    assert.ok(message.includes("therm5a") && message.includes("sht3x"), message);
    assert.ok(refusal(() => loadScenario({ devices: [{ type: "therm5a" }] })).startsWith("$.devices[0].type: expected one of"));
  });

  it("refuses a user's model whose type name is taken or that is not a model", () => {
    assert.throws(() => deviceModels({ ...therm5a, type: "tmp102" }), RangeError, /"tmp102" is taken/);
    assert.throws(() => deviceModels(deviceModels(therm5a)[0] as DeviceModel, therm5a), RangeError);
    assert.throws(() => deviceModels({ type: "x" } as unknown as DeviceModel), TypeError);
  });
});
