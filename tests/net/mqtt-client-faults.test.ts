/**
 * The client against what a deployment meets (fake broker, virtual time): an inbound packet larger than the receive
 * buffer, a broker that stops answering while messages are in flight, refused connections and subscriptions, a
 * message the broker disconnects on, the backoff, presence, and resending in the order first sent.
 */
import { ascii } from "../../src/net/ascii.js";
import {
  Backoff, DropReason, encodePublish, InboundDrop, MqttClient, MqttState, PacketId, PacketType, type MqttClientOptions, type MqttMessageHandler,
} from "../../src/net/mqtt/index.js";
import { expectNoAllocation } from "../support/alloc-guard.js";
import * as assert from "../support/assert.js";
import { FakeBroker } from "./mqtt-fake-broker.js";

const TOPIC = ascii("t/readings");
const CONFIG = ascii("t/config");

function setup(options: Partial<MqttClientOptions> = {}): { client: MqttClient; broker: FakeBroker } {
  const broker = new FakeBroker();
  const client = new MqttClient(broker, { clientId: "dev", keepAliveS: 10, subscribe: "t/config", ...options });
  broker.client = client;
  return { client, broker };
}

function connect(client: MqttClient, broker: FakeBroker, nowMs = 0): void {
  broker.nowMs = nowMs;
  client.start(nowMs);
  client.poll(nowMs);
  client.connected(nowMs);
}

/** Polls every 100 ms until the client opens a connection, then connects it; false if it did not within `withinMs`. */
function reconnect(client: MqttClient, broker: FakeBroker, fromMs: number, withinMs = 60_000): number {
  const opens = broker.opens;
  for (let t = fromMs; t <= fromMs + withinMs; t += 100) {
    client.poll(t);
    if (broker.opens > opens) {
      broker.nowMs = t;
      client.connected(t);
      return t;
    }
  }
  throw new Error(`no reconnect within ${withinMs} ms`);
}

class Messages implements MqttMessageHandler {
  readonly texts: string[] = [];
  readonly tooLargeTopics: string[] = [];
  sizes: number[] = [];
  message(bytes: Uint8Array, topicStart: number, topicLength: number, payloadStart: number, payloadLength: number): void {
    let text = "";
    for (let i = 0; i < payloadLength; i++) text += String.fromCharCode(bytes[payloadStart + i] ?? 0);
    let topic = "";
    for (let i = 0; i < topicLength; i++) topic += String.fromCharCode(bytes[topicStart + i] ?? 0);
    this.texts.push(`${topic} ${text}`);
  }
  tooLarge(bytes: Uint8Array, topicStart: number, topicLength: number, packetBytes: number): void {
    let topic = "";
    for (let i = 0; i < topicLength; i++) topic += String.fromCharCode(bytes[topicStart + i] ?? 0);
    this.tooLargeTopics.push(topic);
    this.sizes.push(packetBytes);
  }
}

/** A QoS 1 PUBLISH of `size` payload bytes on `topic`, encoded. */
function publishPacket(topic: Uint8Array, size: number, id: number, retain = false): Uint8Array {
  const out = new Uint8Array(size + topic.length + 16);
  const payload = new Uint8Array(size).fill(120);
  return out.slice(0, encodePublish(out, 0, topic, payload, 0, size, 1, retain, id));
}

