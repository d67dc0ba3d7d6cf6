import { readdirSync, readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { Mcsim, freePort, hasXvfb } from "../../tools/moddable/mcsim.js";
import { buildPath, findSdk, mcconfig, preloadWarnings, type Sdk } from "../../tools/moddable/sdk.js";
import { XsbugLog } from "../../tools/moddable/xsbug.js";
import { ensureMosquitto, Mosquitto, mosquittoPub, Subscriber } from "../node/mosquitto.js";
import { openFds, raw, startSim, TOKEN, type Running } from "../node/sim-process.js";
import * as assert from "../support/assert.js";

// The networked gateway as the Moddable desktop build runs it, in mcsim: HTTP on the SDK's ECMA-419 listener and
// TCP sockets, MQTT with credentials from the manifest's config against a real mosquitto, answers held against the
// Node host's (`stillheap sim`) for the same requests, and hostile clients. One debug build serves the HTTP and
// MQTT cases (its trace goes to an xsbug stand-in, so what it logs can be read); an instrumented build measures.
const found = findSdk();
const missing = !found.ok ? found.reason : !hasXvfb() ? "xvfb-run is not installed (mcsim needs a display)" : ensureMosquitto();
const USER = "gateway";
const PASSWORD = "s3cret-never-traced";
const ID = "mcsim-net";
const CONFIG_BODY = "{\"sensors\":{\"sht3x\":{\"periodMs\":500}}}";
const SENSORS = ["sht3x", "bmp280", "tmp117", "lis3dh"];

/** An HTTP/1.1 answer split at the blank line; its status from the status line. */
function split(answer: string): { status: number; head: string; body: string } {
  const end = answer.indexOf("\r\n\r\n");
  return { status: Number(answer.slice(9, 12)), head: answer.slice(0, end), body: answer.slice(end + 4) };
}

/** A socket that has sent `text` and waits; resolves with it once connected. */
function partial(port: number, text: string): Promise<Socket & { answer: string; ended: Promise<void> }> {
  return new Promise((done, fail) => {
    const socket = connect(port, "127.0.0.1") as Socket & { answer: string; ended: Promise<void> };
    socket.answer = "";
    socket.ended = new Promise((ended) => socket.on("close", () => ended()));
    socket.setEncoding("utf8").on("data", (chunk: string) => (socket.answer += chunk));
    socket.on("error", () => undefined); // a reset shows as a missing answer, which the test checks
    socket.once("connect", () => {
      socket.write(text);
      done(socket);
    });
    socket.once("error", fail);
  });
}

const pause = (ms: number): Promise<void> => new Promise((wait) => setTimeout(wait, ms));

/** A client that resets (RST) after sending half a request, or after the first bytes of GET /metrics arrive. */
function resetMidway(port: number, inRequest: boolean): Promise<void> {
  return new Promise((done) => {
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => undefined); // the reset is the point
    socket.once("connect", () => {
      socket.write(inRequest ? "GET /metrics HTTP/1.1\r\nHo" : "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
      if (inRequest) setTimeout(() => socket.resetAndDestroy(), 100);
    });
    socket.once("data", () => socket.resetAndDestroy());
    socket.on("close", () => done());
  });
}

/** The pid of the mcsim process running `library` (xvfb-run's child), from /proc. */
function mcsimPid(library: string): number {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let command = "";
    try {
      command = readFileSync(`/proc/${entry}/cmdline`, "latin1");
    } catch (error: unknown) {
      if (error instanceof Error && "code" in error) continue; // gone meanwhile, or not ours to read
      throw error;
    }
    const args = command.split("\0");
    if (args[0]?.endsWith("mcsim") === true && args.includes(library)) return Number(entry);
  }
  throw new Error(`no mcsim process runs ${library}`);
}

/** The value of a Prometheus sample (the whole name with labels), or NaN. */
function metric(text: string, name: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
}

async function until(check: () => Promise<boolean> | boolean, deadlineMs: number, what: () => string): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(what());
    await pause(200);
  }
}

