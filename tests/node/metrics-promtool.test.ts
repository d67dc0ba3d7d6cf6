import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { distDir } from "../../tools/cli/paths.js";
import { DEFAULT_XS_SIZES, runXs } from "../../tools/cli/xs-run.js";
import { SCENARIO, startGateway, type Harness } from "../app/gateway-harness.js";
import { telemetry } from "../app/telemetry-harness.js";
import * as assert from "../support/assert.js";
import { skipBecause } from "../support/engines.js";
import { freePort } from "./mosquitto.js";
import { bodyOf, PrometheusServer, promtoolFindings, promtoolMissing } from "./promtool.js";
import { get, startSim } from "./sim-process.js";

// Node only: promtool is a program run beside the test. The gateway's /metrics, scraped in the states that change
// which series exist, must pass Prometheus's own linter, carry no negative value and no counter that went down.

const missing = promtoolMissing();

function needPromtool(context: Mocha.Context): void {
  if (missing !== undefined) skipBecause(context, missing);
}

function scrape(harness: Harness): string {
  const response = harness.request("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  assert.ok(response.startsWith("HTTP/1.1 200"), response.slice(0, 200));
  return bodyOf(response);
}

/** Each sample line's series (name and labels) and value. */
function samples(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    found.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return found;
}

function matches(text: string, pattern: RegExp): void {
  assert.ok(pattern.test(text), `${String(pattern)} not in:\n${text}`);
}

function counterNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/^# TYPE (\S+) counter$/gm)) names.add(match[1] ?? "");
  return names;
}

/** promtool-clean, every value a number ≥ 0, and (given the scrape before) no counter lower than it was. */
function expectClean(text: string, what: string, before?: string): void {
  assert.equal(promtoolFindings(text), "", `${what}:\n${text}`);
  for (const [series, value] of samples(text)) assert.ok(value >= 0, `${what}: ${series} ${value}`);
  if (before === undefined) return;
  const counters = counterNames(text);
  const earlier = samples(before);
  for (const [series, value] of samples(text)) {
    const name = series.replace(/\{.*$/, "");
    const was = earlier.get(series);
    if (counters.has(name) && was !== undefined) assert.ok(value >= was, `${what}: counter ${series} went from ${was} to ${value}`);
  }
}

type Target = { health: string; lastError: string; labels: { instance: string } };

/** Every target once the server has scraped each (health no longer "unknown"); fails after 30 s. */
async function scraped(prometheus: PrometheusServer, count: number): Promise<Target[]> {
  const end = Date.now() + 30_000;
  let said = "";
  while (Date.now() < end) {
    try {
      const targets = (await prometheus.api<{ data: { activeTargets: Target[] } }>("/api/v1/targets")).data.activeTargets;
      if (targets.length === count && targets.every((t) => t.health !== "unknown")) return targets;
      said = JSON.stringify(targets);
    } catch (error: unknown) {
      said = String(error); // not listening yet: asked again below
    }
    await new Promise((wait) => setTimeout(wait, 250));
  }
  throw new Error(`Prometheus did not scrape every target in 30 s (${said}): ${prometheus.log}`);
}

/** A loopback HTTP server answering every request with `text` as Prometheus text, for a control target. */
async function serving(text: string): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" }).end(text);
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { port, close: () => new Promise<void>((closed) => server.close(() => closed())) };
}

