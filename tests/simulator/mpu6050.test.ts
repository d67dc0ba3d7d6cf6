import { pico } from "../../boards/index.js";
import { MPU6050_REGISTERS as R, MPU6050_WHO_AM_I, MPU6050Model } from "../../simulator/devices/mpu6050.js";
import { constant } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";

const INT_PIN = 18;

function setup() {
  const sim = new Simulation(pico);
  const model = sim.attach(new MPU6050Model(sim.clock, sim.pins, { zG: constant(1), temperatureC: constant(36.53), intPin: INT_PIN }));
  const bus = new sim.device.io.SMBus({ ...sim.device.I2C.default, address: 0x68 });
  return { sim, model, bus };
}

const signed = (word: number): number => (word << 16) >> 16;

describe("MPU6050 model", () => {
  it("answers WHO_AM_I 0x68 and sleeps until PWR_MGMT_1's SLEEP bit is cleared (§4.28)", () => {
    const { sim, model, bus } = setup();
    assert.equal(bus.readUint8(R.whoAmI), MPU6050_WHO_AM_I);
    assert.equal(bus.readUint8(R.pwrMgmt1), 0x40);
    sim.clock.advance(100);
    assert.equal(model.samples, 0);
    bus.writeUint8(R.pwrMgmt1, 0x01);
    sim.clock.advance(100);
    assert.equal(model.samples, 800, "8 kHz with the DLPF off and SMPLRT_DIV 0");
    bus.writeUint8(R.config, 1);
    bus.writeUint8(R.smplrtDiv, 9);
    const before = model.samples;
    sim.clock.advance(100);
    assert.equal(model.samples - before, 10, "1 kHz / (1 + 9)");
  });

  it("puts the outputs big-endian in the registers, the temperature between them (§4.17–4.19)", () => {
    const { sim, bus } = setup();
    bus.writeUint8(R.pwrMgmt1, 0x01);
    bus.writeUint8(R.accelConfig, 1 << 3);
    sim.clock.advance(1);
    assert.equal(signed(bus.readUint16(R.accelXoutH + 4, true)), 8192, "1 g at ±4 g");
    assert.equal(signed(bus.readUint16(R.accelXoutH + 6, true)), 0, "36.53 °C reads 0");
  });

  it("raises a latched, active-low INT on data ready until a read clears it", () => {
    const { sim, bus } = setup();
    bus.writeUint8(R.pwrMgmt1, 0x01);
    bus.writeUint8(R.intPinCfg, 0xf0);
    bus.writeUint8(R.intEnable, 0x01);
    sim.clock.advance(1);
    assert.equal(sim.pins.level(INT_PIN), 0, "asserted, active low");
    bus.readUint8(R.accelXoutH);
    assert.equal(sim.pins.level(INT_PIN), 1, "INT_RD_CLEAR: any read clears it");
  });

  it("fills its 1024-byte FIFO in frames and flags an overflow", () => {
    const { sim, model, bus } = setup();
    bus.writeUint8(R.pwrMgmt1, 0x01);
    bus.writeUint8(R.fifoEn, 0x08);
    bus.writeUint8(R.userCtrl, 0x40);
    sim.clock.advance(1);
    assert.equal(bus.readUint16(R.fifoCountH, true), 8 * 6);
    const frame = new Uint8Array(6);
    bus.readBuffer(R.fifoRW, frame);
    assert.equal(signed(((frame[4] ?? 0) << 8) | (frame[5] ?? 0)), 16384, "Z: 1 g at ±2 g");
    sim.clock.advance(50);
    assert.equal(model.fifoLevel, 1024);
    assert.equal(bus.readUint8(R.intStatus) & 0x10, 0x10, "FIFO_OFLOW_INT");
  });
});
