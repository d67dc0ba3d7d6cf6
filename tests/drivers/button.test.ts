import { pico } from "../../boards/index.js";
import { ButtonEvent, ButtonSample, DebouncedButton, SensorError, SensorOptionError } from "../../src/drivers/index.js";
import { BoundedQueue } from "../../src/mem/index.js";
import { ContactInput } from "../../simulator/devices/contact.js";
import { Simulation } from "../../simulator/simulation.js";
import { timerApi } from "../../simulator/timer.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

function setup(queue?: BoundedQueue) {
  const sim = new Simulation(pico);
  const contact = new ContactInput(sim.clock, sim.pins, { pin: pico.pins.button, bounceMs: 6, bounces: 4 });
  let pressed = 0;
  const button = new DebouncedButton({
    input: { io: sim.device.io.Digital, pin: pico.pins.button }, timer: timerApi(() => sim.clock), debounceMs: 15,
    onPress: () => pressed++, ...(queue === undefined ? {} : { queue }),
  });
  return { sim, contact, button, pressed: () => pressed };
}

describe("debounced button driver", () => {
  it("turns a bouncing press and release into exactly one press and one release event", () => {
    const { sim, contact, button, pressed } = setup();
    contact.press(10, 100);
    sim.clock.advance(200);
    assert.ok(button.edges > 2, "the contact bounced");
    assert.equal(pressed(), 1);
    assert.equal(button.nextEvent(), ButtonEvent.press);
    assert.equal(button.nextEvent(), ButtonEvent.release);
    assert.equal(button.nextEvent(), ButtonEvent.none);
  });

  it("takes a contact already closed when it opens as its initial position, not as a press", () => {
    const sim = new Simulation(pico);
    const contact = new ContactInput(sim.clock, sim.pins, { pin: pico.pins.button });
    contact.press(0, 5000);
    sim.clock.advance(1);
    const button = new DebouncedButton({ input: { io: sim.device.io.Digital, pin: pico.pins.button }, timer: timerApi(() => sim.clock) });
    assert.equal(button.pressedAtStart, true);
    assert.equal(button.sample().position, 1);
    sim.clock.advance(6000);
    assert.deepEqual([button.presses, button.releases, button.sample().position], [0, 1, 0], "let go: a release, no press");
    assert.equal(button.nextEvent(), ButtonEvent.release);
  });

  it("samples the settled position in the Switch class's {position} shape", () => {
    const { sim, contact, button } = setup();
    const first = button.sample();
    assert.deepEqual(Object.keys(first), ["position"]);
    assert.equal(first.position, 0);
    contact.press(10, 100);
    sim.clock.advance(50);
    const mine = new ButtonSample();
    assert.equal(button.sample(mine), mine);
    assert.equal(mine.position, 1, "pressed once the bounce settled");
    sim.clock.advance(150);
    assert.equal(button.sample(mine).position, 0);
  });

  it("configures the debounce time, refusing one outside 1–1000 ms by name", () => {
    const { sim, contact, button } = setup();
    assert.throws(() => button.configure({ debounceMs: 0 }), SensorOptionError, /configure\.debounceMs = 0 is not allowed/);
    button.configure({ debounceMs: 40 });
    contact.press(10, 100);
    sim.clock.advance(36); // bounces end by 16 ms: 20 ms quiet would do for the old 15 ms, not for 40
    assert.equal(button.sample().position, 0);
    sim.clock.advance(30);
    assert.equal(button.sample().position, 1);
  });

  it("ignores a spurious edge that does not change the settled level", () => {
    const { sim, button } = setup();
    sim.inject({ kind: "spurious-edge", pin: pico.pins.button, atMs: 5 });
    sim.clock.advance(100);
    assert.equal(button.edges, 1);
    assert.equal(button.presses, 0);
  });

  it("counts events it drops when its queue is full", () => {
    const { sim, contact, button } = setup(new BoundedQueue(2));
    for (let i = 0; i < 4; i++) contact.press(100 + i * 200, 80);
    sim.clock.advance(1000);
    assert.equal(button.presses, 4);
    assert.equal(button.dropped, 6);
  });

  it("closes idempotently and refuses use after close", () => {
    const { button, sim } = setup();
    button.close();
    button.close();
    assert.throws(() => button.nextEvent(), SensorError, /used after close/);
    assert.equal(sim.clock.activeTimers, 0);
  });

  it("debounces, queues and samples without allocating", function () {
    const { sim, button } = setup();
    const sample = new ButtonSample();
    let level = 1;
    expectNoAllocation(this, () => {
      level ^= 1;
      sim.pins.drive(pico.pins.button, level);
      sim.clock.advance(20);
      button.nextEvent();
      button.sample(sample);
    });
  });
});
