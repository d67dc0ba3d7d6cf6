import { pico } from "../../boards/index.js";
import { I2CError } from "../../src/io/index.js";
import { crc8Sensirion } from "../../simulator/crc8.js";
import { SHTC3_COMMANDS, SHTC3_ID, SHTC3Model } from "../../simulator/devices/shtc3.js";
import { constant } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";

function setup() {
  const sim = new Simulation(pico);
  const model = sim.attach(new SHTC3Model(sim.clock, { temperatureC: constant(30), humidityRH: constant(60) }));
  const i2c = new sim.device.io.I2C({ ...sim.device.I2C.default, address: 0x70, hz: 1_000_000 });
  const command = (code: number): void => i2c.write(Uint8Array.of(code >> 8, code & 0xff));
  return { sim, model, i2c, command, frame: new Uint8Array(6) };
}

describe("SHTC3 model", () => {
  it("answers its ID with a CRC (§5.9)", () => {
    const { i2c, command, frame } = setup();
    command(SHTC3_COMMANDS.readId);
    i2c.read(frame.subarray(0, 3));
    assert.equal(((frame[0] ?? 0) << 8) | (frame[1] ?? 0), SHTC3_ID);
    assert.equal(frame[2], crc8Sensirion(frame, 0, 2));
  });

  it("asleep, executes only the wake-up, and answers nothing while waking for 240 µs", () => {
    const { sim, model, i2c, command, frame } = setup();
    command(SHTC3_COMMANDS.sleep);
    command(SHTC3_COMMANDS.readId);
    assert.equal(model.ignored, 1);
    assert.throws(() => i2c.read(frame.subarray(0, 3)), I2CError);
    command(SHTC3_COMMANDS.wake);
    assert.throws(() => command(SHTC3_COMMANDS.readId), I2CError, /no device answered/);
    sim.clock.advance(0.24);
    command(SHTC3_COMMANDS.readId);
    i2c.read(frame.subarray(0, 3));
    assert.equal(((frame[0] ?? 0) << 8) | (frame[1] ?? 0), SHTC3_ID);
  });

  it("NACKs a read before a measurement without clock stretching is done, and stretches one with it", () => {
    const { sim, i2c, command, frame } = setup();
    command(SHTC3_COMMANDS.normalTFirst);
    assert.throws(() => i2c.read(frame), I2CError, /NACKed the read/);
    sim.clock.advance(12.1);
    i2c.read(frame);
    assert.closeTo(-45 + (175 * (((frame[0] ?? 0) << 8) | (frame[1] ?? 0))) / 65536, 30, 0.003);
    command(SHTC3_COMMANDS.lowPowerStretchRhFirst);
    const before = sim.clock.now;
    i2c.read(frame);
    assert.ok(sim.clock.now - before >= 0.8, "stretched over the low-power measurement");
    assert.closeTo((100 * (((frame[0] ?? 0) << 8) | (frame[1] ?? 0))) / 65536, 60, 0.002, "humidity first");
  });
});