interface Gateway {
  readonly port: number;
  readonly mcsim: Mcsim;
  readonly library: string;
  readonly log: XsbugLog;
  readonly build: string;
}

/** Builds the debug gateway with the broker's port and credentials in its config, and starts it in mcsim. */
async function startGateway(sdk: Sdk, brokerPort: number): Promise<Gateway> {
  const port = await freePort();
  const build = await mcconfig(sdk, ["-d", "-m", "-p", "lin", "-t", "build", `httpPort=${port}`, `apiToken=${TOKEN}`, "mqttHost=127.0.0.1",
    `mqttPort=${brokerPort}`, `mqttUser=${USER}`, `mqttPassword=${PASSWORD}`, `mqttClientId=${ID}`, "mqttDiscovery=0"]);
  assert.equal(build.status, 0, `mcconfig -d -m -p lin failed:\n${build.output.slice(-4000)}`);
  assert.deepEqual(preloadWarnings(build.output), [], "xsl warned about stillheap's preloaded modules");
  const log = new XsbugLog();
  await log.listen();
  const library = join(buildPath("bin", "lin", "debug"), "mc.so");
  const mcsim = new Mcsim(sdk, library, log.env);
  await mcsim.waitFor(`http://127.0.0.1:${port}/healthz`, 60_000);
  return { port, mcsim, library, log, build: build.output };
}

