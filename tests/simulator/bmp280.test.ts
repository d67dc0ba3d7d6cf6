import { pico } from "../../boards/index.js";
import {
  BMP280_CHIP_ID, BMP280_EXAMPLE_CALIBRATION, BMP280_REGISTERS, BMP280Model, bmp280Pressure, bmp280TFine,
} from "../../simulator/devices/bmp280.js";
import { constant } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";

function adc(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 12) | ((bytes[at + 1] ?? 0) << 4) | ((bytes[at + 2] ?? 0) >> 4);
}

describe("BMP280 model", () => {
  it("decodes the datasheet's example: adc_T 519888 → 25.08 °C, adc_P 415148 → 100653.27 Pa", () => {
    const tFine = bmp280TFine(519888, BMP280_EXAMPLE_CALIBRATION);
    assert.closeTo(tFine / 5120, 25.08, 0.005);
    assert.closeTo(bmp280Pressure(415148, tFine, BMP280_EXAMPLE_CALIBRATION), 100653.27, 0.5);
  });

  it("answers its chip ID and calibration registers", () => {
    const sim = new Simulation(pico);
    sim.attach(new BMP280Model(sim.clock));
    const bus = new sim.device.io.SMBus({ ...sim.device.I2C.default, address: 0x76 });
    assert.equal(bus.readUint8(BMP280_REGISTERS.id), BMP280_CHIP_ID);
    assert.equal(bus.readUint16(BMP280_REGISTERS.calib00), 27504);
    assert.equal(bus.readUint16(BMP280_REGISTERS.calib00 + 2), 26435);
  });

  it("produces raw values that decode to the set pressure and temperature after a forced measurement", () => {
    const sim = new Simulation(pico);
    sim.attach(new BMP280Model(sim.clock, { temperatureC: constant(18.4), pressurePa: constant(98765) }));
    const bus = new sim.device.io.SMBus({ ...sim.device.I2C.default, address: 0x76 });
    bus.writeUint8(BMP280_REGISTERS.ctrlMeas, (1 << 5) | (1 << 2) | 1); // ×1 oversampling, forced mode
    assert.equal(bus.readUint8(BMP280_REGISTERS.status) & 0x08, 0x08, "measuring");
    sim.clock.advance(10);
    assert.equal(bus.readUint8(BMP280_REGISTERS.status) & 0x08, 0, "done");
    assert.equal(bus.readUint8(BMP280_REGISTERS.ctrlMeas) & 3, 0, "back to sleep");
    const raw = new Uint8Array(6);
    bus.readBuffer(BMP280_REGISTERS.pressMsb, raw);
    const tFine = bmp280TFine(adc(raw, 3), BMP280_EXAMPLE_CALIBRATION);
    assert.closeTo(tFine / 5120, 18.4, 0.01);
    assert.closeTo(bmp280Pressure(adc(raw, 0), tFine, BMP280_EXAMPLE_CALIBRATION), 98765, 2);
  });

  it("resets on 0xB6 to register E0", () => {
    const sim = new Simulation(pico);
    sim.attach(new BMP280Model(sim.clock));
    const bus = new sim.device.io.SMBus({ ...sim.device.I2C.default, address: 0x76 });
    bus.writeUint8(BMP280_REGISTERS.config, 0x10);
    bus.writeUint8(BMP280_REGISTERS.reset, 0xb6);
    assert.equal(bus.readUint8(BMP280_REGISTERS.config), 0);
  });
});
