import { DEFAULT_SENSORS, SENSOR_TYPES, type SensorChannel, type SensorType } from "../../src/app/index.js";
import { DriverCounters, SampleStatus } from "../../src/drivers/common/errors.js";
import { engine } from "../../src/engine/index.js";
import type { FaultKind } from "../../simulator/faults.js";
import * as assert from "../support/assert.js";
import { SCENARIO, startGateway, type Harness } from "./gateway-harness.js";

const ADDRESSES: Readonly<Record<string, number>> = Object.freeze({ sht3x: 0x44, bmp280: 0x76, tmp117: 0x48, lis3dh: 0x18 });
const TRANSIENT: ReadonlyArray<{ kind: FaultKind; bytes?: number; latencyMs?: number; value?: number }> = [
  { kind: "nack-address" }, { kind: "nack-after-bytes", bytes: 1 }, { kind: "bus-stuck" }, { kind: "crc-corruption" },
  { kind: "vanish" }, { kind: "clock-stretch", latencyMs: 40 }, { kind: "out-of-range", value: -300 },
];

function sensor(harness: Harness, name: string): SensorChannel {
  const found = harness.gateway.channels.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no sensor ${name}`);
  return found;
}

function body(response: string): string {
  return response.slice(response.indexOf("\r\n\r\n") + 4);
}

describe("sensor gateway under faults", () => {
  for (const name of Object.keys(ADDRESSES)) {
    it(`${name}: delivers again after a one-second window of every transient fault kind, every sample accounted`, () => {
      for (const fault of TRANSIENT) {
        if (name === "lis3dh" && fault.kind === "out-of-range") continue; // its model has axes, not one signal to override
        const harness = startGateway();
        harness.sim.inject({ ...fault, address: ADDRESSES[name] ?? -1, atMs: 1000, untilMs: 2000 });
        harness.sim.clock.advance(4000);
        const s = sensor(harness, name);
        const before = s.delivered;
        harness.sim.clock.advance(6000);
        const expected = name === "lis3dh" ? 60 : 6000 / s.periodMs; // the LIS3DH runs at 10 Hz, the others per period
        assert.ok(s.delivered - before >= expected * 0.8, `${fault.kind}: ${s.delivered - before} delivered in 6 s after the fault, want ≈${expected}`);
        for (const each of harness.gateway.channels) assert.equal(each.produced, each.delivered + each.droppedTotal, `${fault.kind}: ${each.name}`);
        assert.ok(body(harness.request("GET /healthz HTTP/1.1\r\n\r\n")).includes("\"status\":\"ok\""), `${fault.kind}: healthy again`);
      }
    });
  }

  it("accounts for every TMP117 sample whatever the value, −256 °C and below included", () => {
    const harness = startGateway();
    const values = [-300, -256, -255.99, -55.5, 150.5, 5000];
    values.forEach((value, i) => harness.sim.inject({ kind: "out-of-range", address: 0x48, value, atMs: 2000 + i * 2000, untilMs: 3000 + i * 2000 }));
    harness.sim.clock.advance(1500);
    // The step at start comes before the first conversion: that one is "not ready", and the only one.
    const notReadyBefore = sensor(harness, "tmp117").dropped[SampleStatus.notReady] ?? 0;
    harness.sim.clock.advance(14_500);
    const tmp117 = sensor(harness, "tmp117");
    assert.equal(tmp117.produced, tmp117.delivered + tmp117.droppedTotal);
    assert.equal(tmp117.produced, tmp117.counters.attempts, "every attempt the driver made is a sample produced");
    assert.ok((tmp117.dropped[SampleStatus.outOfRange] ?? 0) >= values.length, `out of range: ${tmp117.dropped[SampleStatus.outOfRange] ?? 0}`);
    assert.ok(notReadyBefore <= 1, `not ready before the first conversion: ${notReadyBefore}`);
    assert.equal(tmp117.dropped[SampleStatus.notReady], notReadyBefore, "once converting, −256 °C is a value out of range, not \"no conversion yet\"");
  });

  it("accounts for TMP117 alerts an interrupt storm read while its ring was full, as drops", () => {
    const harness = startGateway();
    harness.sim.inject({ kind: "interrupt-storm", pin: 16, atMs: 1000, untilMs: 2000, edgesPerMs: 20 });
    harness.sim.clock.advance(5000);
    const tmp117 = sensor(harness, "tmp117");
    assert.ok(tmp117.counters.dropped > 0, "the storm overflowed the alert ring");
    assert.equal(tmp117.dropped[SampleStatus.dropped], tmp117.counters.dropped);
    assert.equal(tmp117.produced, tmp117.delivered + tmp117.droppedTotal);
    assert.equal(tmp117.produced, tmp117.counters.attempts + tmp117.counters.dropped, "every record read is accounted");
  });

  it("keeps sampling with every period at 10 s: the watchdog waits longer than the shortest period", () => {
    const harness = startGateway();
    harness.gateway.apply({ periodMs: Float64Array.of(10_000, 10_000, 10_000, 10_000), settings: [] });
    harness.sim.clock.advance(120_000);
    assert.equal(harness.gateway.watchdog.restarts, 0, "no restart");
    assert.equal(harness.gateway.watchdog.gaveUp, 0);
    for (const each of harness.gateway.channels) assert.ok(each.delivered >= 11, `${each.name}: ${each.delivered}`);
    assert.ok(body(harness.request("GET /healthz HTTP/1.1\r\n\r\n")).includes("\"status\":\"ok\""));
  });

  it("reports a sensor that stopped delivering as degraded, with the reason, until it delivers again", () => {
    const harness = startGateway();
    harness.sim.inject({ kind: "nack-address", address: 0x18, atMs: 2000, untilMs: 20_000 });
    harness.sim.clock.advance(10_000);
    const health = JSON.parse(body(harness.request("GET /healthz HTTP/1.1\r\n\r\n"))) as { status: string; reasons: string[] };
    assert.equal(health.status, "degraded");
    assert.deepEqual(health.reasons, ["lis3dh: no sample delivered for three periods"]);
    const metrics = harness.request("GET /metrics HTTP/1.1\r\n\r\n");
    assert.ok(metrics.includes("stillheap_sensor_up{sensor=\"lis3dh\"} 0\n"), metrics);
    assert.ok(/stillheap_samples_dropped_total\{sensor="lis3dh",reason="nack"\} [1-9]/.test(metrics), metrics);
    harness.sim.clock.advance(15_000);
    assert.ok(body(harness.request("GET /healthz HTTP/1.1\r\n\r\n")).includes("\"status\":\"ok\""), "recovered");
    assert.ok(harness.request("GET /metrics HTTP/1.1\r\n\r\n").includes("stillheap_sensor_up{sensor=\"lis3dh\"} 1\n"));
  });

  it("keeps the other sensors sampling when one's step throws, counted, the failing one reported stalled", () => {
    let broken = false;
    const flaky: SensorType = { type: "flaky", addresses: [], maxHz: 0, pins: [], settings: [], readings: ["value"],
      period: { key: "periodMs", low: 100, high: 10_000, fallback: 1000 },
      open: () => ({ counters: new DriverCounters(), configure: () => undefined, close: () => undefined,
        step(sink, nowMs) {
          if (broken) throw new Error("a driver bug");
          sink.values[0] = 1;
          sink.take(SampleStatus.ok, nowMs);
        } }) };
    const harness = startGateway({ types: [...SENSOR_TYPES, flaky],
      scenario: { ...SCENARIO, sensors: [...DEFAULT_SENSORS, { name: "flaky", type: "flaky" }] } });
    harness.sim.clock.advance(2000);
    broken = true;
    const sht3x = sensor(harness, "sht3x").delivered;
    harness.sim.clock.advance(8000);
    assert.ok(sensor(harness, "sht3x").delivered - sht3x >= 7, "the others keep sampling");
    assert.ok(harness.gateway.samplingFailures >= 7, `${harness.gateway.samplingFailures} failed steps counted`);
    const health = JSON.parse(body(harness.request("GET /healthz HTTP/1.1\r\n\r\n"))) as { reasons: string[] };
    assert.deepEqual(health.reasons, ["flaky: no sample delivered for three periods"]);
    assert.ok(/stillheap_sampling_failures_total [1-9]/.test(harness.request("GET /metrics HTTP/1.1\r\n\r\n")));
  });

  it("reports a watchdog that gave up as degraded, in /healthz and /metrics", () => {
    const harness = startGateway();
    harness.gateway.watchdog.watch({ name: "never fed", timeoutMs: 1000, restart: () => undefined });
    harness.sim.clock.advance(10_000);
    const health = JSON.parse(body(harness.request("GET /healthz HTTP/1.1\r\n\r\n"))) as { status: string; reasons: string[] };
    assert.equal(health.status, "degraded");
    assert.deepEqual(health.reasons, ["the watchdog gave up restarting the sampling loop"]);
    const metrics = harness.request("GET /metrics HTTP/1.1\r\n\r\n");
    assert.ok(metrics.includes("stillheap_watchdog_restarts_total 3\n"), metrics);
    assert.ok(metrics.includes("stillheap_watchdog_gave_up_total 1\n"), metrics);
  });

  it("reports only the memory figures the engine measures: XS chunk bytes and slots on XS, the host's heap elsewhere", () => {
    const harness = startGateway();
    const metrics = harness.request("GET /metrics HTTP/1.1\r\n\r\n");
    const value = (name: string): number => Number(new RegExp(`^${name} (-?\\d+)$`, "m").exec(metrics)?.[1]);
    const has = (name: string): boolean => metrics.includes(`\n# TYPE ${name} `);
    if (engine().exactMemory) {
      assert.ok(value("stillheap_memory_chunk_bytes") > 0 && value("stillheap_memory_slots") > 0, metrics);
      assert.ok(value("stillheap_gc_cycles_total") >= 0, metrics);
      assert.ok(!has("stillheap_memory_host_heap_bytes"), "no host heap apart from XS's own");
    } else {
      assert.ok(!has("stillheap_memory_chunk_bytes") && !has("stillheap_memory_slots"), "V8's heap is not XS chunks");
      assert.ok(!has("stillheap_gc_cycles_total"), "V8 keeps no collection count: no series, not -1");
      assert.ok(value("stillheap_memory_host_heap_bytes") > 0, metrics);
    }
    assert.ok(!/ -\d/.test(metrics), "no negative value stands for a figure not measured");
  });

  it("fits /metrics in its buffer with every sensor dropping for every reason", () => {
    const harness = startGateway();
    for (const each of harness.gateway.channels) {
      for (let r = 1; r < each.dropped.length; r++) {
        each.dropped[r] = 4_000_000_000;
        each.counters.faults[r] = 4_000_000_000;
      }
      each.produced = each.delivered = 4_000_000_000;
    }
    const metrics = harness.request("GET /metrics HTTP/1.1\r\n\r\n");
    assert.ok(metrics.startsWith("HTTP/1.1 200"), metrics.slice(0, 200));
    assert.ok(metrics.includes("stillheap_samples_dropped_total{sensor=\"lis3dh\",reason=\"dropped\"} 4000000000\n"));
  });
});
