import { ascii } from "../../src/net/index.js";
import * as assert from "../support/assert.js";
import { ReplaySink, startGateway } from "./gateway-harness.js";
import { ConnectionService } from "../../src/net/connections.js";
import { timerApi } from "../../simulator/timer.js";

const PARTIAL = ascii("GET /healthz HTTP/1.1\r\nHost: stillheap\r\nX-Slow: ");
const WHOLE = ascii("GET /healthz HTTP/1.1\r\nHost: stillheap\r\n\r\n");

describe("slow senders", () => {
  it("give up the longest-open slot to a new connection once open the eviction age, answered 408", () => {
    const { sim, api, sink } = startGateway();
    const service = new ConnectionService(api, sink, { clock: { nowMs: () => sim.clock.now }, slots: 3, evictAfterMs: 1000 });
    const slow = [service.open(), service.open(), service.open()];
    for (const slot of slow) service.receive(slot, PARTIAL, 0, PARTIAL.length);
    sim.clock.advance(500);
    assert.equal(service.open(), -1, "younger than the eviction age: refused");
    assert.equal(service.counters.noSlot, 1);
    sim.clock.advance(600);
    const taken = service.open();
    assert.equal(taken, slow[0], "the longest-open sender's slot");
    assert.equal(sink.lastSlot, slow[0]);
    assert.equal(sink.status(), 408);
    assert.equal(service.counters.evicted, 1);
    service.receive(taken, WHOLE, 0, WHOLE.length);
    assert.equal(sink.status(), 200, "the new connection is served");
  });

  it("never evicts a connection whose request is being answered, and not at all unless asked to", () => {
    const { sim, api } = startGateway();
    const clock = { nowMs: () => sim.clock.now };
    const sink = new ReplaySink();
    const work = { ms: 5000, timer: timerApi(() => sim.clock) };
    const busy = new ConnectionService(api, sink, { clock, slots: 1, evictAfterMs: 10, work });
    const slot = busy.open();
    busy.receive(slot, WHOLE, 0, WHOLE.length); // held by its worker for 5 s
    sim.clock.advance(100);
    assert.equal(busy.open(), -1, "a request being answered keeps its slot");
    const off = new ConnectionService(api, sink, { clock, slots: 1 });
    off.receive(off.open(), PARTIAL, 0, PARTIAL.length);
    sim.clock.advance(60_000);
    assert.equal(off.open(), -1, "no eviction unless evictAfterMs is set");
    assert.equal(off.counters.evicted + busy.counters.evicted, 0);
  });

  it("keeps a client to its share of the slots: at its share it gives up its own longest-sending connection, or is refused", () => {
    const { sim, api, sink } = startGateway();
    const service = new ConnectionService(api, sink, { clock: { nowMs: () => sim.clock.now }, slots: 4, slotsPerClient: 2, evictAfterMs: 1000 });
    const ATTACKER = 7;
    const slow = [service.open(ATTACKER), service.open(ATTACKER)];
    for (const slot of slow) service.receive(slot, PARTIAL, 0, PARTIAL.length);
    assert.equal(service.open(ATTACKER), -1, "a third connection from the same client, its own younger than the eviction age");
    assert.equal(service.counters.clientShare, 1);
    const other = service.open(8);
    assert.ok(other >= 0 && !slow.includes(other), "another client takes a free slot");
    service.receive(other, WHOLE, 0, WHOLE.length);
    assert.equal(sink.status(), 200);
    sim.clock.advance(1000);
    const again = service.open(ATTACKER);
    assert.equal(again, slow[0], "its own longest-sending connection yields, answered 408");
    assert.equal(sink.status(), 408);
    assert.equal(service.counters.evicted, 1);
    assert.ok(service.open() >= 0, "a connection a host names no client for counts against no share");
  });

  it("answers every connection still sending its request 503 when stopping, and lets one being answered finish", () => {
    const { sim, api } = startGateway();
    const sink = new ReplaySink();
    const work = { ms: 500, timer: timerApi(() => sim.clock) };
    const service = new ConnectionService(api, sink, { clock: { nowMs: () => sim.clock.now }, slots: 3, work });
    const working = service.open();
    service.receive(working, WHOLE, 0, WHOLE.length);
    for (const slot of [service.open(), service.open()]) service.receive(slot, PARTIAL, 0, PARTIAL.length);
    service.refuseReading();
    assert.equal(service.counters.refusedAtStop, 2);
    assert.equal(sink.status(), 503);
    sim.clock.advance(500);
    assert.equal(sink.lastSlot, working);
    assert.equal(sink.status(), 200, "the request being answered is answered");
  });
});
