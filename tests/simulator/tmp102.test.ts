import { pico } from "../../boards/index.js";
import { TMP102_POWER_UP, TMP102_REGISTERS as R, TMP102Model } from "../../simulator/devices/tmp102.js";
import { constant } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";

function setup(temperatureC = -25.75) {
  const sim = new Simulation(pico);
  const model = sim.attach(new TMP102Model(sim.clock, sim.pins, { temperatureC: constant(temperatureC) }));
  const bus = new sim.device.io.SMBus({ ...sim.device.I2C.default, address: 0x48 });
  return { sim, model, bus };
}

const signed = (word: number): number => (word << 16) >> 16;

describe("TMP102 model", () => {
  it("powers up as §7.5.3–7.5.4 say: configuration 0x60A0 (AL 1), limits 75 and 80 °C", () => {
    const { bus } = setup();
    assert.equal(bus.readUint16(R.configuration, true), TMP102_POWER_UP);
    assert.equal(signed(bus.readUint16(R.lowLimit, true)) >> 4, 75 / 0.0625);
    assert.equal(signed(bus.readUint16(R.highLimit, true)) >> 4, 80 / 0.0625);
  });

  it("puts a 12-bit result left-justified, and a 13-bit one with bit 0 set in extended mode", () => {
    const { sim, bus } = setup();
    sim.clock.advance(30);
    assert.equal(signed(bus.readUint16(R.temperature, true)) >> 4, -25.75 / 0.0625);
    bus.writeUint16(R.configuration, TMP102_POWER_UP | 0x10, true);
    sim.clock.advance(250);
    const word = bus.readUint16(R.temperature, true);
    assert.equal(word & 1, 1);
    assert.equal(signed(word) >> 3, -25.75 / 0.0625);
  });

  it("keeps its read-only bits and takes a one-byte write as the high byte", () => {
    const { bus } = setup();
    bus.writeUint16(R.configuration, 0x0000, true);
    assert.equal(bus.readUint16(R.configuration, true) & 0x6020, 0x6020, "R1 R0 and AL stay");
    bus.writeUint8(R.configuration, 0x01); // SD only: what a one-byte write does to this register
    assert.equal(bus.readUint16(R.configuration, true) & 0x0100, 0x0100);
  });

  it("converts once for OS in shutdown, reading OS 0 meanwhile and 1 after", () => {
    const { sim, model, bus } = setup();
    bus.writeUint16(R.configuration, TMP102_POWER_UP | 0x0100, true);
    const before = model.conversions;
    sim.clock.advance(1000);
    assert.equal(model.conversions, before);
    bus.writeUint16(R.configuration, TMP102_POWER_UP | 0x8100, true);
    assert.equal(bus.readUint16(R.configuration, true) & 0x8000, 0);
    sim.clock.advance(26);
    assert.equal(bus.readUint16(R.configuration, true) & 0x8000, 0x8000);
    assert.equal(model.conversions, before + 1);
  });
});
