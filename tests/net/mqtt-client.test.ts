import { ascii } from "../../src/net/ascii.js";
import { Backoff, DropReason, MqttClient, MqttError, MqttState, PacketId, PacketType, SUBSCRIBE_ID, type MqttClientOptions } from "../../src/net/mqtt/index.js";
import { expectNoAllocation } from "../support/alloc-guard.js";
import * as assert from "../support/assert.js";
import { FakeBroker } from "./mqtt-fake-broker.js";

const TOPIC = ascii("stillheap/dev/sht3x/readings");
const PAYLOAD = ascii("{\"temperatureC\":21.5}");

function setup(options: Partial<MqttClientOptions> = {}): { client: MqttClient; broker: FakeBroker } {
  const broker = new FakeBroker();
  const client = new MqttClient(broker, { clientId: "dev", keepAliveS: 10, subscribe: "stillheap/dev/config", ...options });
  broker.client = client;
  return { client, broker };
}

/** Starts the client and lets the fake broker accept it at `nowMs`. */
function connect(client: MqttClient, broker: FakeBroker, nowMs = 0): void {
  broker.nowMs = nowMs;
  client.start(nowMs);
  client.poll(nowMs);
  client.connected(nowMs);
}

function publish(client: MqttClient, qos: number, nowMs = 0): boolean {
  return client.publish(TOPIC, PAYLOAD, 0, PAYLOAD.length, qos, nowMs);
}

