import { join } from "node:path";
import { projectRoot } from "../../tools/cli/paths.js";
import { Mcsim, freePort, hasXvfb } from "../../tools/moddable/mcsim.js";
import { LinPreferences } from "../../tools/moddable/preferences.js";
import { buildPath, findSdk, manifestCopy, mcconfig, preloadWarnings, type Sdk } from "../../tools/moddable/sdk.js";
import { XsbugLog } from "../../tools/moddable/xsbug.js";
import { promtoolFindings, promtoolMissing } from "../node/promtool.js";
import * as assert from "../support/assert.js";

// The unmodified manifest built by the real SDK for its desktop target and run in mcsim: the gateway on
// stillheap's simulated board, its HTTP API on ECMA-419 sockets (networking in depth: lin-net.test.ts). Then a user's app that declares its own
// sensors in its manifest, and a fork whose declaration is refused.
const TOKEN = "moddable-test-token";
const SENSORS = ["sht3x", "bmp280", "tmp117", "lis3dh"];
const CONFIG_BODY = "{\"sensors\":{\"sht3x\":{\"periodMs\":500}}}";
/** tests/moddable/myboard-app: its manifest's config.sensors, on the board its config.scenario describes. */
const MYBOARD = ["outdoor", "pressure", "door"];
const found = findSdk();
const missing = !found.ok ? found.reason : !hasXvfb() ? "xvfb-run is not installed (mcsim needs a display)" : undefined;

interface Readings {
  readonly sensors: Record<string, { readonly produced: number; readonly delivered: number } & Record<string, { readonly latest?: number }>>;
}

async function get(url: string): Promise<{ status: number; body: string; length: string | null }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.text(), length: response.headers.get("content-length") };
}

/** The value of an unlabelled Prometheus sample, or NaN. */
function metric(text: string, name: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
}

