/**
 * The example's tests, as a user writes them outside stillheap: the driver on its model (shape, faults, lifecycle,
 * allocation), the model named in a scenario, and the type declared in a gateway. One file for every engine: mocha
 * runs it on Node, stillheap's runner on the XS host (tests/node/driver-example.test.ts does both).
 */
import { Gateway, boardFacts, readDeclaration, SENSOR_TYPES } from "stillheap/app";
import { SampleStatus, SensorError, SensorOptionError, type SensorFault } from "stillheap/drivers";
import { expectNoAllocation } from "stillheap/engine";
import { deviceModels, loadScenario, timerApi, type Simulation } from "stillheap/simulator";
import { MCP9808, MCP9808Sample } from "./mcp9808.js";
import { mcp9808Model } from "./mcp9808-model.js";
import { mcp9808Type } from "./mcp9808-type.js";

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

function near(actual: number, expected: number, within: number, what: string): void {
  check(Math.abs(actual - expected) <= within, `${what}: expected ${expected} ± ${within}, got ${actual}`);
}

function throws(body: () => unknown, type: abstract new (...args: never[]) => Error): Error {
  try {
    body();
  } catch (error: unknown) {
    check(error instanceof type, `threw ${String(error)}, not a ${type.name}`);
    return error as Error;
  }
  throw new Error(`did not throw a ${type.name}`);
}

/** A board with one MCP9808, placed by its type name in a scenario. */
function board(temperatureC: unknown = 24.5): Simulation {
  return loadScenario({ board: "pico", devices: [{ type: "mcp9808", address: 0x1a, temperatureC }] }, "pico", deviceModels(mcp9808Model));
}

function sensorOn(sim: Simulation, faults: number[] = []): MCP9808 {
  // onError runs on a later turn (ECMA-419 §8), from a timer of the simulation's clock.
  return new MCP9808({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus, address: 0x1a },
    onError: (f: SensorFault) => void faults.push(f.status), timer: timerApi(() => sim.clock) });
}

describe("the MCP9808 example driver", () => {
  it("samples {temperature} in 1/16 °C steps from its model, placed by type name in a scenario", () => {
    const sim = board(-12.3125);
    const sensor = sensorOn(sim);
    sim.clock.advance(260);
    const sample = sensor.sample();
    check(sample.valid && sample.status === SampleStatus.ok, `valid: ${JSON.stringify(sample)}`);
    near(sample.temperature, -12.3125, 1 / 32, "temperature");
  });

  it("reports a NACK and an out-of-range value as counted statuses, and reads again after", () => {
    const sim = board();
    const faults: number[] = [];
    const sensor = sensorOn(sim, faults);
    sim.clock.advance(260);
    sim.inject({ kind: "nack-address", address: 0x1a, atMs: sim.clock.now, untilMs: sim.clock.now + 10 });
    check(sensor.sample().status === SampleStatus.nack, "a NACK");
    sim.clock.advance(10);
    sim.inject({ kind: "out-of-range", address: 0x1a, value: 200, atMs: sim.clock.now, untilMs: sim.clock.now + 300 });
    sim.clock.advance(260);
    check(sensor.sample().status === SampleStatus.outOfRange, "beyond 125 °C");
    sim.clock.advance(300);
    check(sensor.sample().valid, "valid again");
    check(faults.join() === `${SampleStatus.nack},${SampleStatus.outOfRange}`, `onError told: ${faults.join()}`);
  });

  it("refuses an address its pins cannot select, another chip, and use after close", () => {
    const sim = board();
    const bus = { ...sim.device.I2C.default, io: sim.device.io.SMBus };
    check((throws(() => new MCP9808({ sensor: { ...bus, address: 0x40 } }), SensorOptionError) as SensorOptionError).option === "sensor.address", "address");
    check((throws(() => new MCP9808({ sensor: { ...bus, address: 0x18 } }), SensorError) as SensorError).code === "no-answer", "nobody at 0x18");
    const sensor = sensorOn(sim);
    sensor.close();
    sensor.close();
    throws(() => sensor.sample(), SensorError);
  });

  it("samples without allocating", function () {
    const sim = board();
    const sensor = sensorOn(sim);
    const sample = new MCP9808Sample();
    // stillheap's guard: exact on the XS engine; elsewhere it only runs the body, and the test says it was skipped.
    if (expectNoAllocation(() => void sensor.sample(sample)) === "not measured") this.skip();
    check(sample.valid, "valid");
  });

  it("runs as a declared sensor type in the gateway", () => {
    const sim = loadScenario({ board: "pico", devices: [{ type: "mcp9808", address: 0x1a, temperatureC: { kind: "ramp", from: 20, to: 30, durationMs: 10_000 } }] },
      "pico", deviceModels(mcp9808Model));
    const sensors = readDeclaration([{ name: "greenhouse", type: "mcp9808", address: 0x1a, periodMs: 500 }],
      boardFacts(sim.device, sim.board.gpioCount), [...SENSOR_TYPES, mcp9808Type]);
    const gateway = new Gateway({ device: sim.device, timer: timerApi(() => sim.clock), clock: { nowMs: () => sim.clock.now }, sensors });
    gateway.start();
    sim.clock.advance(5000);
    const channel = gateway.channels[0];
    check(channel !== undefined && channel.open, "open");
    near(channel?.readings[0]?.window.latest ?? Number.NaN, 25, 0.3, "temperatureC halfway up the ramp");
    check((channel?.delivered ?? 0) >= 9, `delivered every 500 ms: ${channel?.delivered}`);
    gateway.stop();
  });
});