describe("Moddable SDK: the networked gateway in mcsim (ECMA-419 listener and TCP, MQTT with credentials)", function () {
  this.timeout(900_000);
  if (missing !== undefined || !found.ok) {
    it.skip(`serves HTTP and publishes MQTT from mcsim — skipped: ${missing ?? "no SDK"}`);
    return;
  }
  const sdk = found.value;
  let broker: Mosquitto;
  let gateway: Gateway;
  let node: Running;

  before(async () => {
    broker = new Mosquitto(await freePort(), { users: { [USER]: PASSWORD } });
    await broker.start();
    gateway = await startGateway(sdk, broker.port);
    node = await startSim();
  });

  after(async () => {
    await gateway?.mcsim.stop();
    await gateway?.log.close();
    await broker?.stop();
    node?.child.kill("SIGKILL");
  });

  const base = (): string => `http://127.0.0.1:${gateway.port}`;

  it("answers GET /v1/readings whole, with the Node host's shape, and /metrics larger than a socket write", async () => {
    let readings: { sensors: Record<string, Record<string, unknown>> } = { sensors: {} };
    await until(async () => {
      const answer = split(await raw(gateway.port, "GET /v1/readings HTTP/1.1\r\nHost: x\r\n\r\n"));
      assert.equal(answer.status, 200, answer.head);
      const length = Number(/Content-Length: (\d+)/.exec(answer.head)?.[1]);
      assert.equal(Buffer.byteLength(answer.body), length, "the body is as long as its Content-Length");
      readings = JSON.parse(answer.body) as typeof readings;
      return SENSORS.every((s) => Number(readings.sensors[s]?.["delivered"] ?? 0) > 0);
    }, 30_000, () => JSON.stringify(readings));
    const nodeReadings = JSON.parse(split(await raw(node.port, "GET /v1/readings HTTP/1.1\r\nHost: x\r\n\r\n")).body) as typeof readings;
    assert.deepEqual(Object.keys(readings), Object.keys(nodeReadings));
    for (const sensor of SENSORS) assert.deepEqual(Object.keys(readings.sensors[sensor] ?? {}), Object.keys(nodeReadings.sensors[sensor] ?? {}), sensor);
    const metrics = split(await raw(gateway.port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
    assert.equal(metrics.status, 200);
    assert.ok(metrics.body.length > 4 * 1536, `/metrics (${metrics.body.length} bytes) takes several socket writes`);
    assert.equal(Buffer.byteLength(metrics.body), Number(/Content-Length: (\d+)/.exec(metrics.head)?.[1]));
    assert.ok(metrics.body.endsWith("\n") && metric(metrics.body, "stillheap_uptime_seconds") > 0, metrics.body.slice(-200));
  });

  it("answers errors byte for byte as the Node host does", async () => {
    const requests = [
      "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n",
      `POST /v1/config HTTP/1.1\r\nHost: x\r\nContent-Length: ${CONFIG_BODY.length}\r\n\r\n${CONFIG_BODY}`,
      `POST /v1/config HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong-token-000\r\nContent-Length: ${CONFIG_BODY.length}\r\n\r\n${CONFIG_BODY}`,
      "DELETE /v1/readings HTTP/1.1\r\nHost: x\r\n\r\n",
      "BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n",
      `GET /${"a".repeat(300)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    ];
    for (const request of requests) {
      const mine = await raw(gateway.port, request);
      // A client error, or 501 for a method the server does not implement (RFC 9110 §15.6.2).
      assert.ok(mine.startsWith("HTTP/1.1 4") || mine.startsWith("HTTP/1.1 501 "), `${request.split("\r\n")[0]}: ${mine}`);
      assert.equal(mine, await raw(node.port, request), request.split("\r\n")[0]);
    }
  });

  it("applies POST /v1/config with the token (200) and refuses it without (401)", async () => {
    const post = (auth: Record<string, string>): Promise<Response> => fetch(`${base()}/v1/config`,
      { method: "POST", headers: auth, body: CONFIG_BODY, signal: AbortSignal.timeout(5000) });
    assert.equal((await post({})).status, 401);
    const applied = await post({ Authorization: `Bearer ${TOKEN}` });
    assert.equal(applied.status, 200, await applied.text());
    const settings = await fetch(`${base()}/v1/config`, { headers: { Authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(5000) });
    assert.equal(((await settings.json()) as { sensors: Record<string, { periodMs: number }> }).sensors["sht3x"]?.periodMs, 500);
  });

  it("serves two connections sending at once, each its own answer", async () => {
    const a = await partial(gateway.port, "GET /v1/readings/sht3x HTTP/1.1\r\nHo");
    const b = await partial(gateway.port, "GET /healthz HTTP/1.1\r\nHo");
    await pause(300);
    b.write("st: x\r\n\r\n");
    a.write("st: x\r\n\r\n");
    await Promise.all([a.ended, b.ended]);
    assert.equal(split(a.answer).status, 200, a.answer);
    assert.ok("temperatureC" in (JSON.parse(split(a.answer).body) as object), a.answer);
    assert.equal(split(b.answer).status, 200, b.answer);
    assert.ok(split(b.answer).body.includes("\"status\""), b.answer);
  });

  it("answers an oversized request 431 as the Node host does, and is not reset while the client still sends", async () => {
    const request = `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: ${"f".repeat(6000)}\r\n\r\n`;
    const mine = await raw(gateway.port, request);
    assert.equal(split(mine).status, 431, mine);
    assert.equal(mine, await raw(node.port, request));
  });

  it("refuses a connection beyond the slots with 503 and Retry-After, evicts the slowest sender for a new one, survives resets; its descriptors flat", async () => {
    const pid = mcsimPid(gateway.library);
    const fds = openFds(pid);
    const slow = await Promise.all([0, 1, 2, 3].map(() => partial(gateway.port, "GET /healthz HTTP/1.1\r\n")));
    await pause(200);
    const refused = await raw(gateway.port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    assert.equal(split(refused).status, 503, refused);
    assert.ok(split(refused).head.includes("Retry-After: 1"), refused);
    assert.ok(split(refused).body.includes("all connections in use"), refused);
    await pause(1200); // past the eviction age
    const served = await raw(gateway.port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    assert.equal(split(served).status, 200, served);
    await until(() => slow.some((s) => s.answer.startsWith("HTTP/1.1 408")), 5000, () => slow.map((s) => s.answer).join("|"));
    for (const socket of slow) socket.destroy();
    for (let i = 0; i < 5; i++) await resetMidway(gateway.port, i % 2 === 0); // resets mid-request and mid-answer
    const metrics = (await raw(gateway.port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
    assert.ok(metric(metrics, "stillheap_http_connections_evicted_total") >= 1, metrics.slice(0, 400));
    assert.ok(!gateway.mcsim.exited, "mcsim still runs");
    await until(() => openFds(pid) === fds, 5000, () => `mcsim has ${openFds(pid)} descriptors open, ${fds} before`);
  });

  it("publishes with the configured credentials, takes config from its topic with the token (refused without), and never traces the password", async () => {
    const readings = new Subscriber(broker.port, `stillheap/${ID}/+/readings`, "net-readings", { user: USER, password: PASSWORD });
    try {
      await until(() => SENSORS.every((s) => readings.lines.some((l) => l.startsWith(`stillheap/${ID}/${s}/readings {`))), 30_000,
        () => `readings seen:\n${readings.lines.slice(0, 5).join("\n")}\n${gateway.log.output}`);
    } finally {
      readings.stop();
    }
    const credentials = { user: USER, password: PASSWORD };
    assert.equal(mosquittoPub(broker.port, `stillheap/${ID}/config`, CONFIG_BODY, { credentials }), 0);
    assert.equal(mosquittoPub(broker.port, `stillheap/${ID}/config`, `Bearer ${TOKEN}\n${CONFIG_BODY}`, { credentials }), 0);
    const outcome = (text: string, name: string): number => metric(text, `stillheap_mqtt_config_total{outcome="${name}"}`);
    let metrics = "";
    await until(async () => {
      metrics = split(await raw(gateway.port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")).body;
      return outcome(metrics, "applied") === 1 && outcome(metrics, "refused") === 1;
    }, 10_000, () => `config over MQTT: ${metrics.split("\n").filter((l) => l.includes("mqtt_config")).join("\n")}`);
    assert.ok(metric(metrics, "stillheap_mqtt_acknowledged_total") > 0, "QoS 1 publishes acknowledged by the broker");
    assert.ok(gateway.log.output.includes(`publishing to mqtt://127.0.0.1:${broker.port} as ${USER} on stillheap/${ID}/`), gateway.log.output);
    assert.ok(!gateway.log.output.includes(PASSWORD) && !gateway.build.includes(`${PASSWORD}\n`), "the password is not traced");
  });

  it("reports the broker's refusal of wrong credentials (CONNACK 5) in its trace and /healthz", async () => {
    await broker.stop();
    broker = new Mosquitto(broker.port, { users: { [USER]: "another-password" } });
    await broker.start();
    let health = "";
    await until(async () => {
      health = split(await raw(gateway.port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")).body;
      return health.includes("CONNACK 5");
    }, 60_000, () => `healthz: ${health}\n${gateway.log.output}`);
    assert.ok(health.includes("\"degraded\""), health);
    await until(() => gateway.log.output.includes("the broker refuses the connection (CONNACK 5: not authorized)"), 10_000, () => gateway.log.output);
    assert.ok(!gateway.log.output.includes(PASSWORD), "the password is not traced");
    assert.ok(!gateway.mcsim.exited, "mcsim still runs");
  });
});

/** One request on its own connection; the client closes once the whole body (its Content-Length) has arrived. */
function request(port: number, text: string): Promise<number> {
  return new Promise((done, fail) => {
    const socket = connect(port, "127.0.0.1");
    let answer = Buffer.alloc(0);
    const deadline = setTimeout(() => {
      socket.destroy();
      fail(new Error(`no complete answer within 10 s: ${answer.toString("latin1").slice(0, 200)}`));
    }, 10_000);
    socket.on("data", (chunk: Buffer) => {
      answer = Buffer.concat([answer, chunk]);
      const end = answer.indexOf("\r\n\r\n");
      const length = Number(/Content-Length: (\d+)/.exec(answer.subarray(0, Math.max(end, 0)).toString("latin1"))?.[1] ?? -1);
      if (end >= 0 && length >= 0 && answer.length >= end + 4 + length) socket.end();
    });
    socket.on("close", () => {
      clearTimeout(deadline);
      done(Number(answer.subarray(9, 12).toString("latin1")));
    });
    socket.on("error", fail);
    socket.write(text);
  });
}

const PATHS = ["/v1/readings", "/healthz", "/metrics", "/v1/readings/sht3x"];
/** The documents the gateway writes from bytes made at setup, and its settings. */
const DOCUMENTS = ["/v1/readings", "/healthz", "/v1/readings/sht3x", "/v1/readings/lis3dh", "/v1/config"];
/** Error answers, whose JSON message is a string constant, with their status (every other path answers 200). */
const ERRORS: Readonly<Record<string, number>> = { "/v1/nothing-here": 404, "/v1/readings/no-such-sensor": 404, "/v1/config?": 401 };

/** `total` requests on `lanes` connections at a time, interleaved over `paths`; each answers 200 or its ERRORS status. */
async function load(port: number, total: number, lanes: number, paths: readonly string[] = PATHS): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < total) {
      const path = paths[next++ % paths.length] ?? "/healthz";
      const token = path === "/v1/config" ? `Authorization: Bearer ${TOKEN}\r\n` : ""; // its settings need the token
      const status = await request(port, `GET ${path} HTTP/1.1\r\nHost: x\r\n${token}\r\n`);
      assert.equal(status, ERRORS[path] ?? 200, path);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

/** Instrumentation's figures from the build's probe port: slot-heap and chunk-heap bytes. */
async function probe(port: number, command: "c" | "r" | "d" | "e"): Promise<{ slots: number; chunks: number }> {
  const socket = connect(port, "127.0.0.1");
  let text = "";
  socket.setEncoding("latin1").on("data", (chunk: string) => (text += chunk));
  const closed = new Promise<void>((done, fail) => {
    socket.on("close", () => done());
    socket.on("error", fail);
  });
  socket.write(command);
  await closed;
  const [slots, chunks] = text.trim().split(" ").map(Number);
  assert.ok(slots !== undefined && chunks !== undefined && slots > 0 && chunks > 0, `probe answered "${text}"`);
  return { slots, chunks };
}

/**
 * Collections in the "instruments:" lines mcsim prints once a second for a `-i` build (the SDK's screen.c: the
 * "instruments key:" line names the columns; the count is reset after each line, so the lines add up).
 */
function collections(output: string, key: string): number {
  const column = key.slice("instruments key: ".length).split(",").indexOf("Garbage collections");
  assert.ok(column >= 0, `no "Garbage collections" column in: ${key}`);
  return output.split("\n").filter((line) => line.startsWith("instruments: "))
    .reduce((sum, line) => sum + Number(line.slice("instruments: ".length).split(",")[column] ?? 0), 0);
}

describe("Moddable SDK: allocation in mcsim's instrumented build, serving HTTP while publishing MQTT", function () {
  this.timeout(900_000);
  if (missing !== undefined || !found.ok) {
    it.skip(`measures the heap around 1,000 requests — skipped: ${missing ?? "no SDK"}`);
    return;
  }
  const sdk = found.value;

  it("holds slot and chunk heaps unchanged across 1,000 requests on 4 interleaved connections while publishing; a document, /metrics or error request allocates only its connection's SDK sockets", async () => {
    const broker = new Mosquitto(await freePort());
    await broker.start();
    const port = await freePort();
    const probePort = await freePort();
    const build = await mcconfig(sdk, ["-i", "-m", "-p", "lin", `httpPort=${port}`, `apiToken=${TOKEN}`, `mqttPort=${broker.port}`,
      "mqttClientId=mcsim-alloc", "mqttDiscovery=0", `probePort=${probePort}`]);
    assert.equal(build.status, 0, `mcconfig -i -m -p lin failed:\n${build.output.slice(-4000)}`);
    const mcsim = new Mcsim(sdk, join(buildPath("bin", "lin", "instrument"), "mc.so"));
    const readings = new Subscriber(broker.port, "stillheap/mcsim-alloc/+/readings", "alloc-readings");
    const say = (line: string): void => void process.stdout.write(`      ${line}\n`);
    try {
      await mcsim.waitFor(`http://127.0.0.1:${port}/healthz`, 60_000);
      await until(() => readings.lines.length >= 4, 30_000, () => "no readings published");
      await load(port, 200, 4); // warm: every path, and the MQTT outbox, once through
      await probe(probePort, "c"); // and the probe's own first read
      const key = mcsim.output.split("\n").find((line) => line.startsWith("instruments key: ")) ?? "";
      // With the collector on, as the device runs: the heap after a collection, a window apart.
      await pause(1000); // every socket of the warm-up closed
      const before = await probe(probePort, "c");
      await pause(1100); // the second of that read's own collection is printed before the window starts
      const from = mcsim.output.length;
      const published = readings.lines.length;
      await load(port, 1000, 4);
      await pause(1000);
      const after = await probe(probePort, "c");
      await pause(1100);
      const collected = collections(mcsim.output.slice(from), key);
      say(`collector on: before ${before.slots} slot-heap bytes, ${before.chunks} chunk bytes; after 1,000 requests ` +
        `${after.slots} and ${after.chunks}; ${collected} collections in the window (1 of them the second read's); ` +
        `${readings.lines.length - published} readings messages received meanwhile`);
      assert.ok(readings.lines.length > published, "MQTT published during the window");
      assert.deepEqual(after, before, "what the heap holds after a collection is unchanged");
      // With the collector off: what a window allocates stays counted. Idle (MQTT only, one probe connection), then
      // 1,000 requests for the documents: the difference is what the requests allocated.
      const window = async (work: () => Promise<void>): Promise<{ slots: number; chunks: number }> => {
        const from = await probe(probePort, "d");
        await work();
        await pause(1000);
        const to = await probe(probePort, "r");
        await probe(probePort, "e");
        return { slots: to.slots - from.slots, chunks: to.chunks - from.chunks };
      };
      const idle = await window(() => pause(10_000));
      const busy = await window(() => load(port, 1000, 4, DOCUMENTS));
      const metrics = await window(() => load(port, 100, 4, ["/metrics"]));
      const errors = await window(() => load(port, 200, 4, Object.keys(ERRORS)));
      const perRequest = (measured: { slots: number; chunks: number }, count: number): string =>
        `${(measured.slots - idle.slots) / count} slot-heap bytes and ${(measured.chunks - idle.chunks) / count} chunk bytes a request`;
      say(`collector off: 10 s of MQTT publishing and one probe connection allocated ${idle.slots} slot-heap bytes, ` +
        `${idle.chunks} chunk bytes (what one accepted connection costs); 1,000 requests for ${DOCUMENTS.join(", ")}: ` +
        `${perRequest(busy, 1000)}; 100 GET /metrics: ${perRequest(metrics, 100)}; 200 error answers (404, 401): ${perRequest(errors, 200)}`);
      const sockets = (count: number): { slots: number; chunks: number } => ({ slots: count * idle.slots, chunks: count * idle.chunks });
      const beyond = (measured: { slots: number; chunks: number }): { slots: number; chunks: number } =>
        ({ slots: measured.slots - idle.slots, chunks: measured.chunks - idle.chunks });
      // Each request allocates what the probe's bare connection does: the SDK's accepted sockets, nothing of the gateway's.
      assert.deepEqual(beyond(busy), sockets(1000), "a request for a document allocates only its connection's SDK sockets");
      assert.deepEqual(beyond(metrics), sockets(100), "GET /metrics allocates only its connection's SDK sockets");
      assert.deepEqual(beyond(errors), sockets(200), "an error answer allocates only its connection's SDK sockets");
      assert.ok(!mcsim.exited, "mcsim still runs");
    } finally {
      readings.stop();
      await mcsim.stop();
      await broker.stop();
    }
    assert.deepEqual(preloadWarnings(build.output), [], "xsl warned about stillheap's preloaded modules");
  });
});
