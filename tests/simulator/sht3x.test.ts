import { pico } from "../../boards/index.js";
import { I2CError, type SMBus } from "../../src/io/index.js";
import { crc8Sensirion } from "../../simulator/crc8.js";
import { SHT3X_COMMANDS, SHT3xModel } from "../../simulator/devices/sht3x.js";
import { constant } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";

function setup(temperatureC = 23.5, humidityRH = 41.25) {
  const sim = new Simulation(pico);
  const model = sim.attach(new SHT3xModel(sim.clock, { temperatureC: constant(temperatureC), humidityRH: constant(humidityRH) }));
  const bus: SMBus = new sim.device.io.SMBus({ ...sim.device.I2C.default, address: 0x44 });
  const frame = new Uint8Array(6);
  const command = (code: number): void => bus.write(Uint8Array.of(code >> 8, code & 0xff));
  return { sim, model, bus, frame, command };
}

const decodeT = (frame: Uint8Array): number => -45 + (175 * (((frame[0] ?? 0) << 8) | (frame[1] ?? 0))) / 65535;
const decodeRH = (frame: Uint8Array): number => (100 * (((frame[3] ?? 0) << 8) | (frame[4] ?? 0))) / 65535;

describe("SHT3x model", () => {
  it("computes the datasheet's CRC example: 0xBEEF → 0x92", () => {
    assert.equal(crc8Sensirion(Uint8Array.of(0xbe, 0xef), 0, 2), 0x92);
  });

  it("NACKs a read before a single-shot measurement is done, then returns the set values with valid CRCs", () => {
    const { sim, bus, frame, command } = setup();
    command(SHT3X_COMMANDS.singleShotHigh);
    assert.throws(() => bus.read(frame), I2CError, /NACKed the read/);
    sim.clock.advance(15);
    bus.read(frame);
    assert.equal(frame[2], crc8Sensirion(frame, 0, 2));
    assert.equal(frame[5], crc8Sensirion(frame, 3, 2));
    assert.closeTo(decodeT(frame), 23.5, 0.002);
    assert.closeTo(decodeRH(frame), 41.25, 0.002);
  });

  it("stretches the clock for a stretching command instead of NACKing", () => {
    const { sim, bus, frame, command } = setup();
    command(SHT3X_COMMANDS.singleShotHighStretch);
    const before = sim.clock.now;
    bus.read(frame);
    assert.ok(sim.clock.now - before >= 15, "the read waits out the 15 ms measurement");
    assert.closeTo(decodeT(frame), 23.5, 0.002);
  });

  it("measures periodically and NACKs a fetch with no new data", () => {
    const { sim, bus, frame, command } = setup(30, 60);
    command(SHT3X_COMMANDS.periodic1mpsHigh);
    sim.clock.advance(20);
    command(SHT3X_COMMANDS.fetchData);
    bus.read(frame);
    assert.closeTo(decodeRH(frame), 60, 0.002);
    command(SHT3X_COMMANDS.fetchData);
    assert.throws(() => bus.read(frame), I2CError);
    sim.clock.advance(1000);
    command(SHT3X_COMMANDS.fetchData);
    bus.read(frame);
  });

  it("reports and clears the status register, and flags an unknown command", () => {
    const { bus, command, model } = setup();
    const status = new Uint8Array(3);
    command(SHT3X_COMMANDS.readStatus);
    bus.read(status);
    assert.equal(((status[0] ?? 0) << 8) | (status[1] ?? 0), 0x0010, "reset detected after power-up");
    assert.equal(status[2], crc8Sensirion(status, 0, 2));
    command(SHT3X_COMMANDS.clearStatus);
    command(0x1234);
    assert.equal(model.status, 0x0002);
  });

  it("clamps an out-of-range value to the sensor's full scale", () => {
    const { sim, bus, frame, command } = setup(500, 150);
    command(SHT3X_COMMANDS.singleShotLow);
    sim.clock.advance(4);
    bus.read(frame);
    assert.deepEqual(Array.from(frame.subarray(0, 2)), [0xff, 0xff]);
    assert.closeTo(decodeT(frame), 130, 1e-9);
  });

  it("in periodic mode executes only Fetch Data and Break (§4.11): a status read is ignored and its read NACKed", () => {
    const { sim, model, bus, frame, command } = setup();
    command(SHT3X_COMMANDS.periodic1mpsHigh);
    sim.clock.advance(1100);
    command(SHT3X_COMMANDS.readStatus);
    assert.throws(() => bus.read(frame.subarray(0, 3)), I2CError, /NACKed the read/);
    command(SHT3X_COMMANDS.singleShotHigh);
    assert.equal(model.ignored, 2);
    assert.equal(model.mode, 2, "still periodic");
    command(SHT3X_COMMANDS.fetchData);
    bus.read(frame);
    assert.closeTo(decodeT(frame), 23.5, 0.01);
    command(SHT3X_COMMANDS.break);
    assert.equal(model.mode, 0);
    command(SHT3X_COMMANDS.readStatus);
    bus.read(frame.subarray(0, 3));
    assert.equal(frame[2], crc8Sensirion(frame, 0, 2), "idle again: the status word answers");
  });
});
