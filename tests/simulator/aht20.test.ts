import { pico } from "../../boards/index.js";
import { crc8Sensirion } from "../../simulator/crc8.js";
import { AHT20_MEASURE_MS, AHT20Model } from "../../simulator/devices/aht20.js";
import { constant } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";

function setup(uncalibrated = false) {
  const sim = new Simulation(pico);
  const model = sim.attach(new AHT20Model(sim.clock, { temperatureC: constant(-10), humidityRH: constant(75), uncalibrated }));
  const i2c = new sim.device.io.I2C({ ...sim.device.I2C.default, address: 0x38 });
  const frame = new Uint8Array(7);
  return { sim, model, i2c, frame };
}

describe("AHT20 model", () => {
  it("powers up with status 0x18 and answers a status read (§5.4 step 1)", () => {
    const { i2c, frame } = setup();
    i2c.write(Uint8Array.of(0x71));
    i2c.read(frame.subarray(0, 1));
    assert.equal(frame[0], 0x18);
  });

  it("measures for 80 ms after 0xAC 0x33 0x00, busy meanwhile, then sends the data and its CRC", () => {
    const { sim, model, i2c, frame } = setup();
    i2c.write(Uint8Array.of(0xac, 0x33, 0x00));
    i2c.read(frame);
    assert.equal((frame[0] ?? 0) & 0x80, 0x80, "busy");
    assert.equal(model.measurements, 0);
    sim.clock.advance(AHT20_MEASURE_MS);
    i2c.read(frame);
    assert.equal((frame[0] ?? 0) & 0x80, 0, "done");
    assert.equal(frame[6], crc8Sensirion(frame, 0, 6));
    const rh = (((frame[1] ?? 0) << 12) | ((frame[2] ?? 0) << 4) | ((frame[3] ?? 0) >> 4)) / 2 ** 20 * 100;
    const t = ((((frame[3] ?? 0) & 0x0f) << 16) | ((frame[4] ?? 0) << 8) | (frame[5] ?? 0)) / 2 ** 20 * 200 - 50;
    assert.closeTo(rh, 75, 1e-4);
    assert.closeTo(t, -10, 2e-4);
  });

  it("sets the calibration bit on 0xBE (and on the AHT10's 0xE1, the model's choice), ignoring unknown commands", () => {
    const { i2c, frame, model } = setup(true);
    i2c.read(frame.subarray(0, 1));
    assert.equal((frame[0] ?? 0) & 0x08, 0);
    i2c.write(Uint8Array.of(0xe1, 0x08, 0x00));
    assert.equal(model.status & 0x08, 0x08);
    i2c.write(Uint8Array.of(0x42));
    assert.equal(model.ignored, 1);
  });
});
