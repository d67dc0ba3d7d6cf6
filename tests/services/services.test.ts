import {
  BootTimer, Deadline, DeadlineError, DeadlinePool, DoneReason, Lazy, LazyInitError, StartError, Supervisor, Watchdog,
  WorkQueue, type Component, type Job,
} from "../../src/services/index.js";
import { VirtualClock } from "../../simulator/clock.js";
import { timerApi } from "../../simulator/timer.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

function time() {
  const clock = new VirtualClock();
  return { clock, ms: { nowMs: () => clock.now }, timer: timerApi(() => clock) };
}

/** A job that completes when told to: stands for a request still being served. */
class HeldJob implements Job {
  readonly running: number[] = [];
  queue: WorkQueue | undefined;
  run(arg: number, queue: WorkQueue): void {
    this.running.push(arg);
    this.queue = queue;
  }
  finish(): void {
    this.running.shift();
    this.queue?.complete(true);
  }
}

describe("deadlines", () => {
  it("end at their deadline in virtual time, with the reason", () => {
    const { clock, ms } = time();
    const token = new Deadline(ms).reset(100);
    clock.advance(99);
    assert.equal(token.done, false);
    assert.equal(token.remainingMs(), 1);
    clock.advance(1);
    assert.equal(token.reason, DoneReason.deadline);
    const error = assert.throws(() => token.throwIfDone(), DeadlineError) as DeadlineError;
    assert.equal(error.reason, DoneReason.deadline);
  });

  it("end with their parent, and a child never outlives its parent", () => {
    const { clock, ms } = time();
    const parent = new Deadline(ms).reset(50);
    const child = new Deadline(ms).reset(1000, parent);
    assert.equal(child.remainingMs(), 50);
    parent.cancel();
    assert.equal(child.reason, DoneReason.cancelled);
    clock.advance(10);
    assert.equal(child.reasonName, "cancelled");
  });

  it("come from a fixed pool that refuses when empty", () => {
    const { ms } = time();
    const pool = new DeadlinePool(2, ms);
    const a = pool.tryAcquire(10);
    assert.ok(a !== null && pool.tryAcquire(10) !== null);
    assert.equal(pool.tryAcquire(10), null);
    assert.equal(pool.exhausted, 1);
    pool.release(a);
    assert.throws(() => pool.release(a), RangeError, /released twice/);
  });

  it("reset, check and release without allocating", function () {
    const { clock, ms } = time();
    const pool = new DeadlinePool(4, ms);
    const parent = new Deadline(ms).reset(Infinity);
    expectNoAllocation(this, () => {
      const token = pool.tryAcquire(5, parent);
      if (token === null) return;
      token.throwIfDone();
      clock.now += 1;
      if (!token.done) token.remainingMs();
      pool.release(token);
    });
  });
});

describe("work queue", () => {
  it("runs up to its concurrency, queues up to its backlog, and refuses the rest with a count", () => {
    const queue = new WorkQueue(2, 3);
    const job = new HeldJob();
    const id = queue.register(job);
    const accepted = [1, 2, 3, 4, 5, 6, 7].map((arg) => queue.trySubmit(id, arg));
    assert.deepEqual(accepted, [true, true, true, true, true, false, false]);
    assert.deepEqual(job.running, [1, 2]);
    assert.equal(queue.queued, 3);
    assert.equal(queue.refused, 2);
    job.finish();
    assert.deepEqual(job.running, [2, 3], "a freed worker takes the oldest queued job");
    while (job.running.length > 0) job.finish();
    assert.equal(queue.completed, 5);
    assert.equal(queue.peakInFlight, 2);
  });

  it("submits and completes a preallocated job without allocating", function () {
    const queue = new WorkQueue(1, 4);
    let sum = 0;
    const id = queue.register({ run(arg, q) { sum += arg; q.complete(true); } });
    expectNoAllocation(this, (i) => {
      queue.trySubmit(id, i);
    });
    assert.ok(sum > 0);
  });
});

function component(name: string, log: string[], options: { failStart?: boolean; hangStop?: boolean } = {}): Component {
  return {
    name,
    start() {
      if (options.failStart) throw new Error(`${name} cannot start`);
      log.push(`start ${name}`);
    },
    stop() {
      log.push(`stop ${name}`);
      return options.hangStop ? new Promise<void>(() => undefined) : undefined;
    },
    kill() {
      log.push(`kill ${name}`);
    },
  };
}

