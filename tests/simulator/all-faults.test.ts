import { I2CError, type SMBus } from "../../src/io/index.js";
import { crc8Sensirion } from "../../simulator/crc8.js";
import { FAULT_KINDS } from "../../simulator/faults.js";
import { loadScenario, ScenarioError } from "../../simulator/scenario.js";
import type { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";
import { allFaultsScenario } from "./all-faults.scenario.js";

/** The LIS3DH's INT1 (data ready): GP17, as the default scenario wires it. */
const DATA_READY_PIN = 17;

/** What a raw-IO polling loop saw: errors by code and by device, CRC mismatches, implausible values, interrupts. */
interface Seen {
  errors: Record<string, number>;
  byAddress: Record<string, number>;
  crcMismatches: number;
  outOfRange: number;
  buttonCallbacks: number;
  dataReadyCallbacks: number;
  rounds: number;
}

function attempt(seen: Seen, body: () => void): void {
  try {
    body();
  } catch (error: unknown) {
    if (!(error instanceof I2CError)) throw error;
    seen.errors[error.code] = (seen.errors[error.code] ?? 0) + 1;
    const key = `${error.address}:${error.code}`;
    seen.byAddress[key] = (seen.byAddress[key] ?? 0) + 1;
  }
}

function poll(sim: Simulation, seen: Seen, sht: SMBus, bmp: SMBus, tmp: SMBus, frame: Uint8Array): void {
  seen.rounds++;
  attempt(seen, () => {
    sht.write(Uint8Array.of(0x2c, 0x06)); // single shot with clock stretching
    sht.read(frame);
    if (frame[2] !== crc8Sensirion(frame, 0, 2) || frame[5] !== crc8Sensirion(frame, 3, 2)) seen.crcMismatches++;
  });
  attempt(seen, () => bmp.writeUint8(0xf4, 0x25));
  attempt(seen, () => {
    const celsius = ((tmp.readUint16(0x00, true) << 16) >> 16) * 0.0078125;
    if (celsius > 150) seen.outOfRange++;
  });
  void sim;
}

describe("all fault kinds against raw IO", () => {
  it("surfaces every fault as the right error or status, counted, and keeps running", () => {
    const sim = loadScenario(allFaultsScenario);
    const { SMBus, Digital } = sim.device.io;
    const seen: Seen = { errors: {}, byAddress: {}, crcMismatches: 0, outOfRange: 0, buttonCallbacks: 0, dataReadyCallbacks: 0, rounds: 0 };
    const sht = new SMBus({ ...sim.device.I2C.default, address: 68 });
    const bmp = new SMBus({ ...sim.device.I2C.default, address: 118 });
    const tmp = new SMBus({ ...sim.device.I2C.default, address: 72 });
    const frame = new Uint8Array(6);
    const button = new Digital({ pin: sim.board.pins.button, mode: Digital.InputPullUp, edge: Digital.Falling | Digital.Rising, onReadable() { seen.buttonCallbacks++; } });
    const ready = new Digital({ pin: DATA_READY_PIN, mode: Digital.Input, edge: Digital.Rising, onReadable() { seen.dataReadyCallbacks++; } });
    sim.clock.set(() => poll(sim, seen, sht, bmp, tmp, frame), 0, 50);
    sim.clock.advance(3000);

    assert.ok((seen.byAddress["68:nack-address"] ?? 0) > 0, "nack-address on the SHT3x");
    assert.ok((seen.byAddress["118:nack-data"] ?? 0) > 0, "nack-after-bytes on the BMP280");
    assert.ok((seen.errors["timeout"] ?? 0) >= 2, "bus-stuck and clock-stretch time out");
    assert.ok((seen.byAddress["72:timeout"] ?? 0) > 0, "clock stretching past the timeout on the TMP117");
    assert.ok(seen.crcMismatches > 0, "crc-corruption caught by the CRC check");
    assert.ok(seen.outOfRange > 0, "out-of-range TMP117 reading");
    assert.ok((seen.byAddress["118:nack-address"] ?? 0) > 0, "vanished BMP280 NACKs its address");
    assert.ok(seen.dataReadyCallbacks > 0 && seen.dataReadyCallbacks < 200, "storm edges coalesced into few callbacks");
    assert.ok(sim.clock.interruptsCoalesced > 0);
    assert.ok(seen.buttonCallbacks >= 3, "press, release and the spurious edge");
    for (const kind of FAULT_KINDS) assert.ok(sim.faults.injected[kind] > 0, `fault ${kind} counted`);
    assert.ok(seen.rounds >= 55, `the polling loop kept running (${seen.rounds} rounds)`);
    assert.equal(sim.bus.counters.nacks, (seen.errors["nack-address"] ?? 0) + (seen.errors["nack-data"] ?? 0));
    button.close();
    ready.close();
  });
});

describe("scenario loader", () => {
  it("names the JSON path of a bad value", () => {
    assert.throws(() => loadScenario({ devices: [{ type: "sht3x", address: 300 }] }), ScenarioError, /^\$\.devices\[0\]\.address: expected a whole number 0–127, got 300/);
    assert.throws(() => loadScenario({ faults: [{ kind: "gremlins" }] }), ScenarioError, /^\$\.faults\[0\]\.kind: expected one of nack-address/);
    assert.throws(() => loadScenario({ devices: [{ type: "tmp117", alertPin: "nowhere" }] }), ScenarioError, /\$\.devices\[0\]\.alertPin: board pico has no pin named "nowhere"/);
    assert.throws(() => loadScenario("{ not json"), ScenarioError, /^\$: not valid JSON/);
    assert.throws(() => loadScenario({ board: "arduino" }), ScenarioError, /^\$\.board: unknown board "arduino"/);
    assert.throws(() => loadScenario({ devices: [{ type: "sht3x", colour: "red" }] }), ScenarioError, /\$\.devices\[0\]\.colour: unknown key/);
    assert.throws(() => loadScenario({ faults: [{ kind: "vanish", address: 9 }] }), ScenarioError, /\$\.faults\[0\]: vanish fault names I2C address 0x9/);
  });

  it("loads signals of every kind", () => {
    const sim = loadScenario({ devices: [
      { type: "sht3x", temperatureC: { kind: "series", points: [[0, 10], [1000, 20]] }, humidityRH: { kind: "ramp", from: 0, to: 100, durationMs: 100 } },
      { type: "bmp280", temperatureC: { kind: "constant", value: 5 }, pressurePa: { kind: "sine", mean: 1e5, amplitude: 10, periodMs: 1000 } },
    ] });
    assert.equal(sim.bus.device(0x44)?.present, true);
    assert.equal(sim.bus.device(0x76)?.present, true);
  });
});
