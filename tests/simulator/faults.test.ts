import { pico } from "../../boards/index.js";
import { BMP280Model } from "../../simulator/devices/bmp280.js";
import { LIS3DHModel } from "../../simulator/devices/lis3dh.js";
import { ContactInput } from "../../simulator/devices/contact.js";
import { SHT3xModel } from "../../simulator/devices/sht3x.js";
import { ENDED_WINDOWS_KEPT, FAULT_KINDS, FAULT_PLAN_CAPACITY, FaultPlanFull, type FaultKind } from "../../simulator/faults.js";
import { loadScenario, ScenarioError } from "../../simulator/scenario.js";
import { Simulation, type SimulationFaultSpec } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";

const INT1_PIN = 17;
const BUTTON_PIN = pico.pins.button;

/** A Pico with an SHT3x at 0x44 and a BMP280 at 0x76 on the default bus, a LIS3DH with INT1 on GP17 and a button. */
function board(): { sim: Simulation; bmp: BMP280Model } {
  const sim = new Simulation(pico);
  sim.attach(new SHT3xModel(sim.clock));
  const bmp = sim.attach(new BMP280Model(sim.clock));
  sim.attach(new LIS3DHModel(sim.clock, sim.pins, { int1Pin: INT1_PIN }));
  new ContactInput(sim.clock, sim.pins, { pin: BUTTON_PIN, activeLow: true, bounceMs: 5 });
  return { sim, bmp };
}

/** A fault of each kind that the simulation accepts, aimed at a device or a pin that is there. */
function valid(kind: FaultKind, atMs: number, untilMs: number): SimulationFaultSpec {
  const window = { kind, atMs, untilMs };
  if (kind === "interrupt-storm") return { ...window, pin: INT1_PIN, edgesPerMs: 1 };
  if (kind === "spurious-edge") return { ...window, pin: BUTTON_PIN };
  if (kind === "clock-stretch") return { ...window, address: 0x76, latencyMs: 5 };
  if (kind === "nack-after-bytes") return { ...window, address: 0x76, bytes: 1 };
  if (kind === "out-of-range") return { ...window, address: 0x76, value: 300 };
  return { ...window, address: 0x76 };
}

