/**
 * The gateway's MQTT side as a deployment meets it (fake broker, virtual time): Home Assistant discovery checked
 * against the keys Home Assistant documents for an MQTT sensor, presence, and honest health — a refused connection,
 * an unreachable broker and a refused subscription said once, counted and in /healthz.
 */
import { ascii } from "../../src/net/ascii.js";
import { MqttState, PacketType } from "../../src/net/mqtt/index.js";
import { ByteWriter, JsonWriter } from "../../src/net/writer.js";
import { expectNoAllocation } from "../support/alloc-guard.js";
import * as assert from "../support/assert.js";
import { checkSensorConfig, render, type SensorConfig } from "./ha-discovery.js";
import { connectAfter, run, telemetry, type TelemetryHarness } from "./telemetry-harness.js";

const DISCOVERY = { model: "test board", softwareVersion: "1.2.3" };

function discovered(h: TelemetryHarness): Map<string, SensorConfig> {
  const configs = new Map<string, SensorConfig>();
  h.broker.messages.forEach(([topic, payload], i) => {
    if (!topic.startsWith("homeassistant/")) return;
    assert.ok(h.broker.retained[i], `${topic} retained`);
    configs.set(topic, checkSensorConfig(topic, payload));
  });
  return configs;
}

function started(options: Parameters<typeof telemetry>[0] = {}): TelemetryHarness {
  const h = telemetry({ ...options, noConnect: true, options: { discovery: DISCOVERY, ...options.options } });
  h.broker.keepIds = true;
  connectAfter(h.harness, h.broker, h.mqtt, 100);
  return h;
}

