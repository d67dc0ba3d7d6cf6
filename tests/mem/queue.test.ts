import { BoundedQueue, QueueError } from "../../src/mem/index.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";
import { forAllSeeds } from "../support/random.js";

describe("BoundedQueue", () => {
  it("refuses an item when full and counts the drop", () => {
    const q = new BoundedQueue(2);
    assert.ok(q.tryPush(1));
    assert.ok(q.tryPush(2));
    assert.equal(q.tryPush(3), false);
    assert.equal(q.dropped, 1);
    assert.equal(q.shift(), 1);
    assert.equal(q.shift(), 2);
  });

  it("overwrites the oldest when asked to, and counts it", () => {
    const q = new BoundedQueue(3);
    for (let i = 1; i <= 5; i++) q.pushOverwrite(i);
    assert.equal(q.overwritten, 2);
    assert.deepEqual([q.at(0), q.at(1), q.at(2)], [3, 4, 5]);
  });

  it("gives typed errors on misuse", () => {
    assert.throws(() => new BoundedQueue(0), QueueError, /positive whole number/);
    const q = new BoundedQueue(1);
    assert.throws(() => q.shift(), QueueError, /empty queue: check length first/);
    assert.throws(() => q.peek(), QueueError, /empty/);
  });

  it("matches a reference array over random pushes, overwrites and shifts", () => {
    forAllSeeds(200, (random) => {
      const capacity = random.int(1, 12);
      const q = new BoundedQueue(capacity);
      const model: number[] = [];
      let dropped = 0;
      let overwritten = 0;
      for (let step = 0; step < 400; step++) {
        const action = random.next();
        if (action < 0.4) {
          const accepted = q.tryPush(step);
          assert.equal(accepted, model.length < capacity);
          if (accepted) model.push(step);
          else dropped++;
        } else if (action < 0.6) {
          if (model.length === capacity) {
            model.shift();
            overwritten++;
          }
          q.pushOverwrite(step);
          model.push(step);
        } else if (model.length > 0) {
          assert.equal(q.shift(), model.shift());
        }
        assert.equal(q.length, model.length);
        for (let i = 0; i < model.length; i++) assert.equal(q.at(i), model[i]);
      }
      assert.equal(q.dropped, dropped);
      assert.equal(q.overwritten, overwritten);
    });
  });

  it("pushes, overwrites and shifts without allocating", function () {
    const q = new BoundedQueue(8);
    expectNoAllocation(this, (i) => {
      q.tryPush(i);
      q.pushOverwrite(i + 0.5);
      if (q.length > 4) q.shift();
    });
  });
});