describe("fault windows checked alike for every kind", () => {
  it("accepts each kind on a device or pin that is there", () => {
    const { sim } = board();
    for (const kind of FAULT_KINDS) sim.inject(valid(kind, 10, 20));
    assert.equal(sim.faults.all.length, FAULT_KINDS.length);
  });

  it("rejects a window that ends when or before it starts, for every kind, naming untilMs", () => {
    const { sim } = board();
    for (const kind of FAULT_KINDS) {
      for (const untilMs of [100, 50]) {
        assert.throws(() => sim.inject(valid(kind, 100, untilMs)), RangeError, /^untilMs \d+ must be after atMs 100/, kind);
      }
    }
    assert.equal(sim.faults.all.length, 0, "nothing planned");
  });

  it("keeps the BMP280 delivering after a vanish that would end before it starts: rejected, not made permanent", () => {
    const { sim, bmp } = board();
    assert.throws(() => sim.inject({ kind: "vanish", address: 0x76, atMs: 2000, untilMs: 1000 }), RangeError, /untilMs/);
    sim.clock.advance(60_000);
    assert.equal(bmp.present, true);
  });

  it("rejects an I2C fault on an address with no device alike for every kind, naming kind, address and bus", () => {
    const { sim } = board();
    for (const kind of FAULT_KINDS) {
      if (kind === "interrupt-storm" || kind === "spurious-edge") continue;
      assert.throws(() => sim.inject({ ...valid(kind, 0, 10), address: 0x45 }), RangeError,
        new RegExp(`^${kind} fault names I2C address 0x45 on bus default, where no device is attached`), kind);
      assert.throws(() => sim.inject({ ...valid(kind, 0, 10), address: 0x76, bus: "i2c1" }), RangeError, /on bus i2c1, where no device/, kind);
    }
    assert.equal(sim.faults.all.length, 0);
  });

  it("rejects a pin fault on a pin nothing is wired to, and a pin that does not exist", () => {
    const { sim } = board();
    assert.throws(() => sim.inject({ kind: "spurious-edge", pin: 3, atMs: 5 }), RangeError, /^spurious-edge fault names pin 3, which nothing is wired to/);
    assert.throws(() => sim.inject({ kind: "interrupt-storm", pin: 3, atMs: 5, untilMs: 6, edgesPerMs: 1 }), RangeError, /pin 3, which nothing/);
    assert.throws(() => sim.inject({ kind: "spurious-edge", pin: 99, atMs: 5 }), Error, /pin 99 does not exist/);
    assert.throws(() => sim.inject({ kind: "spurious-edge", atMs: 5 }), RangeError, /^pin: a spurious-edge fault strikes a pin/);
  });

  it("rejects parameters a kind needs and does not have", () => {
    const { sim } = board();
    assert.throws(() => sim.inject({ kind: "vanish", atMs: 0, untilMs: 10 }), RangeError, /^address: a vanish fault needs the address/);
    assert.throws(() => sim.inject({ kind: "clock-stretch", address: 0x76, atMs: 0, untilMs: 10 }), RangeError, /^latencyMs 0 must be > 0/);
    assert.throws(() => sim.inject({ kind: "nack-after-bytes", address: 0x76, bytes: 1.5, atMs: 0 }), RangeError, /^bytes 1.5/);
    assert.throws(() => sim.inject({ kind: "nack-address", address: 200, atMs: 0 }), RangeError, /^address 200 must be a 7-bit/);
    assert.throws(() => sim.inject({ kind: "nack-address", address: 0x76, atMs: Number.NaN }), RangeError, /^atMs NaN/);
    assert.throws(() => sim.inject({ kind: "nack-address", address: 0x76, pin: 3 }), RangeError, /^pin: a nack-address fault strikes an I2C device/);
    assert.throws(() => sim.inject({ kind: "constructor" as FaultKind, address: 0x76 }), RangeError, /^kind "constructor" is not one of/);
  });

  it("names the scenario's JSON path of a fault it rejects", () => {
    const devices = [{ type: "bmp280", address: 118 }];
    assert.throws(() => loadScenario({ devices, faults: [{ kind: "nack-address", address: 118, atMs: 10, untilMs: 5 }] }), ScenarioError,
      /^\$\.faults\[0\]: untilMs 5 must be after atMs 10/);
    assert.throws(() => loadScenario({ devices, faults: [{ kind: "vanish", address: 118, atMs: 0 }, { kind: "nack-address", address: 9 }] }), ScenarioError,
      /^\$\.faults\[1\]: nack-address fault names I2C address 0x9 on bus default, where no device is attached/);
  });
});

describe("the fault plan, bounded", () => {
  it("keeps nothing of 20,000 one-millisecond windows once they end but the last ENDED_WINDOWS_KEPT", () => {
    const { sim } = board();
    for (let i = 0; i < 20_000; i++) {
      const now = sim.clock.now;
      sim.inject({ kind: "nack-address", address: 0x44, atMs: now, untilMs: now + 1 });
      sim.clock.advance(1);
    }
    assert.equal(sim.faults.planned, 0, "every window ended and left the plan");
    assert.equal(sim.faults.ended, 20_000);
    const shown = sim.faults.recent(sim.clock.now, 1000);
    assert.equal(shown.length, ENDED_WINDOWS_KEPT);
    assert.equal(shown[0]?.untilMs, sim.clock.now, "the latest first");
  });

  it("refuses a window when the plan is full, and takes one again once some have ended", () => {
    const { sim } = board();
    for (let i = 0; i < FAULT_PLAN_CAPACITY; i++) sim.inject({ kind: "crc-corruption", address: 0x44, atMs: 0, untilMs: 100 + i });
    assert.throws(() => sim.inject({ kind: "crc-corruption", address: 0x44, atMs: 0, untilMs: 50 }), FaultPlanFull, /holds 16384 windows/);
    assert.equal(sim.faults.planned, FAULT_PLAN_CAPACITY);
    sim.clock.advance(110);
    assert.equal(sim.faults.planned, FAULT_PLAN_CAPACITY - 11, "those until 100–110 ms ended");
    sim.inject({ kind: "crc-corruption", address: 0x44, atMs: sim.clock.now, untilMs: sim.clock.now + 1 });
  });
});
