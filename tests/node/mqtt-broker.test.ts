/**
 * Node only: the MQTT client over real sockets against Debian's mosquitto (and a hostile fake broker), checked by a
 * real subscriber (mosquitto_sub). Needs processes and sockets, which only the Node host has.
 */
import { createServer, type Server, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { NodeMqttTransport } from "../../hosts/node/mqtt-transport.js";
import { ascii } from "../../src/net/ascii.js";
import { InboundDrop, MqttClient, MqttError, MqttState, type MqttClientOptions } from "../../src/net/mqtt/index.js";
import * as assert from "../support/assert.js";
import { skipBecause } from "../support/engines.js";
import { ensureMosquitto, freePort, Mosquitto, mosquittoPub, Subscriber } from "./mosquitto.js";
import { eventually, get, startSim, TOKEN, type Running } from "./sim-process.js";

const now = (): number => performance.now();

interface Driven {
  client: MqttClient;
  /** Stops or resumes polling: without polls the client's deadlines, reconnection included, wait. */
  pause(paused: boolean): void;
  stop(): void;
}

/** A client on a real socket, its deadlines polled every 20 ms of wall time. */
function drive(port: number, options: Partial<MqttClientOptions> = {}): Driven {
  const transport = new NodeMqttTransport({ host: "127.0.0.1", port }, now);
  const client = new MqttClient(transport, { clientId: `test-${port}-${Math.floor(now())}`, keepAliveS: 5, backoffBaseMs: 100,
    backoffCapMs: 1000, retryMs: 3000, responseTimeoutMs: 2000, queueLength: 512, maxPacketBytes: 128, ...options });
  transport.client = client;
  client.start(now());
  let paused = false;
  const interval = setInterval(() => {
    if (!paused) client.poll(now());
  }, 20);
  return { client, pause: (value) => (paused = value), stop: () => {
    clearInterval(interval);
    client.stop(now());
  } };
}

function counts(lines: readonly string[], prefix: string): Map<number, number> {
  const seen = new Map<number, number>();
  for (const line of lines) if (line.startsWith(prefix)) seen.set(Number(line.slice(prefix.length)), (seen.get(Number(line.slice(prefix.length))) ?? 0) + 1);
  return seen;
}

describe("MQTT against Debian's mosquitto (node only: sockets and processes)", function () {
  let skip: string | undefined;
  let broker: Mosquitto;
  let subscriber: Subscriber | undefined;
  let driven: Driven | undefined;
  let sim: Running | undefined;

  before(async function () {
    this.timeout(600_000); // a first run as root installs mosquitto
    skip = ensureMosquitto();
    if (skip !== undefined) return;
    broker = new Mosquitto(await freePort());
    await broker.start();
  });

  afterEach(() => {
    driven?.stop();
    driven = undefined;
    subscriber?.stop();
    subscriber = undefined;
    sim?.child.kill("SIGKILL");
    sim = undefined;
  });

  after(async () => {
    if (skip === undefined) await broker.stop();
  });

  /** A durable subscriber on `topic`, ready once it has received a probe published after it started. */
  async function subscribe(topic: string, id: string): Promise<Subscriber> {
    const sub = new Subscriber(broker.port, `${topic}/#`, id);
    subscriber = sub;
    await eventually(() => {
      mosquittoPub(broker.port, `${topic}/probe`, "probe");
      return sub.lines.some((line) => line.endsWith("probe"));
    }, 10_000, () => `the subscriber saw no probe: ${broker.log}`);
    return sub;
  }

  function publish(client: MqttClient, topic: string, text: string, qos: number): boolean {
    const bytes = ascii(text);
    return client.publish(ascii(topic), bytes, 0, bytes.length, qos, now());
  }

  it("connects and delivers QoS 0 and QoS 1, every QoS 1 publish matched by its PUBACK", async function () {
    if (skip !== undefined) skipBecause(this, skip);
    this.timeout(30_000);
    const sub = await subscribe("t1", "sub-t1");
    driven = drive(broker.port);
    const client = driven.client;
    await eventually(() => client.state === MqttState.connected, 10_000, () => `not connected: ${broker.log}`);
    for (let i = 0; i < 50; i++) {
      assert.ok(publish(client, "t1/q0", `q0 ${i}`, 0));
      assert.ok(publish(client, "t1/q1", `q1 ${i}`, 1));
    }
    await eventually(() => client.acknowledged === 50 && counts(sub.lines, "t1/q1 q1 ").size === 50, 10_000,
      () => `acknowledged ${client.acknowledged}, received ${sub.lines.length}`);
    const q0 = counts(sub.lines, "t1/q0 q0 ");
    assert.equal(q0.size, 50, "QoS 0 on loopback with no loss");
    for (const [seq, n] of q0) assert.equal(n, 1, `QoS 0 message ${seq} received once`);
    assert.equal(client.published, 100);
    assert.equal(client.unknownAcks, 0);
  });

  it("reconnects after a broker restart: QoS 0 never delivered twice, QoS 1 all delivered at least once", async function () {
    if (skip !== undefined) skipBecause(this, skip);
    this.timeout(60_000);
    const sub = await subscribe("t2", "sub-t2");
    driven = drive(broker.port);
    const client = driven.client;
    await eventually(() => client.state === MqttState.connected, 10_000, () => "not connected");
    for (let i = 0; i < 20; i++) publish(client, "t2/q1", `q1 ${i}`, 1);
    await eventually(() => client.acknowledged === 20 && counts(sub.lines, "t2/q1 q1 ").size === 20, 10_000, () => "first messages");
    // Mid-run the broker freezes, so nothing it has acknowledged can be lost in it; the client keeps publishing (QoS 1
    // packets in flight and queued, QoS 0 written to the dead connection); then the broker crashes. The client's
    // polls wait while it is down, so it reconnects only once the subscriber is back.
    broker.signal("SIGSTOP");
    for (let i = 20; i < 100; i++) {
      publish(client, "t2/q0", `q0 ${i}`, 0);
      publish(client, "t2/q1", `q1 ${i}`, 1);
    }
    driven.pause(true);
    const inFlight = client.outbox.inFlight;
    await broker.stop("SIGKILL");
    await eventually(() => client.state !== MqttState.connected, 10_000, () => "the client did not see the broker go");
    for (let i = 100; i < 200; i++) {
      publish(client, "t2/q0", `q0 ${i}`, 0);
      publish(client, "t2/q1", `q1 ${i}`, 1);
    }
    await broker.start();
    await eventually(() => {
      mosquittoPub(broker.port, "t2/probe", "again");
      return sub.lines.some((line) => line.endsWith("again"));
    }, 15_000, () => "the subscriber did not come back");
    driven.pause(false);
    await eventually(() => client.reconnects >= 1 && client.acknowledged >= 200 && counts(sub.lines, "t2/q1 q1 ").size === 200, 30_000,
      () => `reconnects ${client.reconnects}, acknowledged ${client.acknowledged}, QoS 1 seen ${counts(sub.lines, "t2/q1 q1 ").size}; last lines: ${sub.lines.slice(-3).join(" | ")}; broker: ${broker.log}`);
    for (const [seq, n] of counts(sub.lines, "t2/q0 q0 ")) assert.equal(n, 1, `QoS 0 message ${seq} at most once`);
    const late = [...counts(sub.lines, "t2/q0 q0 ").keys()].filter((seq) => seq >= 100).length;
    assert.equal(late, 100, "the QoS 0 messages queued while the broker was down went out once it was back");
    assert.equal(client.outbox.dropped[0], 0);
    assert.ok(inFlight > 0 && client.retransmitted >= inFlight, `in flight at the crash ${inFlight}, retransmitted ${client.retransmitted}`);
  });

  it("drops a broker that stops answering after the PINGRESP deadline, and reconnects when it resumes", async function () {
    if (skip !== undefined) skipBecause(this, skip);
    this.timeout(30_000);
    driven = drive(broker.port, { keepAliveS: 1, responseTimeoutMs: 1000 });
    const client = driven.client;
    await eventually(() => client.state === MqttState.connected, 10_000, () => "not connected");
    broker.signal("SIGSTOP");
    try {
      await eventually(() => client.keepAliveTimeouts >= 1, 10_000, () => `no keep-alive timeout; state ${client.state}`);
    } finally {
      broker.signal("SIGCONT");
    }
    await eventually(() => client.state === MqttState.connected && client.reconnects >= 1, 15_000, () => `not reconnected; state ${client.state}`);
  });

  it("closes the connection on each malformed broker packet, counting its reason", async function () {
    if (skip !== undefined) skipBecause(this, skip);
    this.timeout(30_000);
    const bad = [[0x40, 3, 0, 1, 0], [0xf0, 0], [0xc0, 0], [0x36, 5, 0, 1, 97, 0, 1], [0x20, 2, 0, 0]];
    let connections = 0;
    let closed = 0;
    const server: Server = createServer((socket: Socket) => {
      const packet = bad[connections++ % bad.length] ?? [];
      socket.once("data", () => socket.write(Buffer.from([0x20, 2, 0, 0, ...packet]))); // CONNACK, then the bad packet
      socket.on("error", () => socket.destroy());
      socket.on("close", () => closed++);
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const address = server.address();
    driven = drive(typeof address === "object" && address !== null ? address.port : 0, { backoffBaseMs: 20, backoffCapMs: 40 });
    const client = driven.client;
    try {
      await eventually(() => closed >= bad.length, 15_000, () => `closed ${closed} of ${bad.length}`);
    } finally {
      driven.stop();
      driven = undefined;
      server.close();
    }
    for (const reason of [MqttError.badLength, MqttError.reservedType, MqttError.unexpectedType, MqttError.badFlags]) {
      assert.ok((client.refused[reason] ?? 0) >= 1, `reason ${reason} counted: ${Array.from(client.refused).join(",")}`);
    }
  });

  it("reads a PUBLISH larger than its buffer through from a real socket in pieces, acknowledges it and stays connected", async function () {
    if (skip !== undefined) skipBecause(this, skip);
    this.timeout(30_000);
    let acked = -1;
    let closed = 0;
    const server: Server = createServer((socket: Socket) => {
      socket.once("data", () => {
        socket.write(Buffer.from([0x20, 2, 0, 0]));
        const topic = Buffer.from("t/config");
        const body = Buffer.concat([Buffer.from([0, topic.length]), topic, Buffer.from([0x12, 0x34]), Buffer.alloc(5000, 120)]);
        const packet = Buffer.concat([Buffer.from([0x32, 0x80 | (body.length & 127), body.length >> 7]), body]);
        for (let at = 0; at < packet.length; at += 777) setTimeout(() => socket.write(packet.subarray(at, at + 777)), at / 50);
        socket.on("data", (bytes: Buffer) => {
          for (let i = 0; i + 3 < bytes.length; i++) if (bytes[i] === 0x40 && bytes[i + 1] === 2) acked = ((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0);
        });
      });
      socket.on("error", () => socket.destroy());
      socket.on("close", () => closed++);
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const address = server.address();
    driven = drive(typeof address === "object" && address !== null ? address.port : 0, { subscribe: "t/config" });
    const client = driven.client;
    try {
      await eventually(() => acked === 0x1234, 10_000, () => `no PUBACK; state ${client.state}, dropped ${Array.from(client.inboundDropped).join(",")}`);
      assert.equal(client.inboundDropped[InboundDrop.tooLarge], 1);
      assert.equal(client.state, MqttState.connected);
      assert.equal(closed, 0);
    } finally {
      driven.stop();
      driven = undefined;
      server.close();
    }
  });

  it("npm start -- --mqtt: the gateway publishes to mosquitto, takes config from its topic with the token, refuses it without", async function () {
    if (skip !== undefined) skipBecause(this, skip);
    this.timeout(40_000);
    const sub = await subscribe("stillheap/stillheap-sim", "sub-sim");
    sim = await startSim(["--mqtt", `mqtt://127.0.0.1:${broker.port}`]);
    const port = sim.port;
    await eventually(() => ["sht3x", "bmp280", "tmp117", "lis3dh"].every((s) => sub.lines.some((l) => l.startsWith(`stillheap/stillheap-sim/${s}/readings {"produced":`))),
      20_000, () => `readings not all seen: ${sub.lines.slice(-4).join("\n")}`);
    assert.equal(mosquittoPub(broker.port, "stillheap/stillheap-sim/config", "{\"sht3xPeriodMs\":500}"), 0);
    assert.equal(mosquittoPub(broker.port, "stillheap/stillheap-sim/config", `Bearer ${TOKEN}\n{"sht3xPeriodMs":500}`), 0);
    const applied = "stillheap_mqtt_config_total{outcome=\"applied\"} 1";
    const deadline = Date.now() + 10_000;
    let metrics = await get(port, "/metrics");
    while (!metrics.includes(applied) && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 100));
      metrics = await get(port, "/metrics");
    }
    assert.ok(metrics.includes("stillheap_mqtt_config_total{outcome=\"applied\"} 1"), metrics);
    assert.ok(metrics.includes("stillheap_mqtt_config_total{outcome=\"refused\"} 1"), metrics);
    assert.ok(/^stillheap_mqtt_published_total [1-9]/m.test(metrics), metrics);
    assert.ok(/^stillheap_mqtt_acknowledged_total [1-9]/m.test(metrics), metrics);
  });
});