describe("MQTT client state machine (bytes in, bytes out, virtual time)", () => {
  it("connects: CONNECT on open, CONNACK, then SUBSCRIBE to the config filter", () => {
    const { client, broker } = setup();
    client.start(0);
    assert.equal(broker.opens, 0, "nothing opens before the first poll");
    client.poll(0);
    assert.equal(broker.opens, 1);
    client.connected(0);
    assert.equal(client.state, MqttState.connected);
    assert.equal(broker.count(PacketType.connect), 1);
    assert.equal(broker.count(PacketType.subscribe), 1);
    assert.ok(client.subscribed);
  });

  it("publishes at QoS 0 once and at QoS 1 until its PUBACK is matched", () => {
    const { client, broker } = setup();
    connect(client, broker);
    broker.autoAck = false;
    publish(client, 0);
    publish(client, 1);
    assert.equal(broker.count(PacketType.publish), 2);
    assert.equal(client.outbox.inFlight, 1);
    broker.ack(broker.lastId);
    assert.equal(client.outbox.inFlight, 0);
    assert.equal(client.published, 2);
    assert.equal(client.acknowledged, 1);
    broker.ack(999);
    assert.equal(client.unknownAcks, 1);
  });

  it("keeps at most `window` QoS 1 packets in flight and sends the rest as acks free the window", () => {
    const { client, broker } = setup({ window: 2 });
    connect(client, broker);
    broker.autoAck = false;
    broker.keepIds = true;
    for (let i = 0; i < 5; i++) assert.ok(publish(client, 1));
    assert.equal(broker.count(PacketType.publish), 2);
    assert.equal(client.outbox.queued, 3);
    broker.ack(broker.ids[0] ?? 0);
    assert.equal(broker.count(PacketType.publish), 3);
    assert.equal(new Set(broker.ids).size, 3, "identifiers are unique among packets in flight");
  });

  it("wraps packet identifiers from 65519 to 1, leaving 0 and the client's own (presence, SUBSCRIBE) unused", () => {
    const { client, broker } = setup({ window: 1 });
    connect(client, broker);
    let highest = 0;
    let wrapped = false;
    for (let i = 0; i < 65_540; i++) {
      publish(client, 1);
      if (broker.lastId > highest) highest = broker.lastId;
      if (broker.lastId === 1 && i > 0) wrapped = true;
      if (broker.lastId === 0 || broker.lastId > PacketId.lastPublish) throw new Error(`identifier ${broker.lastId} used`);
    }
    assert.equal(highest, PacketId.lastPublish);
    assert.ok(SUBSCRIBE_ID > PacketId.lastPublish && PacketId.presence > PacketId.lastPublish);
    assert.ok(wrapped);
  });

  it("retransmits an unacknowledged packet with DUP after retryMs", () => {
    const { client, broker } = setup({ retryMs: 1000 });
    connect(client, broker);
    broker.autoAck = false;
    publish(client, 1);
    const id = broker.lastId;
    client.poll(999);
    assert.equal(broker.count(PacketType.publish), 1);
    client.poll(1000);
    assert.equal(broker.count(PacketType.publish), 2);
    assert.ok(broker.lastDup);
    assert.equal(broker.lastId, id);
    assert.equal(client.retransmitted, 1);
  });

  it("refuses a publish when the queue is full and counts the drop, without blocking", () => {
    const { client, broker } = setup({ queueLength: 3 });
    client.start(0);
    for (let i = 0; i < 3; i++) assert.ok(publish(client, 0));
    assert.ok(!publish(client, 0));
    assert.equal(client.outbox.dropped[DropReason.queueFull], 1);
    const big = new Uint8Array(600);
    connect(client, broker);
    assert.ok(!client.publish(TOPIC, big, 0, big.length, 0, 0));
    assert.equal(client.outbox.dropped[DropReason.tooLarge], 1);
    assert.equal(broker.count(PacketType.publish), 3, "what was queued while disconnected goes out on connect");
  });

  it("sends PINGREQ after a keep-alive period idle, and drops the connection when PINGRESP is late", () => {
    const { client, broker } = setup({ keepAliveS: 10, responseTimeoutMs: 2000 });
    connect(client, broker);
    client.poll(9_999);
    assert.equal(broker.count(PacketType.pingreq), 0);
    client.poll(10_000);
    assert.equal(broker.count(PacketType.pingreq), 1);
    assert.equal(client.state, MqttState.connected, "answered");
    broker.autoPing = false;
    client.poll(20_000);
    assert.equal(broker.count(PacketType.pingreq), 2);
    client.poll(21_999);
    assert.equal(client.state, MqttState.connected);
    client.poll(22_000);
    assert.equal(client.keepAliveTimeouts, 1);
    assert.equal(client.state, MqttState.waiting);
    assert.equal(broker.closes, 1);
  });

  it("drops a connection whose CONNACK does not come in time, or refuses it, and tries again after a backoff", () => {
    const { client, broker } = setup({ responseTimeoutMs: 1000, backoffBaseMs: 100 });
    broker.autoConnack = false;
    connect(client, broker);
    client.poll(1000);
    assert.equal(client.connectTimeouts, 1);
    assert.equal(client.state, MqttState.waiting);
    client.poll(1100);
    assert.equal(broker.opens, 2);
    client.connected(1100);
    broker.send(Uint8Array.from([0x20, 2, 0, 5]));
    assert.equal(client.connectRefusals, 1);
    assert.equal(client.lastReturnCode, 5);
    assert.equal(client.connacks[5], 1);
    assert.equal(client.state, MqttState.waiting);
  });

  it("closes the connection on a malformed packet from the broker, counting the reason", () => {
    const { client, broker } = setup();
    connect(client, broker);
    broker.send(Uint8Array.from([0x40, 3, 0, 1, 0]));
    assert.equal(client.refused[MqttError.badLength], 1);
    assert.equal(client.state, MqttState.waiting);
    connect(client, broker, 60_000);
    broker.send(Uint8Array.from([0xc0, 0])); // PINGREQ: a broker never sends one
    assert.equal(client.refused[MqttError.unexpectedType], 1);
  });

  it("after a reconnect resends what was in flight (DUP) and never a QoS 0 packet already written", () => {
    const { client, broker } = setup({ backoffBaseMs: 100 });
    connect(client, broker);
    broker.autoAck = false;
    publish(client, 0);
    publish(client, 1);
    client.closed(10);
    publish(client, 0, 20);
    connect(client, broker, 1000);
    assert.equal(client.reconnects, 1);
    assert.equal(broker.count(PacketType.publish), 4, "QoS 0, QoS 1, the QoS 1 again, the QoS 0 queued meanwhile");
    assert.equal(broker.duplicates, 1);
    assert.equal(client.published, 3);
  });

  it("backs off doubling to its cap, jittered over the upper half, the same for the same seed", () => {
    const a = new Backoff(500, 8000, 42);
    const b = new Backoff(500, 8000, 42);
    const ceilings = [500, 1000, 2000, 4000, 8000, 8000, 8000];
    let differs = false;
    for (const ceiling of ceilings) {
      const delay = a.nextMs();
      assert.equal(delay, b.nextMs());
      assert.ok(delay >= ceiling / 2 && delay < ceiling, `${delay} in [${ceiling / 2}, ${ceiling})`);
      if (delay !== Math.floor(ceiling / 2)) differs = true;
    }
    assert.ok(differs, "jittered");
    assert.notEqual(new Backoff(500, 8000, 43).nextMs(), new Backoff(500, 8000, 42).nextMs());
  });

  it("sends DISCONNECT on stop and stays stopped", () => {
    const { client, broker } = setup();
    connect(client, broker);
    client.stop(5);
    assert.equal(broker.count(PacketType.disconnect), 1);
    client.poll(100_000);
    assert.equal(broker.opens, 1);
  });

  it("publishes 10,000 QoS 1 messages and matches their acknowledgements without allocating", function () {
    const { client, broker } = setup();
    connect(client, broker);
    expectNoAllocation(this, (i) => {
      if (!publish(client, 1, i)) throw new Error("refused");
      client.poll(i);
    });
    assert.equal(client.acknowledged, client.published);
    assert.ok(client.acknowledged >= 10_000);
    assert.equal(client.outbox.inFlight, 0);
  });
});
