// Node only: slow senders that reconnect against `stillheap sim` as a process, over real sockets to 127.0.0.1.
// Loopback has a whole /8: attackers connect from 127.0.0.2 and up, the legitimate client from 127.0.0.1.
import { connect, type Socket } from "node:net";
import * as assert from "../support/assert.js";
import { neverReads, startWithPanel, statusOf, stopSim } from "./panel-clients.js";
import { pause, raw } from "./sim-process.js";

const figures = (line: string): void => void process.stdout.write(`      → ${line}\n`);

/** Slow senders: each sends part of a request, then a byte a second, and reconnects `reconnectMs` after a close. */
class SlowSenders {
  readonly #sockets = new Set<Socket>();
  #stopped = false;
  connections = 0;

  constructor(readonly port: number, count: number, readonly addresses: readonly string[], readonly reconnectMs = 50) {
    for (let i = 0; i < count; i++) this.#one(addresses[i % addresses.length] ?? "127.0.0.2");
  }

  #one(localAddress: string): void {
    if (this.#stopped) return;
    this.connections++;
    const socket = connect({ port: this.port, host: "127.0.0.1", localAddress }, () => socket.write("GET /healthz HTTP/1.1\r\nHost: stillheap\r\nX-Slow: "));
    this.#sockets.add(socket);
    const drip = setInterval(() => socket.write("a"), 1000);
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      clearInterval(drip);
      this.#sockets.delete(socket);
      setTimeout(() => this.#one(localAddress), this.reconnectMs);
    });
  }

  stop(): void {
    this.#stopped = true;
    for (const socket of this.#sockets) socket.destroy();
  }
}

/** A whole request every 100 ms for `ms`; counts the answers by status. */
async function legitimate(port: number, ms: number): Promise<{ sent: number; served: number; statuses: string[] }> {
  const statuses: string[] = [];
  const started = Date.now();
  while (Date.now() - started < ms) {
    statuses.push(statusOf(await raw(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").catch(() => "")));
    await pause(100);
  }
  return { sent: statuses.length, served: statuses.filter((s) => s === "200").length, statuses };
}

describe("stillheap sim against slow senders that reconnect", function () {
  this.timeout(60_000);

  for (const attackers of [50, 200]) {
    it(`serves at least 90% of legitimate requests while ${attackers} slow senders from one address reconnect within 50 ms`, async () => {
      const { sim } = await startWithPanel();
      const slow = new SlowSenders(sim.port, attackers, ["127.0.0.2"]);
      try {
        await pause(1500); // the attack settles: every slot it may take is taken, older than the eviction age
        const { sent, served, statuses } = await legitimate(sim.port, 10_000);
        assert.ok(served >= 0.9 * sent, `${served} of ${sent}: ${statuses.join(" ")}`);
        figures(`${attackers} slow senders: ${served} of ${sent} legitimate requests served (was 2 of 56 with 50, 2 of 51 ` +
          `with 200); the attackers made ${slow.connections} connections`);
      } finally {
        slow.stop();
        await stopSim(sim);
      }
    });
  }

  it("shuts down within 5 s, exit 0, while slow senders hold every slot, pages never read and a request is in flight", async () => {
    const { sim, panel } = await startWithPanel(["--work-ms", "2500"]);
    const slow = new SlowSenders(sim.port, 40, ["127.0.0.2", "127.0.0.3", "127.0.0.4"]);
    const pages = await Promise.all(Array.from({ length: 10 }, () => neverReads(panel, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n")));
    try {
      await pause(1500);
      const inFlight = raw(sim.port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
      await pause(200);
      const { code, ms } = await stopSim(sim);
      const answer = await inFlight;
      assert.equal(code, 0, sim.errors());
      assert.ok(ms < 5000, `${ms} ms`);
      figures(`stopped in ${ms} ms (was 5,003–5,011 ms with slow senders on every slot); the request in flight: ${statusOf(answer)}`);
    } finally {
      slow.stop();
      for (const page of pages) page.destroy();
    }
  });

  it("exits within 5 s even when a request in flight cannot finish in time (its worker is killed)", async () => {
    const { sim } = await startWithPanel(["--work-ms", "20000"]);
    try {
      const inFlight = raw(sim.port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").catch(() => "");
      await pause(300);
      const { code, ms } = await stopSim(sim);
      await inFlight;
      assert.equal(code, 0, sim.errors());
      assert.ok(ms < 5000, `${ms} ms`);
      figures(`stopped in ${ms} ms with a 20 s request in flight`);
    } finally {
      await stopSim(sim);
    }
  });
});
