// Node only: the panel's server side is Node's http module; here in process, on the simulator's virtual clock.
import { spawnSync } from "node:child_process";
import { Gateway } from "../../src/app/index.js";
import { HISTORY_FRAMES, FRAME_EVERY_MS, type SensorTargets } from "../../hosts/node/panel/frames.js";
import { parseInject } from "../../hosts/node/panel/server.js";
import { SimPanel } from "../../hosts/node/panel/sim-panel.js";
import { defaultScenario } from "../../simulator/default-scenario.js";
import { declaredSensors } from "../../hosts/sim/gateway.js";
import { loadScenario } from "../../simulator/scenario.js";
import type { Simulation } from "../../simulator/simulation.js";
import { timerApi } from "../../simulator/timer.js";
import * as assert from "../support/assert.js";
import { cli } from "./sim-process.js";

const TARGETS: SensorTargets = new Map([["sht3x", { address: 0x44, bus: "default" }], ["bmp280", { address: 0x76, bus: "default" }],
  ["tmp117", { address: 0x48, bus: "default" }], ["lis3dh", { address: 0x18, bus: "default" }]]);

function request(port: number, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}${path}`, { ...init, signal: AbortSignal.timeout(5000) });
}

describe("the panel's server side", function () {
  this.timeout(30_000);
  let sim: Simulation;
  let gateway: Gateway;
  let panel: SimPanel;
  let port: number;

  beforeEach(async () => {
    sim = loadScenario(defaultScenario);
    const clock = { nowMs: () => sim.clock.now };
    gateway = new Gateway({ device: sim.device, timer: timerApi(() => sim.clock), clock, sensors: declaredSensors(sim, defaultScenario.sensors, "$.sensors") });
    panel = new SimPanel({ gateway, sim, targets: TARGETS }, 0);
    port = await panel.start();
    gateway.start();
  });

  afterEach(async () => {
    gateway.stop();
    await panel.stop();
  });

  it("records a frame every half virtual second and keeps a bounded history", () => {
    sim.clock.advance(5000);
    const frames = panel.server.history();
    assert.equal(frames.length, 5000 / FRAME_EVERY_MS + 1);
    // The first frame comes when start-up's bus transactions have taken their virtual time; then every half second.
    assert.equal((frames[2]?.t ?? 0) - (frames[1]?.t ?? 0), FRAME_EVERY_MS);
    assert.deepEqual(frames[frames.length - 1]?.sensors.map((s) => s.name), ["sht3x", "bmp280", "tmp117", "lis3dh"]);
    sim.clock.advance((HISTORY_FRAMES + 10) * FRAME_EVERY_MS);
    const kept = panel.server.history();
    assert.equal(kept.length, HISTORY_FRAMES);
    assert.equal((kept[kept.length - 1]?.t ?? 0) - (kept[0]?.t ?? 0), (HISTORY_FRAMES - 1) * FRAME_EVERY_MS);
  });

  it("turns an injected NACK into a named fault window, counted drops, then deliveries again", () => {
    sim.clock.advance(2000);
    const from = sim.clock.now;
    assert.equal(panel.inject({ sensor: "sht3x", kind: "nack-address", durationMs: 2000 }), undefined);
    sim.clock.advance(2500);
    const during = panel.recorder.read();
    assert.deepEqual(during.windows, [{ kind: "nack-address", sensor: "sht3x", fromMs: from, untilMs: from + 2000 }]);
    const sht = during.sensors.find((s) => s.name === "sht3x");
    assert.ok((sht?.dropped["nack"] ?? 0) >= 1, JSON.stringify(sht));
    assert.deepEqual(during.sensors.filter((s) => s.name !== "sht3x").map((s) => s.dropped["nack"] ?? 0), [0, 0, 0]);
    sim.clock.advance(2000);
    const after = panel.recorder.read().sensors.find((s) => s.name === "sht3x");
    assert.ok((after?.delivered ?? 0) > (sht?.delivered ?? 0), `delivered ${sht?.delivered} → ${after?.delivered}`);
  });

  it("says on Node that the XS counters are not measured, rather than plotting zeros", () => {
    sim.clock.advance(1000);
    const { memory } = panel.recorder.read();
    assert.deepEqual([memory.exact, memory.slotsUsed, memory.gcCount], [false, -1, -1]);
    assert.ok(memory.chunkBytesUsed > 0, "the host heap is measured");
  });

  it("refuses an unknown sensor (404) or kind (400) and a malformed request", () => {
    assert.deepEqual(panel.inject({ sensor: "pir", kind: "nack-address", durationMs: 1000 })?.status, 404);
    assert.ok(/no sensor "pir"/.test(panel.inject({ sensor: "pir", kind: "nack-address", durationMs: 1000 })?.error ?? ""));
    assert.equal(panel.inject({ sensor: "sht3x", kind: "interrupt-storm", durationMs: 1000 })?.status, 400);
    assert.ok(/kind must be one of/.test(panel.inject({ sensor: "sht3x", kind: "interrupt-storm", durationMs: 1000 })?.error ?? ""));
    assert.ok(/not JSON/.test(String(parseInject("{"))));
    assert.ok(/durationMs/.test(String(parseInject('{"sensor":"sht3x","kind":"vanish","durationMs":0}'))));
    assert.deepEqual(parseInject('{"sensor":"sht3x","kind":"vanish","durationMs":5}'), { sensor: "sht3x", kind: "vanish", durationMs: 5 });
    assert.equal(sim.faults.all.length, 0);
  });

  it("serves the page and its library, and takes faults as JSON only", async () => {
    for (const path of ["/", "/app.js", "/plots.js", "/view.js", "/panel.css", "/vendor/uPlot.esm.js", "/vendor/uPlot.min.css"]) {
      assert.equal((await request(port, path)).status, 200, path);
    }
    assert.equal((await request(port, "/secrets")).status, 404);
    const body = JSON.stringify({ sensor: "sht3x", kind: "nack-address", durationMs: 1000 });
    assert.equal((await request(port, "/v1/inject", { method: "POST", body, headers: { "Content-Type": "text/plain" } })).status, 415);
    assert.equal(sim.faults.all.length, 0);
    assert.equal((await request(port, "/v1/inject", { method: "POST", body, headers: { "Content-Type": "application/json" } })).status, 200);
    assert.equal(sim.faults.all.length, 1);
  });

  it("opens the event stream with the history, then sends frames as virtual time passes", async () => {
    sim.clock.advance(1000);
    const response = await request(port, "/events");
    const reader = response.body?.getReader();
    assert.ok(reader !== undefined, "a streamed body");
    let text = "";
    const deadline = Date.now() + 5000;
    while (!text.includes("event: frame") && Date.now() < deadline) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
      if (text.includes("event: hello")) sim.clock.advance(FRAME_EVERY_MS);
    }
    await reader.cancel();
    assert.ok(/event: hello\ndata: \{"run":"[^"]+".*"backlog":\d+\}\n\nevent: frame\ndata: \{"t":\d/.test(text), text.slice(0, 300));
    assert.ok(text.includes("event: frame"), "the backlog's frames after the hello");
  });
});

describe("stillheap sim --panel-port", () => {
  it("refuses a port that is not one, with exit 2", () => {
    const result = spawnSync(process.execPath, [cli, "sim", "--panel-port", "http"], { encoding: "utf8", timeout: 20_000 });
    assert.equal(result.status, 2, result.stderr);
    assert.ok(result.stderr.includes("--panel-port needs a TCP port"), result.stderr);
  });
});
