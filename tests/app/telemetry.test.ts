import { RESPONSE_BYTES_WITH_MQTT } from "../../src/app/index.js";
import { ascii } from "../../src/net/ascii.js";
import { DropReason, MqttState, PacketType } from "../../src/net/mqtt/index.js";
import { expectNoAllocation } from "../support/alloc-guard.js";
import * as assert from "../support/assert.js";
import { TOKEN } from "./gateway-harness.js";
import { telemetry } from "./telemetry-harness.js";

const CONFIG = ascii("stillheap/pico-1/config");

describe("gateway telemetry over MQTT (fake broker, virtual time)", () => {
  it("publishes each sensor's readings and the health document on their topics at their periods", () => {
    const { harness, broker } = telemetry();
    broker.keepIds = true;
    harness.sim.clock.advance(10_000);
    const count = (topic: string): number => broker.messages.filter(([t]) => t === topic).length;
    for (const sensor of ["sht3x", "bmp280", "tmp117", "lis3dh"]) assert.equal(count(`stillheap/pico-1/${sensor}/readings`), 10, sensor);
    assert.equal(count("stillheap/pico-1/health"), 2);
    const sht3x = broker.messages.find(([t]) => t === "stillheap/pico-1/sht3x/readings")?.[1] ?? "";
    assert.ok(sht3x.startsWith("{\"produced\":") && sht3x.includes("\"temperatureC\":{\"latest\":"), sht3x);
    assert.equal(JSON.parse(broker.messages.find(([t]) => t.endsWith("/health"))?.[1] ?? "").status, "ok");
  });

  it("publishes on topics named by the declared sensors, and takes settings for them by name", () => {
    const myboard = {
      board: "pico",
      devices: [{ type: "sht3x", bus: "i2c1", address: 0x45, temperatureC: 4 }, { type: "bmp280", address: 0x77 }, { type: "button", pin: 15 }],
      sensors: [{ name: "outdoor", type: "sht3x", bus: "i2c1", address: 0x45, periodMs: 2000 },
        { name: "pressure", type: "bmp280", address: 0x77, periodMs: 2000 }, { name: "door", type: "button", pins: { input: 15 }, periodMs: 2000 }],
    };
    const { harness, broker, mqtt } = telemetry({ scenario: myboard });
    broker.keepIds = true;
    harness.sim.clock.advance(5000);
    const topics = new Set(broker.messages.map(([topic]) => topic));
    assert.deepEqual([...topics].sort(), ["stillheap/pico-1/door/readings", "stillheap/pico-1/health", "stillheap/pico-1/outdoor/readings",
      "stillheap/pico-1/pressure/readings"]);
    const outdoor = broker.messages.find(([topic]) => topic === "stillheap/pico-1/outdoor/readings")?.[1] ?? "";
    assert.closeTo((JSON.parse(outdoor) as { temperatureC: { latest: number } }).temperatureC.latest, 4, 0.01);
    broker.publish(CONFIG, ascii(`Bearer ${TOKEN}\n{"sensors":{"door":{"periodMs":500}}}`));
    assert.equal(mqtt.configApplied, 1);
    assert.equal(harness.gateway.channels[2]?.periodMs, 500);
  });

  it("applies settings from the config topic with the token, as POST /v1/config does", () => {
    const { harness, broker, mqtt } = telemetry();
    broker.publish(CONFIG, ascii(`Bearer ${TOKEN}\n{"sht3xPeriodMs":500}`));
    assert.equal(mqtt.configApplied, 1);
    assert.equal(harness.gateway.channels[0]?.periodMs, 500);
    broker.publish(CONFIG, ascii(`Bearer ${TOKEN}\n{"sht3xPeriodMs":5}`));
    assert.equal(mqtt.configInvalid, 1);
    assert.equal(harness.gateway.channels[0]?.periodMs, 500);
  });

  it("refuses config without the token, with a wrong one, or when config is disabled, and counts it", () => {
    const { harness, broker, mqtt } = telemetry();
    broker.publish(CONFIG, ascii("{\"sht3xPeriodMs\":500}"));
    broker.publish(CONFIG, ascii("Bearer wrong-token-0\n{\"sht3xPeriodMs\":500}"));
    broker.publish(CONFIG, ascii(`Bearer ${TOKEN}`));
    assert.equal(mqtt.configRefused, 2);
    assert.equal(mqtt.configInvalid, 1, "the right token without a body is a bad request (HTTP: 400), not a refusal");
    assert.equal(harness.gateway.channels[0]?.periodMs, 1000);
    assert.ok(harness.request("GET /metrics HTTP/1.1\r\nHost: stillheap\r\n\r\n").includes("stillheap_http_unauthorized_total 2"));
    const disabled = telemetry({ apiToken: "" });
    disabled.broker.publish(CONFIG, ascii("Bearer \n{\"sht3xPeriodMs\":500}"));
    assert.equal(disabled.mqtt.configRefused, 1);
    assert.equal(disabled.harness.gateway.channels[0]?.periodMs, 1000);
  });

  it("counts published, acknowledged, dropped and reconnects in /metrics", () => {
    const { harness, broker, mqtt } = telemetry({ queueLength: 4 });
    harness.sim.clock.advance(2000);
    mqtt.client.closed(harness.sim.clock.now); // while disconnected the queue fills and refuses
    harness.sim.clock.advance(3000);
    const state = mqtt.client.state;
    assert.ok(state === MqttState.opening || state === MqttState.waiting);
    if (state === MqttState.opening) mqtt.client.connected(harness.sim.clock.now);
    else {
      harness.sim.clock.advance(1000);
      mqtt.client.connected(harness.sim.clock.now);
    }
    const text = harness.request("GET /metrics HTTP/1.1\r\nHost: stillheap\r\n\r\n");
    const value = (line: string): number => Number(new RegExp(`^${line} (\\d+)$`, "m").exec(text)?.[1] ?? "NaN");
    assert.equal(value("stillheap_mqtt_published_total"), mqtt.client.published);
    assert.ok(mqtt.client.published >= 8 + 4);
    assert.equal(value("stillheap_mqtt_acknowledged_total"), mqtt.client.acknowledged);
    assert.equal(value("stillheap_mqtt_dropped_total\\{reason=\"queue-full\"\\}"), mqtt.client.outbox.dropped[DropReason.queueFull] ?? -1);
    assert.ok((mqtt.client.outbox.dropped[DropReason.queueFull] ?? 0) > 0);
    assert.equal(value("stillheap_mqtt_reconnects_total"), 1);
    assert.equal(broker.count(PacketType.connect), 2);
  });

  it("fits /metrics at its largest with the MQTT counters (every reason counted, 10-digit counters) in RESPONSE_BYTES_WITH_MQTT", () => {
    const { harness, mqtt } = telemetry();
    const big = 4_000_000_000;
    for (const sensor of harness.gateway.channels) {
      sensor.dropped.fill(big);
      sensor.produced = big;
      sensor.delivered = big;
    }
    const client = mqtt.client;
    client.published = big;
    client.acknowledged = big;
    client.reconnects = big;
    client.keepAliveTimeouts = big;
    client.refused.fill(big);
    client.outbox.dropped.fill(big);
    client.inboundDropped.fill(big);
    client.connacks.fill(big);
    client.unknownAcks = big;
    client.connectTimeouts = big;
    client.subscriptions.refusals = big;
    client.lastReturnCode = 5;
    mqtt.configApplied = big;
    mqtt.configRefused = big;
    mqtt.configInvalid = big;
    mqtt.discoveryPublished = big;
    mqtt.discoveryRemoved = big;
    const text = harness.request("GET /metrics HTTP/1.1\r\nHost: stillheap\r\n\r\n");
    assert.ok(text.startsWith("HTTP/1.1 200"), text.slice(0, 200));
    assert.ok(text.includes(`stillheap_mqtt_discovery_total{action="removed"} ${big}`), text.slice(-300));
    assert.ok(text.length <= RESPONSE_BYTES_WITH_MQTT && text.length > RESPONSE_BYTES_WITH_MQTT - 2048, `${text.length} bytes: the constant fits, with little to spare`);
  });

  it("publishes readings and health and matches their acknowledgements without allocating", function () {
    const { harness, mqtt } = telemetry();
    harness.sim.clock.advance(3000);
    expectNoAllocation(this, () => {
      mqtt.publishReadings();
      mqtt.publishHealth();
    }, { iterations: 2000 });
    assert.equal(mqtt.client.acknowledged, mqtt.client.published);
    assert.equal(mqtt.overflows, 0);
  });
});