describe("MQTT client in a deployment (fake broker, virtual time)", () => {
  it("reads an inbound packet larger than its buffer through at every split, acknowledges it and keeps the connection", () => {
    const big = publishPacket(CONFIG, 2000, 9, true);
    const small = publishPacket(CONFIG, 10, 10);
    const both = new Uint8Array(big.length + small.length);
    both.set(big);
    both.set(small, big.length);
    for (const split of [1, 2, 3, 4, 5, 13, 127, 128, 129, 1000, 2000, big.length - 1, big.length, big.length + 3]) {
      const { client, broker } = setup({ maxPacketBytes: 128 });
      const messages = new Messages();
      client.handler = messages;
      connect(client, broker);
      const acks = broker.count(PacketType.puback);
      broker.send(both.slice(0, split));
      broker.send(both.slice(split));
      assert.equal(client.state, MqttState.connected, `split ${split}`);
      assert.equal(client.inboundDropped[InboundDrop.tooLarge], 1, `split ${split}`);
      assert.deepEqual(messages.tooLargeTopics, ["t/config"], `split ${split}`);
      assert.deepEqual(messages.sizes, [big.length]);
      assert.deepEqual(messages.texts, ["t/config xxxxxxxxxx"], `split ${split}: the next message arrives`);
      assert.equal(broker.count(PacketType.puback) - acks, 2, "both acknowledged: the broker does not send the big one again");
      assert.equal(client.refused.reduce((a, b) => a + b, 0), 0, "nothing refused");
    }
  });

  it("refuses an oversized packet while still connecting (no CONNACK is that large)", () => {
    const { client, broker } = setup({ maxPacketBytes: 64 });
    broker.autoConnack = false;
    connect(client, broker);
    broker.send(publishPacket(CONFIG, 100, 3));
    assert.equal(client.state, MqttState.waiting);
  });

  it("asks with PINGREQ when nothing has come for a keep-alive period, though it publishes, and drops a broker that stays silent", () => {
    const { client, broker } = setup({ keepAliveS: 10, responseTimeoutMs: 5000 });
    connect(client, broker);
    broker.autoPing = false;
    for (let t = 0; t <= 9_900; t += 100) {
      client.publish(TOPIC, TOPIC, 0, 1, 0, t); // QoS 0: the broker answers nothing
      client.poll(t);
    }
    assert.equal(broker.count(PacketType.pingreq), 0);
    client.poll(10_000);
    assert.equal(broker.count(PacketType.pingreq), 1, "whatever was sent, nothing was received");
    for (let t = 10_100; t < 15_000; t += 100) client.poll(t);
    assert.equal(client.state, MqttState.connected);
    client.poll(15_000);
    assert.equal(client.keepAliveTimeouts, 1);
    assert.equal(client.state, MqttState.waiting);
  });

  it("asks with PINGREQ once a PUBACK is a retry interval overdue with nothing heard, long before the keep-alive, and drops a silent broker", () => {
    const { client, broker } = setup({ keepAliveS: 30 }); // the defaults: retransmission after 5 s, answers within 5 s
    connect(client, broker);
    broker.autoAck = false;
    broker.autoPing = false;
    client.poll(100);
    client.publish(TOPIC, TOPIC, 0, 1, 1, 1000);
    for (let t = 1000; t < 6_000; t += 100) client.poll(t);
    assert.equal(broker.count(PacketType.pingreq), 0);
    client.poll(6_000);
    assert.equal(client.retransmitted, 1);
    assert.equal(broker.count(PacketType.pingreq), 1, "the broker owes a PUBACK and has said nothing for 5 s");
    for (let t = 6_100; t < 11_000; t += 100) client.poll(t);
    assert.equal(client.state, MqttState.connected);
    client.poll(11_000);
    assert.equal(client.keepAliveTimeouts, 1, "dropped 11 s after the last packet received, with a 30 s keep-alive");
    assert.equal(client.state, MqttState.waiting);
    assert.equal(client.outbox.inFlight, 1, "the message stays in flight for the next connection");
    broker.autoAck = true;
    broker.autoPing = true;
    reconnect(client, broker, 11_000);
    assert.equal(client.outbox.inFlight, 0, "sent again after the reconnect and acknowledged");
  });

  it("keeps a broker that is slow to acknowledge but answers PINGREQ", () => {
    const { client, broker } = setup({ keepAliveS: 30 });
    connect(client, broker);
    broker.autoAck = false;
    client.publish(TOPIC, TOPIC, 0, 1, 1, 0);
    for (let t = 0; t <= 29_000; t += 100) client.poll(t);
    assert.ok(broker.count(PacketType.pingreq) >= 5, `asked ${broker.count(PacketType.pingreq)} times`);
    assert.equal(client.keepAliveTimeouts, 0);
    assert.equal(client.state, MqttState.connected);
    assert.equal(client.outbox.inFlight, 1);
  });


  it("counts every CONNACK code, keeps the last, and backs off while refused", () => {
    const { client, broker } = setup({ backoffBaseMs: 100, backoffCapMs: 3200 });
    client.start(0);
    let t = 0;
    const opens: number[] = [];
    for (const code of [1, 2, 3, 4, 5, 5, 5]) {
      broker.connackCode = code;
      t = reconnect(client, broker, t);
      opens.push(t);
      assert.equal(client.lastReturnCode, code);
      assert.equal(client.state, MqttState.waiting);
    }
    assert.deepEqual(Array.from(client.connacks), [0, 1, 1, 1, 1, 3]);
    assert.equal(client.connectRefusals, 7);
    const gaps = opens.slice(1).map((at, i) => at - (opens[i] ?? 0));
    assert.ok((gaps[5] ?? 0) > (gaps[0] ?? 0), `the waits grow: ${gaps.join(", ")}`);
    broker.connackCode = 0;
    reconnect(client, broker, t);
    assert.equal(client.lastReturnCode, 0);
    assert.equal(client.connacks[0], 1);
  });

  it("counts a refused subscription and asks again with backoff until it is granted", () => {
    const { client, broker } = setup({ backoffBaseMs: 1000, backoffCapMs: 8000, subscribe: ["t/config", "t/other"] });
    broker.subackCode = 0x80;
    connect(client, broker);
    assert.equal(broker.count(PacketType.subscribe), 2);
    assert.equal(client.subscriptions.refusals, 2);
    assert.ok(!client.subscribed);
    for (let t = 0; t <= 499; t += 100) client.poll(t);
    assert.equal(broker.count(PacketType.subscribe), 2, "not before the backoff");
    let t = 0;
    while (broker.count(PacketType.subscribe) < 4) client.poll((t += 100));
    assert.ok(t >= 500 && t < 1100, `first retry at ${t}`);
    const second = t;
    while (broker.count(PacketType.subscribe) < 6) client.poll((t += 100));
    assert.ok(t - second >= 1000, `the wait doubles: ${t - second}`);
    broker.subackCode = 1;
    while (broker.count(PacketType.subscribe) < 8) client.poll((t += 100));
    assert.ok(client.subscribed);
    assert.equal(client.subscriptions.refusals, 6);
    for (let k = 0; k < 100; k++) client.poll((t += 100));
    assert.equal(broker.count(PacketType.subscribe), 8, "granted: no more retries");
  });

  it("drops a packet the broker disconnects on twice in a row (broker-refused), and the rest of the queue flows", () => {
    const { client, broker } = setup({ backoffBaseMs: 100, window: 2 });
    broker.keepIds = true;
    connect(client, broker);
    const big = new Uint8Array(300);
    const small = ascii("ok");
    client.publish(TOPIC, small, 0, small.length, 1, 0);
    broker.refuseLargerThan = 200;
    client.publish(TOPIC, big, 0, big.length, 1, 0);
    for (let i = 0; i < 3; i++) client.publish(TOPIC, small, 0, small.length, 1, 0);
    assert.ok(broker.closeIfDead(10), "the broker closed on the large one");
    assert.equal(client.outbox.dropped[DropReason.brokerRefused], 0, "once is not yet a pattern");
    let t = reconnect(client, broker, 10);
    assert.ok(broker.closeIfDead(t), "and again, as it was sent first on the new connection");
    assert.equal(client.outbox.dropped[DropReason.brokerRefused], 1);
    t = reconnect(client, broker, t);
    assert.equal(client.state, MqttState.connected);
    assert.equal(client.outbox.queued + client.outbox.inFlight, 0, "the rest flowed");
    assert.equal(broker.messages.filter(([, text]) => text === "ok").length, 4);
    // Larger than any packet acknowledged: packets at least that large are no longer offered.
    assert.equal(client.poison.limitBytes, big.length + TOPIC.length + 4 + 1 + 2);
    client.publish(TOPIC, big, 0, big.length, 1, t);
    assert.equal(client.outbox.dropped[DropReason.brokerLimit], 1);
    assert.equal(client.state, MqttState.connected, "without another disconnect");
    client.publish(TOPIC, small, 0, small.length, 1, t);
    assert.equal(client.outbox.inFlight, 0);
    // Smaller than the limit, larger than any acknowledged, and the broker closes on it: dropped the first time.
    const middle = new Uint8Array(250);
    client.publish(TOPIC, middle, 0, middle.length, 1, t);
    assert.ok(broker.closeIfDead(t));
    assert.equal(client.outbox.dropped[DropReason.brokerRefused], 2);
    assert.equal(client.poison.limitBytes, middle.length + TOPIC.length + 4 + 1 + 2);
    t = reconnect(client, broker, t);
    const fits = new Uint8Array(150);
    client.publish(TOPIC, fits, 0, fits.length, 1, t);
    assert.equal(client.outbox.inFlight, 0, "one the broker takes still goes");
    assert.equal(client.poison.largestAcknowledged, fits.length + TOPIC.length + 4 + 1 + 2);
  });

  it("does not send again what was in flight at least as large as the limit learned since (broker-limit)", () => {
    const { client, broker } = setup({ backoffBaseMs: 100, window: 4, birthMessage: "online", willTopic: "t/status", willMessage: "offline" });
    connect(client, broker);
    broker.refuseLargerThan = 200;
    for (const size of [300, 320, 280, 120]) client.publish(TOPIC, new Uint8Array(size), 0, size, 1, 0);
    assert.ok(broker.closeIfDead(10));
    let t = reconnect(client, broker, 10);
    assert.ok(broker.closeIfDead(t), "the 300-byte one again");
    assert.equal(client.outbox.dropped[DropReason.brokerRefused], 1);
    t = reconnect(client, broker, t);
    assert.equal(client.outbox.dropped[DropReason.brokerLimit], 1, "the 320-byte one, in flight, not sent again");
    assert.ok(broker.closeIfDead(t), "the 280-byte one: under the limit, over anything acknowledged (the birth), refused");
    assert.equal(client.outbox.dropped[DropReason.brokerRefused], 2, "dropped the first time");
    reconnect(client, broker, t);
    assert.equal(client.state, MqttState.connected);
    assert.equal(client.outbox.inFlight, 0, "the 120-byte one went");
    assert.equal(client.acknowledged, 4 + 1, "four births and the 120-byte one");
  });

  it("resets the backoff only after a PUBACK or a stable interval, never on CONNACK alone", () => {
    const { client, broker } = setup({ backoffBaseMs: 100, backoffCapMs: 100_000, stableMs: 10_000, seed: 7 });
    const reference = new Backoff(100, 100_000, 7);
    client.start(0);
    let t = reconnect(client, broker, 0);
    const gaps: number[] = [];
    for (let i = 0; i < 6; i++) { // accepted, then closed at once: CONNACK alone proves nothing
      client.closed(t);
      const at = reconnect(client, broker, t, 200_000);
      gaps.push(at - t);
      t = at;
    }
    for (let i = 0; i < gaps.length; i++) assert.ok(Math.abs((gaps[i] ?? 0) - reference.nextMs()) <= 100, `gaps ${gaps.join(", ")}`);
    client.publish(TOPIC, TOPIC, 0, 1, 1, t); // acknowledged: this connection works
    client.closed(t);
    const afterAck = reconnect(client, broker, t) - t;
    assert.ok(afterAck <= 100, `back to the base after a PUBACK: ${afterAck}`);
    t += afterAck;
    for (let k = 0; k < 3; k++) {
      client.closed(t);
      t = reconnect(client, broker, t, 200_000);
    }
    for (let k = 0; k <= 100; k++) client.poll(t + k * 100); // 10 s up: stable
    t += 10_000;
    client.closed(t);
    assert.ok(reconnect(client, broker, t) - t <= 100, "back to the base after a stable interval");
  });

  it("presence: the will retained in CONNECT, `online` retained after each CONNACK, `offline` retained before DISCONNECT", () => {
    const { client, broker } = setup({ willTopic: "t/status", willMessage: "offline", willRetain: true, birthMessage: "online" });
    broker.keepIds = true;
    connect(client, broker);
    assert.equal(broker.connectFlags & 0x3c, 0x04 | (1 << 3) | 0x20, "will, QoS 1, retained");
    assert.deepEqual(broker.messages[0], ["t/status", "online"]);
    assert.equal(broker.retained[0], true);
    assert.equal(client.acknowledged, 1, "its PUBACK matched, not unknown");
    assert.equal(client.unknownAcks, 0);
    client.closed(5);
    reconnect(client, broker, 5);
    assert.deepEqual(broker.messages[1], ["t/status", "online"]);
    const before = broker.count(PacketType.disconnect);
    client.stop(100_000);
    assert.deepEqual(broker.messages[2], ["t/status", "offline"]);
    assert.equal(broker.retained[2], true);
    assert.equal(broker.count(PacketType.disconnect), before + 1, "then DISCONNECT");
  });

  it("sends what was in flight again in the order first sent, whatever slots it occupies", () => {
    const { client, broker } = setup({ window: 4, backoffBaseMs: 100 });
    broker.keepIds = true;
    connect(client, broker);
    broker.autoAck = false;
    for (const text of ["a", "b", "c", "d"]) client.publish(TOPIC, ascii(text), 0, 1, 1, 0);
    broker.ack(broker.ids[1] ?? 0); // b's slot frees, e takes it
    client.publish(TOPIC, ascii("e"), 0, 1, 1, 0);
    client.closed(10);
    const first = broker.messages.length;
    reconnect(client, broker, 10);
    assert.deepEqual(broker.messages.slice(first).map(([, text]) => text), ["a", "c", "d", "e"]);
  });

  it("reads oversized packets through and answers PINGREQs without allocating", function () {
    const { client, broker } = setup({ maxPacketBytes: 128, keepAliveS: 1 });
    connect(client, broker);
    const big = publishPacket(CONFIG, 500, 9);
    let t = 0;
    expectNoAllocation(this, () => {
      broker.send(big);
      client.poll((t += 1000));
    }, { iterations: 2000 });
    assert.ok((client.inboundDropped[InboundDrop.tooLarge] ?? 0) >= 2000);
    assert.equal(client.state, MqttState.connected);
    assert.ok(PacketId.presence > 0);
  });
});