describe("Home Assistant discovery and presence (fake broker, virtual time)", () => {
  it("announces every reading of every declared sensor, retained, with Home Assistant's documented keys", () => {
    const h = started();
    run(h, 3000);
    const configs = discovered(h);
    assert.deepEqual([...configs.keys()].sort(), ["bmp280_pressurePa", "bmp280_temperatureC", "lis3dh_accelerationG", "sht3x_humidityRH",
      "sht3x_temperatureC", "tmp117_temperatureC"].map((o) => `homeassistant/sensor/pico-1/${o}/config`));
    const ids = new Set<string>();
    for (const [topic, c] of configs) {
      assert.deepEqual(c.device, { identifiers: ["pico-1"], name: "pico-1", model: "test board", manufacturer: "stillheap", sw_version: "1.2.3" });
      assert.equal(c.availability_topic, "stillheap/pico-1/status");
      // payload_available and payload_not_available default to `online` and `offline`: what presence publishes.
      assert.deepEqual([c.payload_available, c.payload_not_available], [undefined, undefined]);
      ids.add(c.unique_id);
      const state = h.broker.messages.filter(([t]) => t === c.state_topic).at(-1)?.[1];
      assert.ok(state !== undefined, `${topic}: something published on ${c.state_topic}`);
      assert.equal(typeof render(c.value_template, state), "number", `${topic}: ${c.value_template}`);
    }
    assert.equal(ids.size, configs.size, "unique ids");
    const t = configs.get("homeassistant/sensor/pico-1/sht3x_temperatureC/config");
    assert.deepEqual([t?.name, t?.device_class, t?.unit_of_measurement, t?.state_class], ["sht3x temperature", "temperature", "°C", "measurement"]);
    assert.equal(configs.get("homeassistant/sensor/pico-1/lis3dh_accelerationG/config")?.unit_of_measurement, "g");
    assert.equal(h.mqtt.discoveryPublished, 6);
  });

  it("announces a button: pressed as a measurement, presses as a count that only grows", () => {
    const h = started({ scenario: { board: "pico", devices: [{ type: "button", pin: 15 }],
      sensors: [{ name: "door", type: "button", pins: { input: 15 } }] } });
    run(h, 1000);
    const configs = discovered(h);
    const pressed = configs.get("homeassistant/sensor/pico-1/door_pressed/config");
    const presses = configs.get("homeassistant/sensor/pico-1/door_presses/config");
    assert.deepEqual([pressed?.state_class, pressed?.device_class, pressed?.unit_of_measurement], ["measurement", undefined, undefined]);
    assert.deepEqual([presses?.state_class, presses?.unit_of_measurement], ["total_increasing", undefined]);
  });

  it("removes the retained config of a reading no longer declared (an empty retained message), and keeps its own", () => {
    const h = started();
    run(h, 1000);
    const before = h.broker.messages.length;
    h.broker.publishAt(ascii("homeassistant/sensor/pico-1/attic_temperatureC/config"), ascii("{\"name\":\"attic\"}"), 1, true);
    h.broker.publishAt(ascii("homeassistant/sensor/pico-1/sht3x_temperatureC/config"), ascii("{\"name\":\"sht3x\"}"), 1, true);
    h.broker.publishAt(ascii("homeassistant/sensor/pico-1/attic_temperatureC/config"), new Uint8Array(0), 1, true); // the echo of the removal
    const sent = h.broker.messages.slice(before);
    assert.deepEqual(sent, [["homeassistant/sensor/pico-1/attic_temperatureC/config", ""]]);
    assert.equal(h.broker.retained[before], true);
    assert.equal(h.mqtt.discoveryRemoved, 1);
    assert.ok(h.mqtt.client.subscriptions.filters.length === 2, "the config topic and this node's discovery configs");
  });

  it("publishes discovery again after every reconnect (a broker restarted without its retained store), paced beside the readings", () => {
    const h = started({ queueLength: 6 });
    run(h, 500);
    h.mqtt.client.closed(h.harness.sim.clock.now);
    run(h, 5000);
    assert.equal(h.mqtt.client.reconnects, 1);
    assert.equal(h.mqtt.discoveryPublished, 12);
    assert.equal(h.mqtt.client.outbox.dropped[0], 0, "never a queue-full drop for it");
  });

  it("presence: `online` retained after each CONNACK, the will `offline` retained, `offline` retained before DISCONNECT", () => {
    const h = started();
    assert.equal(h.broker.connectFlags & 0x2c, 0x2c, "will, QoS 1, retained");
    assert.deepEqual(h.broker.messages[0], ["stillheap/pico-1/status", "online"]);
    assert.equal(h.broker.retained[0], true);
    h.mqtt.stop();
    assert.deepEqual(h.broker.messages.at(-1), ["stillheap/pico-1/status", "offline"]);
    assert.equal(h.broker.retained.at(-1), true);
    assert.equal(h.broker.count(PacketType.disconnect), 1);
  });
});

