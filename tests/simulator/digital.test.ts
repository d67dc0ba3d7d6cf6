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

  it("reads through a jumper wire what the pin at its other end drives, both ways", () => {
    const sim = new Simulation(pico);
    const { Digital } = sim.device.io;
    sim.pins.jumper(12, 13);
    const output = new Digital({ pin: 13, mode: Digital.Output });
    const input = new Digital({ pin: 12, mode: Digital.InputPullUp });
    output.write(0);
    assert.equal(input.read(), 0, "driven low through the wire, over the pull-up");
    output.close();
    assert.equal(input.read(), 1, "released to its pull");
    input.close();
    const back = new Digital({ pin: 12, mode: Digital.Output });
    const other = new Digital({ pin: 13, mode: Digital.Input });
    back.write(1);
    assert.equal(other.read(), 1);
    assert.throws(() => sim.pins.jumper(12, 14), RangeError, /not yet wired/);
  });

  it("offers DigitalBank: a mask of pins read and written at once, onReadable with the pins that triggered", () => {
    const sim = new Simulation(pico);
    const { DigitalBank } = sim.device.io;
    assert.ok(DigitalBank !== undefined);
    sim.pins.jumper(12, 13);
    sim.pins.jumper(16, 17);
    const triggered: number[] = [];
    const input = new DigitalBank({ pins: (1 << 12) | (1 << 16), mode: DigitalBank.Input, rises: 1 << 16, onReadable(mask) { triggered.push(mask); } });
    const output = new DigitalBank({ pins: (1 << 13) | (1 << 17), mode: DigitalBank.Output });
    output.write((1 << 13) | (1 << 17) | 1);
    assert.equal(input.read(), (1 << 12) | (1 << 16), "bits outside the bank are ignored");
    sim.clock.advance(1);
    assert.deepEqual(triggered, [1 << 16], "only the pin asked for");
    assert.throws(() => output.read(), Error, /is an output/);
    assert.throws(() => new DigitalBank({ pins: 1 << 12, mode: DigitalBank.Input }), Error, /pin 12 is already open/);
    assert.throws(() => new DigitalBank({ pins: 0, mode: DigitalBank.Input }), Error, /non-zero mask/);
    assert.throws(() => new DigitalBank({ pins: 1, mode: DigitalBank.Input, rises: 2, onReadable() {} }), RangeError, /needs rises or falls/);
    assert.throws(() => { input.format = "buffer"; }, RangeError);
  });

  it("writes Number(value) non-zero as 1, as Moddable's Digital, so {} and \"error\" write 0", () => {
    const sim = new Simulation(pico);
    const output = new sim.device.io.Digital({ pin: 13, mode: sim.device.io.Digital.Output });
    for (const [value, level] of [[{}, 0], ["error", 0], ["1", 1], [0.5, 1], [true, 1], [null, 0]] as const) {
      output.write(value as unknown as number);
      assert.equal(sim.pins.level(13), level, `write(${JSON.stringify(value)})`);
    }
    assert.throws(() => output.write(Symbol("x") as unknown as number), TypeError);
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