describe("supervisor", () => {
  it("starts in order and stops in reverse", async () => {
    const { ms, timer } = time();
    const log: string[] = [];
    const supervisor = new Supervisor(ms, timer).add(component("a", log)).add(component("b", log)).add(component("c", log));
    await supervisor.start(1000);
    await supervisor.shutdown(1000);
    assert.deepEqual(log, ["start a", "start b", "start c", "stop c", "stop b", "stop a"]);
    assert.equal(supervisor.state("b"), "stopped");
  });

  it("stops what started when a later component fails, and names it", async () => {
    const { ms, timer } = time();
    const log: string[] = [];
    const supervisor = new Supervisor(ms, timer).add(component("a", log)).add(component("b", log, { failStart: true }));
    await assert.rejects(() => supervisor.start(1000), StartError, /component "b" failed to start/);
    assert.deepEqual(log, ["start a", "stop a"]);
    assert.equal(supervisor.state("b"), "failed");
  });

  it("kills what is still running once the shutdown deadline passes", async () => {
    const { clock, ms, timer } = time();
    const log: string[] = [];
    const supervisor = new Supervisor(ms, timer).add(component("a", log)).add(component("slow", log, { hangStop: true }));
    await supervisor.start(1000);
    const done = supervisor.shutdown(50);
    for (let i = 0; i < 60; i++) {
      clock.advance(1);
      await Promise.resolve();
    }
    await done;
    assert.deepEqual(log.slice(2), ["stop slow", "kill slow", "kill a"]);
    assert.equal(supervisor.state("slow"), "killed");
    assert.equal(supervisor.state("a"), "killed");
  });

  it("escalates to an immediate stop on a second shutdown request", async () => {
    const { clock, ms, timer } = time();
    const log: string[] = [];
    const supervisor = new Supervisor(ms, timer).add(component("a", log)).add(component("slow", log, { hangStop: true }));
    await supervisor.start(1000);
    const first = supervisor.shutdown(60_000);
    clock.advance(5);
    const second = supervisor.shutdown(60_000);
    clock.advance(2);
    await Promise.all([first, second]);
    assert.ok(supervisor.escalated);
    assert.ok(clock.now < 100, "did not wait for the 60 s deadline");
    assert.deepEqual(log.slice(2), ["stop slow", "kill slow", "kill a"]);
  });
});

describe("watchdog", () => {
  it("restarts a component that stops feeding it, and gives up after the bound", () => {
    const { clock, ms, timer } = time();
    let restarts = 0;
    const stuck: string[] = [];
    const dog = new Watchdog(ms, timer, { checkMs: 10, maxRestarts: 2, onStuck: (w) => stuck.push(w.name) });
    const sampler = dog.watch({ name: "sampler", timeoutMs: 100, restart: () => restarts++ });
    dog.start();
    for (let i = 0; i < 20; i++) {
      clock.advance(10);
      dog.feed(sampler);
    }
    assert.equal(restarts, 0, "fed in time");
    clock.advance(1000);
    assert.equal(restarts, 2);
    assert.equal(dog.gaveUp, 1);
    assert.deepEqual(stuck, ["sampler", "sampler", "sampler"]);
    dog.stop();
  });

  it("is fed without allocating", function () {
    const { ms, timer } = time();
    const dog = new Watchdog(ms, timer);
    const id = dog.watch({ name: "loop", timeoutMs: 10, restart: () => undefined });
    expectNoAllocation(this, () => dog.feed(id));
  });
});

describe("boot timing and lazy init", () => {
  it("records each milestone once, in ms since boot", () => {
    const { clock, ms } = time();
    clock.advance(5);
    const boot = new BootTimer(ms);
    clock.advance(12);
    assert.equal(boot.mark("firstSampleMs"), 12);
    clock.advance(100);
    assert.equal(boot.mark("firstSampleMs"), 12);
  });

  it("initialises on first use and retries after a failure", () => {
    let attempts = 0;
    const lazy = new Lazy("the sensor", () => {
      attempts++;
      if (attempts === 1) throw new Error("bus busy");
      return 42;
    });
    assert.throws(() => lazy.get(), LazyInitError, /initialising the sensor failed \(bus busy\); the next use tries again/);
    assert.equal(lazy.get(), 42);
    assert.equal(lazy.get(), 42);
    assert.equal(attempts, 2);
  });
});
