import { pico } from "../../boards/index.js";
import { VirtualClock } from "../../simulator/clock.js";
import Timer, { useClock } from "../../simulator/timer.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";

describe("virtual clock", () => {
  it("fires due timers in due order, ties in the order they were set", () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.set(() => fired.push("c@30"), 30);
    clock.set(() => fired.push("a@10"), 10);
    clock.set(() => fired.push("b@10"), 10);
    clock.advance(25);
    assert.deepEqual(fired, ["a@10", "b@10"]);
    clock.advance(5);
    assert.deepEqual(fired, ["a@10", "b@10", "c@30"]);
    assert.equal(clock.now, 30);
  });

  it("repeats a timer at its period and stops it on clear", () => {
    const clock = new VirtualClock();
    const times: number[] = [];
    const timer = clock.set(() => times.push(clock.now), 5, 10);
    clock.advance(40);
    assert.deepEqual(times, [5, 15, 25, 35]);
    clock.clear(timer);
    clock.advance(40);
    assert.equal(times.length, 4);
    assert.equal(clock.activeTimers, 0);
  });

  it("lets a timer callback set and clear other timers", () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    const late = clock.set(() => fired.push(2), 20);
    clock.set(() => {
      fired.push(1);
      clock.clear(late);
      clock.set(() => fired.push(3), 5);
    }, 10);
    clock.advance(100);
    assert.deepEqual(fired, [1, 3]);
  });

  it("offers the timer module's API over the clock", () => {
    const clock = new VirtualClock();
    useClock(clock);
    let count = 0;
    const t = Timer.repeat(() => count++, 100);
    clock.advance(350);
    assert.equal(count, 3);
    Timer.schedule(t, 1000);
    clock.advance(999);
    assert.equal(count, 3);
    clock.advance(1);
    assert.equal(count, 4);
    Timer.clear(t);
    Timer.delay(50);
    assert.equal(clock.now, 1400);
  });

  it("runs hardware events due while busy, however they were scheduled before", () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    clock.busy(1); // nothing scheduled: only time moves
    const hardware = clock.hardwareTimer(() => seen.push(clock.now));
    clock.scheduleHardware(hardware, 2);
    clock.busy(1);
    assert.deepEqual(seen, [], "not due yet");
    clock.busy(5);
    assert.deepEqual(seen, [3]);
    clock.at(1, () => seen.push(clock.now));
    clock.busy(0.5);
    clock.busy(0.5);
    assert.deepEqual(seen, [3, 8]);
    clock.scheduleHardware(hardware, 4);
    clock.cancelHardware(hardware);
    clock.busy(10);
    assert.deepEqual(seen, [3, 8], "a cancelled timer does not fire");
    clock.scheduleHardware(hardware, 1);
    clock.busy(1);
    assert.deepEqual(seen, [3, 8, 19]);
  });

  it("runs no timer while the JS thread is busy, and catches up on the next advance", () => {
    const clock = new VirtualClock();
    let fired = 0;
    clock.set(() => fired++, 10);
    clock.busy(20);
    assert.equal(fired, 0);
    clock.advance(0);
    assert.equal(fired, 1);
  });

  it("coalesces edges between turns into one onReadable, as an ISR flag does", () => {
    const sim = new Simulation(pico);
    let calls = 0;
    const input = new sim.device.io.Digital({
      pin: 15, mode: sim.device.io.Digital.InputPullUp, edge: sim.device.io.Digital.Falling | sim.device.io.Digital.Rising,
      onReadable() { calls++; },
    });
    for (let i = 0; i < 6; i++) sim.clock.at(0.1 + i * 0.1, () => sim.pins.drive(15, i % 2));
    sim.clock.advance(0.9);
    assert.equal(calls, 0, "nothing runs on the JS thread before its turn");
    sim.clock.advance(0.2);
    assert.equal(calls, 1);
    assert.equal(sim.clock.interruptsCoalesced, 5);
    input.close();
  });
});
