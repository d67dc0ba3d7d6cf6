import { pico } from "../../boards/index.js";
import { Heartbeat } from "../../src/app/index.js";
import { ContactInput } from "../../simulator/devices/contact.js";
import { Simulation } from "../../simulator/simulation.js";
import { timerApi } from "../../simulator/timer.js";
import * as assert from "../support/assert.js";

function setup() {
  const sim = new Simulation(pico);
  const lines: string[] = [];
  const app = new Heartbeat({
    device: sim.device, timer: timerApi(() => sim.clock), nowMs: () => sim.clock.now, report: (line) => lines.push(line),
  });
  return { sim, app, lines };
}

describe("heartbeat app", () => {
  it("blinks the LED and reports once a second", () => {
    const { sim, app, lines } = setup();
    app.start();
    sim.clock.advance(3000);
    assert.equal(app.blinks, 6);
    assert.equal(lines.length, 3);
    assert.ok(/^uptime 3\.0 s {2}led blinks \d+ {2}button presses 0 {2}heap \d+ bytes in use \(\S+\)$/.test(lines[2] ?? ""), lines[2]);
    app.stop();
  });

  it("counts each bouncing press once", () => {
    const { sim, app } = setup();
    const button = new ContactInput(sim.clock, sim.pins, { pin: pico.pins.button, bounceMs: 8, bounces: 4 });
    app.start();
    button.press(100, 200);
    button.press(1000, 50);
    button.press(2000, 400);
    sim.clock.advance(3000);
    assert.equal(app.presses, 3);
    assert.ok((sim.pins.edges[pico.pins.button] ?? 0) > 6, "the contact bounced");
    app.stop();
  });

  it("releases its pins and timers on stop, and stop is idempotent", () => {
    const { sim, app } = setup();
    app.start();
    sim.clock.advance(100);
    app.stop();
    app.stop();
    assert.equal(sim.clock.activeTimers, 0);
    const led = new sim.device.io.Digital({ pin: pico.pins.led, mode: sim.device.io.Digital.Output });
    led.close();
  });
});
