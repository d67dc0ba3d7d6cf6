import { pico } from "../../boards/index.js";
import { LIS3DH_REGISTERS, LIS3DH_WHO_AM_I, LIS3DHModel } from "../../simulator/devices/lis3dh.js";
import { constant } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";

/** The LIS3DH's INT1 (data ready): GP17, as the default scenario wires it. */
const DATA_READY_PIN = 17;

function setup() {
  const sim = new Simulation(pico);
  const model = sim.attach(new LIS3DHModel(sim.clock, sim.pins, {
    xG: constant(0.5), yG: constant(-0.25), zG: constant(1), int1Pin: DATA_READY_PIN,
  }));
  const bus = new sim.device.io.SMBus({ ...sim.device.I2C.default, address: 0x18 });
  return { sim, model, bus };
}

function axis(bytes: Uint8Array, index: number): number {
  return ((((bytes[index * 2 + 1] ?? 0) << 8) | (bytes[index * 2] ?? 0)) << 16) >> 16;
}

describe("LIS3DH model", () => {
  it("answers WHO_AM_I", () => {
    assert.equal(setup().bus.readUint8(LIS3DH_REGISTERS.whoAmI), LIS3DH_WHO_AM_I);
  });

  it("samples at the output data rate and raises INT1 on data ready until the data is read", () => {
    const { sim, bus } = setup();
    let ready = 0;
    const int1 = new sim.device.io.Digital({
      pin: DATA_READY_PIN, mode: sim.device.io.Digital.Input, edge: sim.device.io.Digital.Rising, onReadable() { ready++; },
    });
    bus.writeUint8(LIS3DH_REGISTERS.ctrlReg3, 0x10); // I1_ZYXDA
    bus.writeUint8(LIS3DH_REGISTERS.ctrlReg4, 0x08); // ±2 g, high resolution: 1 mg/digit, 12 bits left-justified
    bus.writeUint8(LIS3DH_REGISTERS.ctrlReg1, 0x57); // 100 Hz, XYZ on
    sim.clock.advance(11); // first sample 10 ms after the bus writes that started it
    assert.equal(ready, 1);
    assert.equal(int1.read(), 1);
    const out = new Uint8Array(6);
    bus.readBuffer(LIS3DH_REGISTERS.outXL | 0x80, out);
    assert.equal(int1.read(), 0, "reading the data clears data-ready");
    assert.equal(axis(out, 0) >> 4, 500);
    assert.equal(axis(out, 1) >> 4, -250);
    assert.equal(axis(out, 2) >> 4, 1000);
    int1.close();
  });

  it("fills its FIFO in stream mode, flags the watermark and overrun, and drains in one burst", () => {
    const { sim, bus, model } = setup();
    bus.writeUint8(LIS3DH_REGISTERS.ctrlReg5, 0x40); // FIFO_EN
    bus.writeUint8(LIS3DH_REGISTERS.fifoCtrlReg, (2 << 6) | 15); // stream mode, watermark 15
    bus.writeUint8(LIS3DH_REGISTERS.ctrlReg1, 0x77); // 400 Hz
    sim.clock.advance(40.1); // 16 samples
    assert.equal(model.fifoLevel, 16);
    assert.equal(bus.readUint8(LIS3DH_REGISTERS.fifoSrcReg) & 0x80, 0x80, "watermark");
    sim.clock.advance(50); // past 32
    const source = bus.readUint8(LIS3DH_REGISTERS.fifoSrcReg);
    assert.equal(source & 0x40, 0x40, "overrun");
    const burst = new Uint8Array(6 * 32);
    bus.readBuffer(LIS3DH_REGISTERS.outXL | 0x80, burst);
    assert.equal(model.fifoLevel, 0);
    assert.equal(bus.readUint8(LIS3DH_REGISTERS.fifoSrcReg) & 0x20, 0x20, "empty");
    assert.ok(model.overruns > 0);
  });
});