/** GET /v1/readings until every sensor in `names` has delivered, or 20 s; each body arrives whole. */
async function readingsOf(base: string, names: readonly string[]): Promise<Readings> {
  let readings: Readings = { sensors: {} };
  const end = Date.now() + 20_000;
  while (Date.now() < end && !names.every((s) => (readings.sensors[s]?.delivered ?? 0) > 0)) {
    const answer = await get(`${base}/v1/readings`);
    assert.equal(answer.status, 200);
    assert.equal(Number(answer.length), Buffer.byteLength(answer.body), "Content-Length matches the body received");
    readings = JSON.parse(answer.body) as Readings; // a body cut at the socket's buffer would not parse
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return readings;
}

/** The sensor labels of a /metrics family, in order. */
function sensorLabels(text: string, family: string): string[] {
  return [...text.matchAll(new RegExp(`^${family}\\{sensor="([^"]+)"\\} `, "gm"))].map((m) => m[1] ?? "");
}

/**
 * Builds the gateway for lin with a fresh port and the test token, then runs it in mcsim until `body` is done; then
 * checks xsl printed no preload warning (after the run, so a warning does not hide what the run shows).
 */
async function withGateway(sdk: Sdk, variant: "release" | "instrument", body: (base: string) => Promise<void>,
  config: readonly string[] = []): Promise<string> {
  const port = await freePort();
  const flags = variant === "instrument" ? ["-i"] : [];
  const build = await mcconfig(sdk, [...flags, "-m", "-p", "lin", `httpPort=${port}`, `apiToken=${TOKEN}`, ...config]);
  assert.equal(build.status, 0, `mcconfig ${flags.join(" ")} -m -p lin failed:\n${build.output.slice(-4000)}`);
  const mcsim = new Mcsim(sdk, join(buildPath("bin", "lin", variant), "mc.so"));
  const base = `http://127.0.0.1:${port}`;
  try {
    await mcsim.waitFor(`${base}/healthz`, 30_000);
    await body(base);
  } finally {
    await mcsim.stop();
  }
  assert.deepEqual(preloadWarnings(build.output), [], "xsl warned about stillheap's preloaded modules");
  return build.output;
}

/** Runs the release build in mcsim until `body` is done. */
async function inMcsim(sdk: Sdk, base: string, body: () => Promise<void>): Promise<string> {
  const mcsim = new Mcsim(sdk, join(buildPath("bin", "lin", "release"), "mc.so"));
  try {
    await mcsim.waitFor(`${base}/healthz`, 30_000);
    await body();
  } finally {
    await mcsim.stop();
  }
  return mcsim.output;
}

/** GET /v1/config's document under the token. */
async function settingsOf(base: string): Promise<{ sensors: Record<string, { periodMs: number }> }> {
  const answer = await fetch(`${base}/v1/config`, { headers: { Authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(5000) });
  assert.equal(answer.status, 200);
  return (await answer.json()) as { sensors: Record<string, { periodMs: number }> };
}

describe("Moddable SDK: mcconfig -p lin, the gateway in mcsim", function () {
  this.timeout(900_000);
  if (missing !== undefined || !found.ok) {
    it.skip(`builds and runs the gateway in mcsim — skipped: ${missing ?? "no SDK"}`);
    return;
  }
  const sdk = found.value;

  it("builds unmodified and preload-clean, samples all four sensors and answers readings, metrics and config", async () => {
    await withGateway(sdk, "release", async (base) => {
      const readings = await readingsOf(base, SENSORS);
      assert.deepEqual(Object.keys(readings.sensors), SENSORS, "the default scenario's declaration");
      for (const sensor of SENSORS) assert.ok((readings.sensors[sensor]?.delivered ?? 0) > 0, `${sensor} delivered samples`);
      const metrics = await get(`${base}/metrics`);
      assert.equal(metrics.status, 200);
      assert.ok(metrics.body.length > 1024, "larger than the desktop socket's 1 KB transmit buffer");
      assert.ok(metrics.body.endsWith("\n") && metric(metrics.body, "stillheap_uptime_seconds") > 0, metrics.body.slice(-200));
      const config = (auth: Record<string, string>): Promise<Response> => fetch(`${base}/v1/config`,
        { method: "POST", headers: auth, body: CONFIG_BODY, signal: AbortSignal.timeout(5000) });
      assert.equal((await config({})).status, 401);
      assert.equal((await config({ Authorization: "Bearer wrong-token-0000" })).status, 401);
      const applied = await config({ Authorization: `Bearer ${TOKEN}` });
      assert.equal(applied.status, 200, await applied.text());
      const settings = await fetch(`${base}/v1/config`, { headers: { Authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(5000) });
      const applies = (await settings.json()) as { sensors: Record<string, { periodMs: number }> };
      assert.equal(applies.sensors["sht3x"]?.periodMs, 500, "GET /v1/config shows the period applied");
    });
  });

  it("keeps a setting applied with POST /v1/config across an mcsim restart in the SDK's Preference; a corrupt record is counted and the declaration's used", async () => {
    // A domain of this run's own: every lin build on the machine shares the SDK's one preferences file.
    const domain = `t${process.pid.toString(36)}${Date.now().toString(36).slice(-5)}`.slice(0, 15);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const build = await mcconfig(sdk, ["-m", "-p", "lin", `httpPort=${port}`, `apiToken=${TOKEN}`, `settingsDomain=${domain}`]);
    assert.equal(build.status, 0, `mcconfig -m -p lin failed:\n${build.output.slice(-4000)}`);
    const preferences = await LinPreferences.of("release");
    let declared: unknown;
    try {
      await inMcsim(sdk, base, async () => {
        declared = await settingsOf(base);
        const applied = await fetch(`${base}/v1/config`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}` }, body: CONFIG_BODY,
          signal: AbortSignal.timeout(5000) });
        assert.equal(applied.status, 200, await applied.text());
        // The first change after boot is written at the keeper's next check (once a second).
        let writes = 0;
        const end = Date.now() + 10_000;
        while (Date.now() < end && writes < 1) {
          writes = metric((await get(`${base}/metrics`)).body, "stillheap_settings_writes_total");
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        assert.equal(writes, 1, "the keeper wrote the change");
      });
      const record = preferences.bytes(domain, "slot0");
      assert.ok(record !== undefined, `a record under ${domain}/slot0 in ${preferences.path}`);
      assert.equal(Buffer.from(record.subarray(0, 4)).toString("latin1"), "SHR1", "the record's magic");
      const restarted = await inMcsim(sdk, base, async () => {
        assert.equal((await settingsOf(base)).sensors["sht3x"]?.periodMs, 500, "the period applied before the restart");
        assert.equal(metric((await get(`${base}/metrics`)).body, "stillheap_settings_corrupt_records"), 0);
      });
      assert.ok(!restarted.includes("settings record"), restarted);
      record[20] = (record[20] ?? 0) ^ 0x01; // a payload bit: the CRC no longer matches
      preferences.setBytes(domain, "slot0", record);
      await inMcsim(sdk, base, async () => {
        assert.deepEqual(await settingsOf(base), declared, "the declaration's settings");
        assert.equal(metric((await get(`${base}/metrics`)).body, "stillheap_settings_corrupt_records"), 1, "the corrupt record counted");
      });
    } finally {
      preferences.deleteDomain(domain);
    }
    assert.deepEqual(preloadWarnings(build.output), [], "xsl warned about stillheap's preloaded modules");
  });

  it("reads the instrumented build's memory figures as that build reports them, in /metrics that promtool passes", async function () {
    const noPromtool = promtoolMissing();
    await withGateway(sdk, "instrument", async (base) => {
      const metrics = (await get(`${base}/metrics`)).body;
      const slots = metric(metrics, "stillheap_memory_slots");
      const chunks = metric(metrics, "stillheap_memory_chunk_bytes");
      // Instrumentation gives slot-heap bytes; the manifest's xsSlotBytes for lin (32, a 64-bit build) makes slots.
      assert.ok(Number.isInteger(slots) && slots > 1000 && slots < 65_536, `slots ${slots}`);
      assert.ok(chunks > 0, `chunk bytes ${chunks}`);
      // The host resets its collection count every second: there is no total, only the current interval's.
      assert.ok(!metrics.includes("stillheap_gc_cycles_total"), "no total: the series is left out, not -1");
      assert.ok(metric(metrics, "stillheap_gc_cycles_recent") >= 0, metrics);
      if (noPromtool === undefined) assert.equal(promtoolFindings(metrics), "", metrics);
      else if (this.test !== undefined) this.test.title += ` [promtool not run: ${noPromtool}]`;
    });
  });

  it("builds a user's app whose manifest declares myboard's sensors, and serves outdoor, pressure and door", async () => {
    const port = await freePort();
    const app = join(projectRoot, "tests", "moddable", "myboard-app");
    const build = await mcconfig(sdk, ["-m", "-p", "lin", `httpPort=${port}`], { cwd: app, env: { STILLHEAP: projectRoot } });
    assert.equal(build.status, 0, `the myboard app did not build:\n${build.output.slice(-4000)}`);
    const mcsim = new Mcsim(sdk, join(buildPath("bin", "lin", "release", "myboard-app"), "mc.so"));
    const base = `http://127.0.0.1:${port}`;
    try {
      await mcsim.waitFor(`${base}/healthz`, 30_000);
      const readings = await readingsOf(base, MYBOARD);
      assert.deepEqual(Object.keys(readings.sensors), MYBOARD, "the declared sensors, in order, and no others");
      for (const name of MYBOARD) assert.ok((readings.sensors[name]?.delivered ?? 0) > 0, `${name} delivered samples`);
      // The SHT3x at 0x45 on the second bus (GP6/GP7) reads the scenario's 12.5 °C; the door contact on GP15 was pressed.
      assert.equal(readings.sensors["outdoor"]?.["temperatureC"]?.latest, 12.5);
      const end = Date.now() + 10_000;
      let presses = 0;
      while (Date.now() < end && presses < 1) {
        presses = (JSON.parse((await get(`${base}/v1/readings/door`)).body) as Record<string, { latest?: number }>)["presses"]?.latest ?? 0;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.equal(presses, 1, "the press the scenario makes on GP15 at 1.5 s");
      const metrics = (await get(`${base}/metrics`)).body;
      assert.deepEqual(sensorLabels(metrics, "stillheap_samples_delivered_total"), MYBOARD);
      assert.deepEqual(sensorLabels(metrics, "stillheap_sensor_up"), MYBOARD);
    } finally {
      await mcsim.stop();
    }
    assert.deepEqual(preloadWarnings(build.output), [], "xsl warned about stillheap's preloaded modules");
  });

  it("refuses a declaration that gives one GPIO two roles: traces the error naming config.sensors[3] and opens nothing; reports a retired flat key", async () => {
    const fork = "lin-refused";
    const app = manifestCopy(fork, (manifest) => {
      const lin = manifest.platforms["lin"];
      assert.ok(lin !== undefined, "manifest.json has a lin platform");
      lin.config = { ...lin.config, sensors: [
        { name: "sht3x", type: "sht3x" }, { name: "bmp280", type: "bmp280" },
        { name: "tmp117", type: "tmp117", pins: { alert: 16 } }, { name: "lis3dh", type: "lis3dh", pins: { int1: 16 } },
      ] };
    });
    const port = await freePort();
    // A debug build, for its trace: it logs to an xsbug at XSBUG_HOST:XSBUG_PORT. `-t build`: make's default
    // target for a debug build would stop every running mcsim and start its own.
    const build = await mcconfig(sdk, ["-d", "-m", "-p", "lin", "-t", "build", `httpPort=${port}`, "sht3xPeriodMs=500"], { cwd: app, env: { STILLHEAP: projectRoot } });
    assert.equal(build.status, 0, `the fork did not build:\n${build.output.slice(-4000)}`);
    const log = new XsbugLog();
    await log.listen();
    const mcsim = new Mcsim(sdk, join(buildPath("bin", "lin", "debug", fork), "mc.so"), log.env);
    try {
      await log.waitFor("sensor declaration refused", 30_000);
      assert.ok(log.output.includes("stillheap: sensor declaration refused, nothing opened: config.sensors[3].pins.int1: GPIO 16 is already used by config.sensors[2].pins.alert"), log.output);
      assert.ok(log.output.includes("stillheap: config.sht3xPeriodMs is no longer read"), `a retired flat key is reported:\n${log.output}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.ok(!mcsim.exited, `mcsim still runs: the entry stopped, the VM did not crash\n${mcsim.output}`);
      assert.ok(!log.output.includes("sensor gateway on"), `nothing was started:\n${log.output}`);
      const answered = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) }).then(() => true, () => false);
      assert.equal(answered, false, "no HTTP server was opened");
    } finally {
      await mcsim.stop();
      await log.close();
    }
  });
});
