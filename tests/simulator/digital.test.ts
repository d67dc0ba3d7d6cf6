import type { Digital } from "../../src/io/index.js";
import { pico } from "../../boards/index.js";
import { IOError } from "../../src/io/index.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";

describe("simulated Digital", () => {
  it("reads the pull of an undriven input and what the outside world drives", () => {
    const sim = new Simulation(pico);
    const { Digital } = sim.device.io;
    const input = new Digital({ pin: 15, mode: Digital.InputPullUp });
    assert.equal(input.read(), 1);
    sim.pins.drive(15, 0);
    assert.equal(input.read(), 0);
    input.close();
  });

  it("writes an output the board sees", () => {
    const sim = new Simulation(pico);
    const led = new sim.device.io.Digital({ pin: sim.device.pin["led"] ?? 25, mode: sim.device.io.Digital.Output });
    led.write(1);
    assert.equal(sim.pins.level(25), 1);
    assert.throws(() => led.read(), Error, /is an output: open it as an input/, "Moddable's IO cannot read an output");
    led.close();
  });

  it("calls onReadable with the instance as this and the target on it, as Moddable's IO does, only for the edges asked for", () => {
    const sim = new Simulation(pico);
    const target = { rises: 0 };
    let self: unknown;
    const input = new sim.device.io.Digital({
      pin: 16, mode: sim.device.io.Digital.InputPullDown, edge: sim.device.io.Digital.Rising, target,
      onReadable(this: Digital) {
        self = this;
        (this.target as typeof target).rises++;
      },
    });
    sim.pins.drive(16, 1);
    sim.clock.advance(1);
    sim.pins.drive(16, 0);
    sim.clock.advance(1);
    assert.equal(target.rises, 1);
    assert.equal(self, input);
    assert.equal(input.target, target);
    input.close();
  });

  it("gives clear typed errors: unknown pin, pin used twice, use after close, write to an input", () => {
    const sim = new Simulation(pico);
    const { Digital } = sim.device.io;
    assert.throws(() => new Digital({ pin: 40, mode: Digital.Input }), IOError, /pin 40 does not exist on pico/);
    const first = new Digital({ pin: 2, mode: Digital.Input });
    assert.throws(() => new Digital({ pin: 2, mode: Digital.Output }), IOError, /already open: close\(\) the other/);
    assert.throws(() => first.write(1), IOError, /is an input/);
    first.close();
    first.close();
    assert.throws(() => first.read(), IOError, /used after close\(\)/);
    const again = new Digital({ pin: 2, mode: Digital.Input });
    again.close();
    assert.throws(() => new Digital({ pin: 3, mode: Digital.Input, onReadable() {} }), IOError, /needs edge/);
  });

  it("drops a pending callback when closed before it runs", () => {
    const sim = new Simulation(pico);
    let calls = 0;
    const input = new sim.device.io.Digital({
      pin: 4, mode: sim.device.io.Digital.Input, edge: sim.device.io.Digital.Rising, onReadable() { calls++; },
    });
    sim.pins.drive(4, 1);
    input.close();
    sim.clock.advance(5);
    assert.equal(calls, 0);
  });
});
