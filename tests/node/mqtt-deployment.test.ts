/**
 * Node only (broker processes, signals, sockets): `stillheap sim --mqtt` as a deployment meets Debian's mosquitto —
 * a password file, max_packet_size, kill -9 and SIGTERM, a broker frozen with SIGSTOP, a retained 2 KiB message on
 * the config topic — checked by real subscribers (mosquitto_sub). Windows are STILLHEAP_MQTT_SOAK_S seconds (20 by
 * default; the README's figures are from 60).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as assert from "../support/assert.js";
import { skipBecause } from "../support/engines.js";
import { ensureMosquitto, freePort, Mosquitto, mosquittoPub, retainedOn, Subscriber, type Credentials, type MosquittoOptions } from "./mosquitto.js";
import { eventually, get, startSim, type Running } from "./sim-process.js";
import { projectRoot } from "../../tools/cli/paths.js";
import { checkSensorConfig, render } from "../app/ha-discovery.js";

const SOAK_S = Number(process.env["STILLHEAP_MQTT_SOAK_S"] ?? 20);
const GATEWAY: Credentials = { user: "gateway", password: "Gw-s3cret-9Qx!" };
const READER: Credentials = { user: "reader", password: "Rd-s3cret-4Zk!" };
const WRONG = "Wr0ng-pass-7Hy";

function metric(text: string, name: string): number {
  const escaped = name.replace(/[{}"]/g, (c) => `\\${c}`);
  const match = new RegExp(`^${escaped} (-?\\d+)$`, "m").exec(text);
  return match === null ? Number.NaN : Number(match[1]);
}

async function metrics(sim: Running): Promise<string> {
  return get(sim.port, "/metrics");
}

async function health(sim: Running): Promise<{ status: string; reasons: string[] }> {
  const text = await get(sim.port, "/healthz");
  return JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) as { status: string; reasons: string[] };
}

/** Resolves once `check` holds of /metrics (polled every 200 ms), or fails after `deadlineMs` with the text. */
async function untilMetrics(sim: Running, check: (text: string) => boolean, deadlineMs: number, what: string): Promise<string> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const text = await metrics(sim);
    if (check(text)) return text;
    if (Date.now() > end) throw new Error(`${what} within ${deadlineMs} ms:\n${text}\n${sim.errors()}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

/** A subscriber ready once a probe it sent itself comes back. */
async function subscriber(broker: Mosquitto, topics: readonly string[], id: string, credentials?: Credentials): Promise<Subscriber> {
  const sub = new Subscriber(broker.port, [...topics, `probe/${id}`], id, credentials);
  await eventually(() => {
    mosquittoPub(broker.port, `probe/${id}`, "probe", credentials === undefined ? {} : { credentials });
    return sub.lines.some((line) => line === `probe/${id} probe`);
  }, 10_000, () => `the subscriber saw no probe: ${broker.log}`);
  return sub;
}

const count = (sub: Subscriber, prefix: string): number => sub.lines.filter((line) => line.startsWith(prefix)).length;

describe("stillheap sim --mqtt in a deployment, against mosquitto (node only: broker processes and signals)", function () {
  let skip: string | undefined;
  const cleanup: Array<() => Promise<void> | void> = [];

  before(function () {
    this.timeout(600_000);
    skip = ensureMosquitto();
  });

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function broker(options: MosquittoOptions = {}): Promise<Mosquitto> {
    const b = new Mosquitto(await freePort(), options);
    await b.start();
    cleanup.push(() => b.stop());
    return b;
  }

  async function sim(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Running> {
    const saved = Object.keys(env).map((key) => [key, process.env[key]] as const);
    Object.assign(process.env, env); // the child takes the environment as it is when spawned
    try {
      const running = await startSim(["--panel-port", "off", ...args]);
      cleanup.push(() => void running.child.kill("SIGKILL"));
      return running;
    } finally {
      for (const [key, value] of saved) if (value === undefined) delete process.env[key]; else process.env[key] = value;
    }
  }

  function track(sub: Subscriber): Subscriber {
    cleanup.push(() => sub.stop());
    return sub;
  }

  it("publishes with the right credentials (file, environment); the wrong ones are refused, said once, counted, in /healthz; no password is ever printed", async function () {
    if (skip !== undefined) skipBecause(this, skip);
    this.timeout(90_000);
    const b = await broker({ users: { [GATEWAY.user]: GATEWAY.password, [READER.user]: READER.password } });
    const file = join(b.dir, "gateway.password");
    writeFileSync(file, `${GATEWAY.password}\n`, { mode: 0o600 });
    const sub = track(await subscriber(b, ["stillheap/#"], "sub-creds", READER));
    const good = await sim(["--mqtt", `mqtt://${GATEWAY.user}@127.0.0.1:${b.port}`, "--mqtt-password-file", file, "--mqtt-id", "creds-file"]);
    await eventually(() => count(sub, "stillheap/creds-file/lis3dh/readings {") > 0 && sub.lines.includes("stillheap/creds-file/status online"), 20_000,
      () => `nothing from the gateway: ${good.errors()} ${sub.lines.slice(-3).join("\n")}`);
    const byEnv = await sim(["--mqtt", `mqtt://127.0.0.1:${b.port}`, "--mqtt-id", "creds-env"],
      { STILLHEAP_MQTT_USER: GATEWAY.user, STILLHEAP_MQTT_PASSWORD: GATEWAY.password });
    await untilMetrics(byEnv, (text) => metric(text, "stillheap_mqtt_connected") === 1, 15_000, "not connected with the environment's credentials");
    const wrong = await sim(["--mqtt", `mqtt://${GATEWAY.user}:${WRONG}@127.0.0.1:${b.port}`, "--mqtt-id", "creds-wrong"]);
    const refusedText = await untilMetrics(wrong, (text) => (metric(text, 'stillheap_mqtt_connack_refusals_total{code="5"}') || 0) +
      (metric(text, 'stillheap_mqtt_connack_refusals_total{code="4"}') || 0) >= 3, 30_000, "not refused three times");
    const code = metric(refusedText, "stillheap_mqtt_connack_last_code");
    assert.ok(code === 4 || code === 5, `CONNACK ${code}`);
    assert.equal(metric(refusedText, "stillheap_mqtt_connected"), 0);
    assert.equal(wrong.errors().split("\n").filter((line) => line.includes(`refuses the connection (CONNACK ${code}`)).length, 1, wrong.errors());
    const h = await health(wrong);
    assert.equal(h.status, "degraded");
    assert.ok(h.reasons.some((reason) => reason.includes(`CONNACK ${code}`)), JSON.stringify(h));
    assert.ok(wrong.output().includes(`mqtt://${GATEWAY.user}:***@127.0.0.1:${b.port}`), wrong.output());
    const everything = [good, byEnv, wrong].map((s) => s.output() + s.errors()).join("\n") + refusedText + JSON.stringify(h) +
      (await metrics(good)) + JSON.stringify(await health(good)) + sub.lines.join("\n");
    for (const secret of [GATEWAY.password, READER.password, WRONG]) assert.ok(!everything.includes(secret), `${secret} printed`);
  });

  it("with max_packet_size below two topics' payloads: the others keep flowing, the refused ones counted, reconnects at backoff pace", async function () {
    if (skip !== undefined) skipBecause(this, skip);
    this.timeout((SOAK_S * 2 + 60) * 1000);
    const b = await broker({ maxPacketSize: 300 }); // readings of one-reading sensors ~200 bytes, of two-reading ones ~340
    const sub = track(await subscriber(b, ["stillheap/#"], "sub-size"));
    for (const discovery of ["off", "on"]) {
      const id = `size-discovery-${discovery}`;
      const s = await sim(["--mqtt", `mqtt://127.0.0.1:${b.port}`, "--mqtt-id", id, "--mqtt-discovery", discovery]);
      const started = Date.now();
      await eventually(() => Date.now() - started >= SOAK_S * 1000, SOAK_S * 1000 + 1000, () => "the window");
      const text = await metrics(s);
      const reconnects = metric(text, "stillheap_mqtt_reconnects_total");
      const refused = metric(text, 'stillheap_mqtt_dropped_total{reason="broker-refused"}');
      const limited = metric(text, 'stillheap_mqtt_dropped_total{reason="broker-limit"}');
      process.stderr.write(`      max_packet_size 300, discovery ${discovery}: ${reconnects} reconnects in ${SOAK_S} s; ` +
        `dropped broker-refused ${refused}, broker-limit ${limited}; tmp117 readings received ${count(sub, `stillheap/${id}/tmp117/readings {`)}\n`);
      assert.ok(refused >= 1 && limited >= 1, text);
      // Each size the broker refuses costs one or two reconnects until the limit is learned (discovery configs are
      // larger than readings, so with them there are more sizes to learn); then none.
      assert.ok(reconnects <= (discovery === "on" ? 8 : 4), `${reconnects} reconnects in ${SOAK_S} s\n${s.errors()}`);
      const expected = Math.floor(SOAK_S / 5) - 2; // readings queued while reconnecting go out after
      for (const sensor of ["tmp117", "lis3dh"]) assert.ok(count(sub, `stillheap/${id}/${sensor}/readings {`) >= expected, `${sensor}: ${count(sub, `stillheap/${id}/${sensor}/readings {`)}`);
      assert.ok(count(sub, `stillheap/${id}/health {`) >= Math.floor(SOAK_S / 30), "health every 30 s");
      assert.equal(count(sub, `stillheap/${id}/sht3x/readings`), 0, "too large for this broker");
      assert.ok(s.errors().includes("twice in a row: dropped it"), s.errors());
      s.child.kill("SIGKILL");
    }
  });

  it("Home Assistant discovery checked by a real subscriber; a sensor removed from the declaration loses its retained config", async function () {
    if (skip !== undefined) skipBecause(this, skip);
    this.timeout(60_000);
    const b = await broker();
    const id = "discovery";
    const configsOf = (lines: readonly string[]): Map<string, string> => {
      const configs = new Map<string, string>();
      for (const line of lines) if (line.startsWith(`homeassistant/sensor/${id}/`)) configs.set(line.slice(0, line.indexOf(" ")), line.slice(line.indexOf(" ") + 1));
      return configs;
    };
    const sub = track(await subscriber(b, ["homeassistant/#", `stillheap/${id}/#`], "sub-discovery"));
    const first = await sim(["--mqtt", `mqtt://127.0.0.1:${b.port}`, "--mqtt-id", id]);
    await eventually(() => configsOf(sub.lines).size === 6 && count(sub, `stillheap/${id}/sht3x/readings {`) > 0, 20_000, () => sub.lines.join("\n"));
    for (const [topic, text] of configsOf(sub.lines)) {
      const config = checkSensorConfig(topic, text);
      const state = sub.lines.filter((line) => line.startsWith(`${config.state_topic} `)).at(-1)?.slice(config.state_topic.length + 1);
      if (state !== undefined) assert.equal(typeof render(config.value_template, state), "number", `${topic}: ${config.value_template}`);
    }
    first.child.kill("SIGTERM");
    await first.exit;
    // The same node with another declaration: the four default sensors' configs go, the worked example's come.
    const second = await sim(["--mqtt", `mqtt://127.0.0.1:${b.port}`, "--mqtt-id", id, "--scenario", join(projectRoot, "simulator", "scenarios", "myboard.json")]);
    await untilMetrics(second, (text) => metric(text, 'stillheap_mqtt_discovery_total{action="removed"}') === 6 &&
      metric(text, 'stillheap_mqtt_discovery_total{action="published"}') === 6, 20_000, "not removed and published");
    const late = track(await subscriber(b, ["homeassistant/#"], "sub-discovery-late"));
    const expected = ["door_pressed", "door_presses", "outdoor_humidityRH", "outdoor_temperatureC", "pressure_pressurePa", "pressure_temperatureC"]
      .map((o) => `homeassistant/sensor/${id}/${o}/config`);
    await eventually(() => configsOf(late.lines).size === expected.length, 10_000, () => late.lines.join("\n"));
    assert.deepEqual([...configsOf(late.lines).keys()].sort(), expected, "only the declared readings' configs are retained");
  });

  it("presence: a subscriber arriving after kill -9 sees offline, after SIGTERM too, and online while the gateway runs", async function () {
    if (skip !== undefined) skipBecause(this, skip);
    this.timeout(60_000);
    const b = await broker();
    for (const signal of ["SIGKILL", "SIGTERM"] as const) {
      const id = `presence-${signal}`;
      const s = await sim(["--mqtt", `mqtt://127.0.0.1:${b.port}`, "--mqtt-id", id]);
      await untilMetrics(s, (text) => metric(text, "stillheap_mqtt_connected") === 1, 15_000, "not connected");
      await eventually(() => retainedOn(b.port, `stillheap/${id}/status`, undefined, 1) === "online", 10_000, () => "no retained online");
      s.child.kill(signal);
      await s.exit;
      await eventually(() => retainedOn(b.port, `stillheap/${id}/status`, undefined, 1) === "offline", 10_000, () => `no retained offline after ${signal}`);
    }
  });

  it("a retained 2 KiB message on the config topic: read through, refused as invalid, the gateway stays connected and publishing", async function () {
    if (skip !== undefined) skipBecause(this, skip);
    this.timeout((SOAK_S + 40) * 1000);
    const b = await broker();
    const id = "retained-config";
    const sub = track(await subscriber(b, [`stillheap/${id}/#`], "sub-retained"));
    assert.equal(mosquittoPub(b.port, `stillheap/${id}/config`, `Bearer x\n{"pad":"${"x".repeat(2048)}"}`, { retain: true }), 0);
    const s = await sim(["--mqtt", `mqtt://127.0.0.1:${b.port}`, "--mqtt-id", id]);
    const started = Date.now();
    await eventually(() => Date.now() - started >= SOAK_S * 1000, SOAK_S * 1000 + 1000, () => "the window");
    const text = await metrics(s);
    process.stderr.write(`      retained 2 KiB config: ${metric(text, "stillheap_mqtt_reconnects_total")} reconnects in ${SOAK_S} s, ` +
      `${count(sub, `stillheap/${id}/lis3dh/readings {`)} lis3dh readings received\n`);
    assert.equal(metric(text, "stillheap_mqtt_reconnects_total"), 0, text);
    assert.equal(metric(text, "stillheap_mqtt_connected"), 1);
    assert.equal(metric(text, 'stillheap_mqtt_inbound_dropped_total{reason="too-large"}'), 1, text);
    assert.equal(metric(text, 'stillheap_mqtt_config_total{outcome="invalid"}'), 1, text);
    assert.ok(count(sub, `stillheap/${id}/lis3dh/readings {`) >= Math.floor(SOAK_S / 5) - 2, sub.lines.slice(-4).join("\n"));
    assert.equal(mosquittoPub(b.port, `stillheap/${id}/config`, "", { retain: true }), 0); // the retained message removed
  });

  it("mosquitto frozen 30 s with a message in flight, the default keep-alive (30 s): the keep-alive timeout fires, the gateway reconnects once when it resumes, nothing lost at QoS 1", async function () {
    if (skip !== undefined) skipBecause(this, skip);
    this.timeout(120_000);
    const b = await broker();
    const id = "frozen";
    const sub = track(await subscriber(b, [`stillheap/${id}/#`], "sub-frozen"));
    const s = await sim(["--mqtt", `mqtt://127.0.0.1:${b.port}`, "--mqtt-id", id, "--mqtt-discovery", "off"]);
    await untilMetrics(s, (text) => metric(text, "stillheap_mqtt_acknowledged_total") >= 5, 20_000, "nothing acknowledged");
    b.signal("SIGSTOP");
    const stopped = Date.now();
    let frozen: string;
    let timedOutS = 0;
    try {
      frozen = await untilMetrics(s, (text) => metric(text, "stillheap_mqtt_keepalive_timeouts_total") >= 1, 30_000, "no keep-alive timeout while frozen");
      timedOutS = (Date.now() - stopped) / 1000;
      const inFlight = metric(frozen, "stillheap_mqtt_published_total") - metric(frozen, "stillheap_mqtt_acknowledged_total");
      assert.ok(inFlight >= 1, `messages in flight when the timeout fired: ${inFlight}`);
      assert.equal(metric(frozen, "stillheap_mqtt_reconnects_total"), 0, "no connection while the broker is frozen");
      await eventually(() => Date.now() - stopped >= 30_000, 31_000, () => "30 s");
    } finally {
      b.signal("SIGCONT");
    }
    const resumed = Date.now();
    const after = await untilMetrics(s, (text) => metric(text, "stillheap_mqtt_reconnects_total") >= 1 && metric(text, "stillheap_mqtt_connected") === 1,
      30_000, "not reconnected");
    const reconnectedS = (Date.now() - resumed) / 1000;
    const timeouts = metric(after, "stillheap_mqtt_keepalive_timeouts_total");
    const reconnects = metric(after, "stillheap_mqtt_reconnects_total");
    assert.equal(timeouts, 1, "one keep-alive timeout: the frozen connection's");
    assert.equal(reconnects, 1, "one reconnect, once the broker resumed");
    const drained = await untilMetrics(s, (text) => metric(text, "stillheap_mqtt_acknowledged_total") === metric(text, "stillheap_mqtt_published_total"),
      30_000, "not all acknowledged");
    assert.equal(metric(drained, 'stillheap_mqtt_dropped_total{reason="queue-full"}'), 0);
    // Every PUBLISH acknowledged by the broker reached the durable QoS 1 subscriber: readings and health are unique
    // documents (counters, uptime), presence one `online` per connection.
    const published = metric(drained, "stillheap_mqtt_published_total");
    const received = (): number => new Set(sub.lines.filter((line) => !line.startsWith(`stillheap/${id}/status`) && !line.startsWith("probe/"))).size +
      Math.min(count(sub, `stillheap/${id}/status online`), metric(after, "stillheap_mqtt_reconnects_total") + 1);
    await eventually(() => received() >= published, 20_000, () => `published ${published}, received ${received()} distinct`);
    process.stderr.write(`      frozen 30 s, keep-alive 30 s: keep-alive timeout ${timedOutS.toFixed(1)} s after the stop (${timeouts} in all), ` +
      `${metric(after, "stillheap_mqtt_connect_timeouts_total")} connection attempts unanswered while frozen, ${reconnects} reconnect, ` +
      `${reconnectedS.toFixed(1)} s after the resume; published ${published}, received ${received()} distinct, ${sub.lines.length - 1} in all\n`);
  });
});

describe("stillheap fleet with discovery (node only: a broker process)", () => {
  it("100 boards publish discovery for every reading of every board, every message accounted for", async function () {
    this.timeout(120_000);
    const skip = ensureMosquitto();
    if (skip !== undefined) skipBecause(this, skip);
    const { spawnSync } = await import("node:child_process");
    const { cli } = await import("./sim-process.js");
    const b = new Mosquitto(await freePort());
    await b.start();
    try {
      const run = spawnSync(process.execPath, [cli, "fleet", "--devices", "100", "--seconds", "11", "--mqtt", `mqtt://127.0.0.1:${b.port}`],
        { encoding: "utf8", timeout: 90_000 });
      assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
      assert.ok(run.stdout.includes("discovery: 600 configs received; 100/100 boards announced every reading"), run.stdout);
      assert.ok(/published (\d+) \(QoS 1\), acknowledged \1, dropped 0, still queued 0/.test(run.stdout), run.stdout);
      assert.ok(run.stdout.includes("(published − received: 0)"), run.stdout);
    } finally {
      await b.stop();
    }
  });
});

describe("usage errors exit at once (node only: processes)", () => {
  it("sim --mqtt http://x, and a bad flag of every command, exit 2 within seconds", async function () {
    this.timeout(120_000);
    const { spawnSync } = await import("node:child_process");
    const { cli } = await import("./sim-process.js");
    const cases = [["sim", "--mqtt", "http://x"], ["sim", "--mqtt", "mqtt://h", "--mqtt-password-file", "/no/such/file"], ["sim", "--mqtt-user", "u"],
      ["sim", "--mqtt", "mqtt://:pw@h"], ["sim", "--mqtt", "mqtt://h", "--mqtt-discovery", "maybe"], ["fleet", "--mqtt", "http://x"],
      ["fleet", "--mqtt", "mqtt://h", "--mqtt-keepalive-s", "0"], ...["build", "test", "xs", "sim", "fleet", "emu", "bench", "lint"].map((c) => [c, "--no-such-flag", "x"])];
    for (const args of cases) {
      const started = Date.now();
      const run = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 15_000 });
      assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.ok(Date.now() - started < 10_000, `${args.join(" ")} took ${Date.now() - started} ms`);
      assert.ok(!run.stderr.includes("pw@"), run.stderr);
    }
  });
});
