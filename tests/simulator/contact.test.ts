import { pico } from "../../boards/index.js";
import { ContactInput } from "../../simulator/devices/contact.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";

describe("bouncing contact", () => {
  it("bounces on press and release, then settles at the pressed and released levels", () => {
    const sim = new Simulation(pico);
    const button = new ContactInput(sim.clock, sim.pins, { pin: pico.pins.button, bounceMs: 5, bounces: 3 });
    const input = new sim.device.io.Digital({ pin: pico.pins.button, mode: sim.device.io.Digital.InputPullUp });
    button.press(10, 50);
    sim.clock.advance(16);
    assert.equal(input.read(), 0, "pressed");
    assert.ok((sim.pins.edges[pico.pins.button] ?? 0) > 1, "more than one edge: the contact bounced");
    sim.clock.advance(50);
    assert.equal(input.read(), 1, "released");
    input.close();
  });

  it("repeats the same bounce pattern for the same seed", () => {
    const edges = (): number => {
      const sim = new Simulation(pico);
      new ContactInput(sim.clock, sim.pins, { pin: 15, seed: 42 }).press(0, 20);
      sim.clock.advance(30);
      return sim.pins.edges[15] ?? 0;
    };
    assert.equal(edges(), edges());
  });
});