describe("/metrics as promtool checks it (Prometheus's conventions)", function () {
  this.timeout(30_000);

  it("is a checker that finds faults: an abbreviated unit, a counter without _total, a family without HELP", function () {
    needPromtool(this);
    matches(promtoolFindings("# HELP a_ms x.\n# TYPE a_ms gauge\na_ms 1\n"), /abbreviated units/);
    matches(promtoolFindings("# HELP a x.\n# TYPE a counter\na 1\n"), /_total/);
    matches(promtoolFindings("# TYPE a_total counter\na_total 1\n"), /no help text/);
  });

  it("passes fresh with no sensor found (no first sample yet), and once sampling (its series appears then)", function () {
    needPromtool(this);
    const empty = scrape(startGateway({ scenario: { ...SCENARIO, devices: [] } }));
    expectClean(empty, "no sensor found");
    assert.ok(!empty.includes("stillheap_boot_first_sample_seconds"), "no first-sample time before there is one");
    matches(empty, /^stillheap_sensor_start_failures 4$/m);
    const harness = startGateway();
    const fresh = scrape(harness);
    expectClean(fresh, "fresh");
    harness.sim.clock.advance(3000);
    const sampling = scrape(harness);
    expectClean(sampling, "after 3 s", fresh);
    matches(sampling, /^stillheap_boot_first_sample_seconds \d+\.\d{3}$/m);
    assert.ok(!sampling.includes("stillheap_gc_cycles_total"), "V8 keeps no collection count: the series is left out");
  });

  it("passes after faults of every kind, a sensor gone and a watchdog that gave up, counters never lower", function () {
    needPromtool(this);
    const harness = startGateway();
    harness.sim.inject({ kind: "crc-corruption", address: 0x44, atMs: 500, untilMs: 2500 });
    harness.sim.inject({ kind: "nack-address", address: 0x18, atMs: 1000, untilMs: 20_000 });
    harness.sim.inject({ kind: "bus-stuck", address: 0x76, atMs: 1500, untilMs: 3000 });
    harness.sim.inject({ kind: "clock-stretch", address: 0x48, atMs: 2000, untilMs: 4000, latencyMs: 40 });
    harness.gateway.watchdog.watch({ name: "never fed", timeoutMs: 1000, restart: () => undefined });
    let before = scrape(harness);
    for (let second = 1; second <= 12; second++) {
      harness.sim.clock.advance(1000);
      const now = scrape(harness);
      expectClean(now, `at ${second} s`, before);
      before = now;
    }
    matches(before, /^stillheap_samples_dropped_total\{sensor="sht3x",reason="crc"\} [1-9]/m);
    matches(before, /^stillheap_sensor_faults_total\{reason="nack"\} [1-9]/m);
    matches(before, /^stillheap_sensor_up\{sensor="lis3dh"\} 0$/m);
    matches(before, /^stillheap_watchdog_gave_up_total 1$/m);
    assert.ok(!/\{[^}]*kind=/.test(before), "status names under one label name, reason");
  });

  it("passes at its largest: every sensor dropping for every reason, 10-digit counters", function () {
    needPromtool(this);
    const harness = startGateway();
    harness.sim.clock.advance(1000);
    for (const each of harness.gateway.channels) {
      each.dropped.fill(4_000_000_000);
      each.counters.faults.fill(4_000_000_000);
      each.produced = each.delivered = 4_000_000_000;
    }
    expectClean(scrape(harness), "at its largest");
  });

  it("passes with the MQTT families: before the first CONNACK, connected, refused, and at their largest", function () {
    needPromtool(this);
    const waiting = telemetry({ noConnect: true });
    const first = scrape(waiting.harness);
    expectClean(first, "no CONNACK yet");
    assert.ok(!first.includes("stillheap_mqtt_connack_last_code"), "no last code before the first CONNACK");
    matches(first, /^stillheap_mqtt_connected 0$/m);

    const h = telemetry();
    h.harness.sim.clock.advance(3000);
    const connected = scrape(h.harness);
    expectClean(connected, "connected");
    matches(connected, /^stillheap_mqtt_connack_last_code 0$/m);
    matches(connected, /^stillheap_mqtt_published_total [1-9]/m);

    const big = 4_000_000_000;
    const client = h.mqtt.client;
    client.published = client.acknowledged = client.reconnects = client.keepAliveTimeouts = big;
    client.unknownAcks = client.connectTimeouts = client.subscriptions.refusals = big;
    client.refused.fill(big);
    client.outbox.dropped.fill(big);
    client.inboundDropped.fill(big);
    client.connacks.fill(big);
    client.lastReturnCode = 5;
    h.mqtt.configApplied = h.mqtt.configRefused = h.mqtt.configInvalid = big;
    h.mqtt.discoveryPublished = h.mqtt.discoveryRemoved = big;
    for (const each of h.harness.gateway.channels) each.dropped.fill(big);
    expectClean(scrape(h.harness), "MQTT at its largest", connected);
  });

  it("passes on the XS engine, with its chunk, slot and collection figures, sampling and at its largest", async function () {
    needPromtool(this);
    const dir = mkdtempSync(join(tmpdir(), "stillheap-promtool-xs-"));
    try {
      const entry = join(dir, "entry.js");
      writeFileSync(entry, [
        `import { installXsEngine } from ${JSON.stringify(join(distDir, "hosts", "xs", "host.js"))};`,
        "installXsEngine();",
        `const { startGateway } = await import(${JSON.stringify(join(distDir, "tests", "app", "gateway-harness.js"))});`,
        "const h = startGateway();",
        "h.sim.clock.advance(3000);",
        "const scrape = () => { const r = h.request('GET /metrics HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'); return r.slice(r.indexOf('\\r\\n\\r\\n') + 4); };",
        "xshost.print(scrape() + '=====');",
        "for (const each of h.gateway.channels) { each.dropped.fill(4e9); each.counters.faults.fill(4e9); each.produced = each.delivered = 4e9; }",
        "xshost.print(scrape());",
        "",
      ].join("\n"));
      const xs = await runXs({ entry, capture: true, ...DEFAULT_XS_SIZES });
      assert.equal(xs.exitCode, 0, xs.stderr);
      const [sampling = "", largest = ""] = xs.stdout.split("=====\n");
      expectClean(sampling, "XS, sampling");
      matches(sampling, /^stillheap_memory_slots [1-9]\d*$/m);
      matches(sampling, /^stillheap_gc_cycles_total \d+$/m);
      assert.ok(!sampling.includes("stillheap_memory_host_heap_bytes"), "no host heap apart from XS's own");
      expectClean(largest, "XS, at its largest", sampling);
      matches(largest, /^stillheap_samples_dropped_total\{sensor="lis3dh",reason="dropped"\} 4000000000$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("passes as `stillheap sim` serves it over HTTP, with the settings families of --state", async function () {
    needPromtool(this);
    const dir = mkdtempSync(join(tmpdir(), "stillheap-promtool-"));
    const server = await startSim(["--state", join(dir, "state.json")]);
    try {
      await new Promise((wait) => setTimeout(wait, 1500));
      const response = await get(server.port, "/metrics");
      assert.ok(response.startsWith("HTTP/1.1 200") && response.includes("Content-Type: text/plain; version=0.0.4"), response.slice(0, 300));
      const text = bodyOf(response);
      expectClean(text, "stillheap sim");
      matches(text, /^stillheap_settings_writes_total \d+$/m);
    } finally {
      server.child.kill("SIGINT");
      await server.exit;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is scraped by a real Prometheus server: the target up, no scrape error, its series queryable (a broken control target fails)", async function () {
    needPromtool(this); // the same package: promtool present means the server is too
    this.timeout(60_000);
    const server = await startSim([]);
    const control = await serving("# TYPE stillheap_control counter\nstillheap_control{reason=\"x} 1\n");
    const gateway = `127.0.0.1:${server.port}`;
    const prometheus = new PrometheusServer(await freePort(), [gateway, `127.0.0.1:${control.port}`]);
    try {
      type Vector = { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
      const targets = await scraped(prometheus, 2);
      const ours = targets.find((t) => t.labels.instance === gateway);
      const broken = targets.find((t) => t.labels.instance !== gateway);
      assert.ok(broken !== undefined && broken.health === "down" && broken.lastError !== "", `the control: ${JSON.stringify(broken)}`);
      assert.equal(ours?.lastError, "", "the server's parser took every line");
      assert.equal(ours?.health, "up");
      const up = await prometheus.api<Vector>("/api/v1/query?query=stillheap_sensor_up");
      assert.deepEqual(up.data.result.map((r) => `${r.metric["sensor"]}=${r.value[1]}`).sort(),
        ["bmp280=1", "lis3dh=1", "sht3x=1", "tmp117=1"]);
      const first = await prometheus.api<Vector>("/api/v1/query?query=stillheap_boot_first_sample_seconds");
      assert.ok(Number(first.data.result[0]?.value[1]) >= 0, JSON.stringify(first));
    } finally {
      await prometheus.stop();
      await control.close();
      server.child.kill("SIGINT");
      await server.exit;
    }
  });
});