describe("honest MQTT health (fake broker, virtual time)", () => {
  function health(h: TelemetryHarness): { status: string; reasons: string[] } {
    const text = h.harness.request("GET /healthz HTTP/1.1\r\nHost: stillheap\r\n\r\n");
    return JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) as { status: string; reasons: string[] };
  }

  it("a CONNACK refusal: said once per change with its meaning, counted by code, a reason in /healthz until accepted", () => {
    const h = telemetry({ noConnect: true });
    h.broker.connackCode = 5;
    run(h, 20_000);
    assert.ok((h.mqtt.client.connacks[5] ?? 0) >= 3, `refused ${h.mqtt.client.connacks[5]} times`);
    assert.equal(h.log.filter((line) => line.includes("CONNACK 5: not authorized")).length, 1, h.log.join("\n"));
    assert.equal(health(h).status, "degraded");
    assert.ok(health(h).reasons.includes("mqtt: the broker refuses the connection (CONNACK 5: not authorized)"), JSON.stringify(health(h)));
    const metrics = h.harness.request("GET /metrics HTTP/1.1\r\nHost: stillheap\r\n\r\n");
    assert.ok(new RegExp(`stillheap_mqtt_connack_refusals_total\\{code="5"\\} ${h.mqtt.client.connacks[5]}`).test(metrics), metrics);
    assert.ok(metrics.includes("stillheap_mqtt_connack_last_code 5"), metrics);
    h.broker.connackCode = 4;
    run(h, 40_000);
    assert.equal(h.log.filter((line) => line.includes("CONNACK 4: bad user name or password") && line.includes("--mqtt-password-file")).length, 1, h.log.join("\n"));
    h.broker.connackCode = 0;
    run(h, 40_000);
    assert.equal(h.mqtt.client.state, MqttState.connected);
    assert.equal(health(h).status, "ok");
    assert.ok(h.log.some((line) => line.startsWith("mqtt: connected to the broker")), h.log.join("\n"));
  });

  it("a broker unreachable past the threshold: a reason in /healthz, said once", () => {
    const h = telemetry({ noConnect: true, options: { unreachableAfterMs: 60_000 } });
    h.broker.autoConnack = false;
    run(h, 59_000);
    assert.equal(health(h).status, "ok");
    run(h, 2000);
    assert.equal(health(h).status, "degraded");
    assert.deepEqual(health(h).reasons, ["mqtt: no connection to the broker for over 60 s"]);
    run(h, 60_000);
    assert.equal(h.log.filter((line) => line.includes("no connection to the broker")).length, 1);
  });

  it("a refused subscription: counted, asked for again, a reason in /healthz until granted", () => {
    const h = telemetry({ noConnect: true });
    h.broker.subackCode = 0x80;
    connectAfter(h.harness, h.broker, h.mqtt, 100);
    run(h, 5000);
    const refusals = h.mqtt.client.subscriptions.refusals;
    assert.ok(refusals >= 2, `refusals ${refusals}`);
    assert.ok(health(h).reasons.some((r) => r.includes("refuses a subscription")), JSON.stringify(health(h)));
    assert.ok(h.harness.request("GET /metrics HTTP/1.1\r\nHost: stillheap\r\n\r\n").includes(`stillheap_mqtt_subscribe_refusals_total ${refusals}`));
    h.broker.subackCode = 1;
    run(h, 60_000);
    assert.ok(h.mqtt.client.subscribed);
    assert.equal(health(h).status, "ok");
    assert.equal(h.log.filter((line) => line.includes("refuses a subscription")).length, 1, "said once, not per retry");
    assert.equal(h.log.filter((line) => line === "mqtt: subscriptions granted").length, 1);
  });

  it("reconnects and publishes discovery again without allocating (no log)", function () {
    const h = telemetry({ options: { discovery: DISCOVERY, log: undefined } });
    run(h, 3000);
    const client = h.mqtt.client;
    const clock = h.harness.sim.clock;
    expectNoAllocation(this, () => {
      client.closed(clock.now);
      for (let k = 0; k < 20 && client.state !== MqttState.connected; k++) {
        const opens = h.broker.opens;
        clock.advance(100);
        if (h.broker.opens > opens) client.connected(clock.now);
      }
      clock.advance(200); // the discovery configs go out on the next ticks
    }, { warmup: 20, iterations: 200 });
    assert.equal(client.state, MqttState.connected);
    assert.ok(h.mqtt.discoveryPublished >= 6 * 200, `${h.mqtt.discoveryPublished} configs published`);
  });

  it("ticks, publishes and writes /healthz with MQTT reasons without allocating", function () {
    const h = telemetry({ options: { discovery: DISCOVERY, log: undefined } });
    run(h, 3000);
    const out = new ByteWriter();
    const json = new JsonWriter(out);
    const buffer = new Uint8Array(2048);
    h.mqtt.client.subscriptions.states.fill(3); // a refused subscription: a reason to write
    expectNoAllocation(this, () => {
      h.mqtt.tick();
      h.mqtt.publishReadings();
      out.reset(buffer);
      h.harness.documents.health(json.reset());
    }, { iterations: 2000 });
    assert.ok(out.position > 0);
    assert.equal(h.mqtt.client.acknowledged, h.mqtt.client.published);
  });
});
