// Node only: the panel's port of `stillheap sim` as a process, attacked over real sockets to 127.0.0.1 (issue 26).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BACKLOG_BYTES } from "../../hosts/node/panel/streams.js";
import { WINDOWS_PER_FRAME } from "../../hosts/node/panel/frames.js";
import * as assert from "../support/assert.js";
import { heapMiB, idle, inject, neverReads, panelStats, readEvents, rssMiB, startWithPanel, statusOf, stopSim } from "./panel-clients.js";
import { eventually, get, openFds, pause } from "./sim-process.js";

const figures = (line: string): void => void process.stdout.write(`      → ${line}\n`);
const DEFAULT_SCENARIO = fileURLToPath(new URL("../../../simulator/scenarios/default.json", import.meta.url));

/** Runs `count` calls of `one`, `width` at a time. */
async function inParallel(count: number, width: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await one(next++);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

describe("the panel's port under attack (stillheap sim as a process)", function () {
  this.timeout(120_000);

  it("answers names from Object.prototype as unknown sensors (404) and kinds (400), and keeps running", async () => {
    const { sim, panel } = await startWithPanel();
    try {
      const names = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "prototype"];
      const kinds = ["vanish", "nack-address", "crc-corruption", "bus-stuck"];
      for (const sensor of names) {
        for (const kind of kinds) {
          const { status, json } = await inject(panel, JSON.stringify({ sensor, kind, durationMs: 100 }));
          assert.equal(status, 404, `${sensor}/${kind}: ${JSON.stringify(json)}`);
        }
      }
      for (const kind of [...names, "interrupt-storm", "spurious-edge"]) {
        assert.equal((await inject(panel, JSON.stringify({ sensor: "sht3x", kind, durationMs: 100 }))).status, 400, kind);
      }
      // A body whose own key is "__proto__" is a plain own property to JSON.parse: still an unknown sensor.
      assert.equal((await inject(panel, '{"sensor":"__proto__","kind":"vanish","durationMs":100,"__proto__":{"x":1}}')).status, 404);
      assert.ok(statusOf(await get(sim.port, "/healthz")).startsWith("200"));
      const { frames } = await readEvents(panel, 1);
      assert.deepEqual(frames[0]?.windows, [], "no window was started");
      assert.equal(sim.child.exitCode, null, sim.errors());
      figures(`${names.length * kinds.length} prototype names × kinds answered 404, ${names.length + 2} kinds 400; alive`);
    } finally {
      await stopSim(sim);
    }
  });

  it("takes a JSON media type only: application/jsonx and the like are 415", async () => {
    const { sim, panel } = await startWithPanel();
    try {
      const body = JSON.stringify({ sensor: "sht3x", kind: "nack-address", durationMs: 10 });
      for (const type of ["application/jsonx", "application/json-patch+json", "text/plain; application/json", "application/jsonp; charset=utf-8"]) {
        assert.equal((await inject(panel, body, type)).status, 415, type);
      }
      assert.equal((await inject(panel, body, "Application/JSON; charset=utf-8")).status, 200);
    } finally {
      await stopSim(sim);
    }
  });

  it("keeps memory and every frame bounded through 20,000 one-millisecond injections, and a page connects after", async () => {
    const { sim, panel } = await startWithPanel();
    try {
      const pid = sim.child.pid ?? -1;
      const before = rssMiB(pid);
      const started = performance.now();
      const statuses = new Map<number, number>();
      await inParallel(20_000, 16, async () => {
        const { status } = await inject(panel, JSON.stringify({ sensor: "sht3x", kind: "nack-address", durationMs: 1 }));
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      });
      const seconds = (performance.now() - started) / 1000;
      assert.equal(statuses.get(200), 20_000, JSON.stringify([...statuses]));
      const after = rssMiB(pid);
      const events = await readEvents(panel, 1, true);
      const backlog = Number(events.hello["backlog"]);
      assert.ok(events.frames.every((f) => f.windows.length <= WINDOWS_PER_FRAME), "each frame carries at most the last windows");
      assert.equal(events.frames[events.frames.length - 1]?.windows.length, WINDOWS_PER_FRAME, "the live frame: the last windows");
      assert.ok(after < 200, `RSS ${after} MiB`);
      assert.equal(sim.child.exitCode, null, sim.errors());
      figures(`20,000 injections in ${seconds.toFixed(1)} s: RSS ${before} → ${after} MiB (was 1.5 GB in 30 s); a page then ` +
        `got a backlog of ${backlog} frames, ${WINDOWS_PER_FRAME} windows each at most`);
    } finally {
      await stopSim(sim);
    }
  });

  it("runs a scenario with 10,000 fault windows with a flat heap, and a page that connects gets a bounded backlog", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stillheap-windows-"));
    const scenario = JSON.parse(readFileSync(DEFAULT_SCENARIO, "utf8")) as { faults?: unknown[] };
    scenario.faults = Array.from({ length: 10_000 }, (_, i) => ({ kind: "nack-address", address: 68, atMs: 1000 + i * 50, untilMs: 1001 + i * 50 }));
    const file = join(dir, "windows.json");
    writeFileSync(file, JSON.stringify(scenario));
    const { sim, panel } = await startWithPanel(["--scenario", file, "--speed", "20"]);
    try {
      const heap: number[] = [];
      for (let i = 0; i < 24; i++) { // 12 s: 240 virtual seconds, 4,800 of the windows
        heap.push(await heapMiB(sim.port));
        await pause(500);
      }
      const events = await readEvents(panel, 2);
      const backlog = Number(events.hello["backlog"]);
      assert.ok(events.frames.every((f) => f.windows.length <= WINDOWS_PER_FRAME));
      assert.ok(events.bytes <= BACKLOG_BYTES + 64 * 1024, `${events.bytes} bytes before the first frames`);
      const early = Math.min(...heap.slice(2, 8));
      const late = Math.min(...heap.slice(-6));
      assert.ok(late - early < 8, `heap floor ${early} → ${late} MiB`);
      figures(`10,000 windows at 20× speed for 12 s: heap floor ${early} → ${late} MiB (was +1.3 MB/s), RSS ${rssMiB(sim.child.pid ?? -1)} MiB; ` +
        `a page got ${backlog} frames of backlog`);
    } finally {
      await stopSim(sim);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("drops ten pages that never read once they stop taking frames, counted, and the heap comes back", async () => {
    const { sim, panel } = await startWithPanel(["--speed", "100"]);
    try {
      const base = await heapMiB(sim.port);
      const pages = await Promise.all(Array.from({ length: 10 }, () => neverReads(panel, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n")));
      const heap: number[] = [];
      const started = performance.now();
      let stats = await panelStats(panel);
      while (stats.streamsDropped < 10 && performance.now() - started < 60_000) {
        heap.push(await heapMiB(sim.port));
        await pause(1000);
        stats = await panelStats(panel);
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      assert.equal(stats.streamsDropped, 10, JSON.stringify(stats));
      assert.equal(stats.streams, 0);
      const after = await heapMiB(sim.port);
      assert.ok(Math.max(...heap) - base < 40, `heap ${base} → max ${Math.max(...heap)} MiB`);
      for (const page of pages) page.destroy();
      figures(`10 pages that never read at 100× speed (~400 KB/s of frames each): all dropped within ${seconds} s, ` +
        `heap ${base} → at most ${Math.max(...heap)} → ${after} MiB`);
    } finally {
      await stopSim(sim);
    }
  });

  it("caps the panel's sockets: 3,000 idle connections leave the API answering every request and the fds bounded", async () => {
    const { sim, panel } = await startWithPanel();
    const pid = sim.child.pid ?? -1;
    try {
      await pause(300);
      const baseline = openFds(pid);
      const held = [];
      for (let i = 0; i < 3000; i++) held.push(await idle(panel, "127.0.0.3"));
      const peak = openFds(pid);
      let served = 0;
      for (let i = 0; i < 80; i++) if (statusOf(await get(sim.port, "/healthz")) === "200") served++;
      for (const { socket } of held) socket.destroy();
      await eventually(() => openFds(pid) <= baseline + 2, 10_000, () => `fds ${openFds(pid)}, ${baseline} at the start`);
      const stats = await panelStats(panel);
      assert.equal(served, 80);
      assert.ok(peak - baseline <= 64 + 8, `fds ${baseline} → ${peak}`);
      assert.ok(stats.connectionsDropped >= 3000 - 64, JSON.stringify(stats));
      figures(`3,000 idle panel connections: ${served} of 80 API requests served (was 0 of 80), fds ${baseline} → ${peak}, ` +
        `${stats.connectionsDropped} closed by the cap`);
    } finally {
      await stopSim(sim);
    }
  });

  it("caps the API's sockets per address: 3,000 idle connections from one address leave the panel and other clients served", async () => {
    const { sim, panel } = await startWithPanel();
    const pid = sim.child.pid ?? -1;
    try {
      await pause(300);
      const baseline = openFds(pid);
      const held = [];
      for (let i = 0; i < 3000; i++) held.push(await idle(sim.port, "127.0.0.2"));
      const peak = openFds(pid);
      let served = 0;
      for (let i = 0; i < 40; i++) if (statusOf(await get(sim.port, "/healthz")) === "200") served++;
      const stats = await panelStats(panel);
      for (const { socket } of held) socket.destroy();
      assert.equal(served, 40);
      assert.ok(peak - baseline <= 128 + 8, `fds ${baseline} → ${peak}`);
      assert.ok(stats.framesSent > 0);
      figures(`3,000 idle API connections from 127.0.0.2: ${served} of 40 requests from 127.0.0.1 served, fds ${baseline} → ${peak}`);
    } finally {
      await stopSim(sim);
    }
  });
});
