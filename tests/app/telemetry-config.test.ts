/**
 * The config topic and POST /v1/config side by side: one table of cases, each an Authorization value and a body, run
 * through both — as an HTTP request (header and body) and as an MQTT config message (the value's line, then the
 * body) — with the token set and with config disabled. Both must come to the same outcome.
 */
import { ascii } from "../../src/net/ascii.js";
import { InboundDrop, MqttState, encodePublish } from "../../src/net/mqtt/index.js";
import * as assert from "../support/assert.js";
import { TOKEN, type Harness } from "./gateway-harness.js";
import { run, telemetry, type TelemetryHarness } from "./telemetry-harness.js";

type Outcome = "applied" | "unauthorized" | "invalid" | "disabled";

interface Case {
  readonly name: string;
  /** The Authorization header's value, undefined for none (MQTT: the message is the body alone). */
  readonly auth: string | undefined;
  readonly body: string;
  readonly expect: Outcome;
  /** A malformed header line (HTTP 400 before the token is looked at). */
  readonly malformed?: boolean;
}

const BODY = '{"sensors":{"sht3x":{"periodMs":2000}}}';
const CASES: readonly Case[] = Object.freeze([
  { name: "the token", auth: `Bearer ${TOKEN}`, body: BODY, expect: "applied" },
  { name: "the scheme in lower case", auth: `bearer ${TOKEN}`, body: BODY, expect: "applied" },
  { name: "the scheme in capitals", auth: `BEARER ${TOKEN}`, body: BODY, expect: "applied" },
  { name: "spaces and a tab before the scheme", auth: ` \t Bearer ${TOKEN}`, body: BODY, expect: "applied" },
  { name: "a body over several lines", auth: `Bearer ${TOKEN}`, body: '{\n  "sensors": {"sht3x": {"periodMs": 2000}}\n}', expect: "applied" },
  { name: "a wrong token", auth: "Bearer wrong-token-0", body: BODY, expect: "unauthorized" },
  { name: "no Authorization", auth: undefined, body: BODY, expect: "unauthorized" },
  { name: "another scheme", auth: `Basic ${TOKEN}`, body: BODY, expect: "unauthorized" },
  { name: "the scheme alone", auth: "Bearer", body: BODY, expect: "unauthorized" },
  { name: "an empty token", auth: "Bearer ", body: BODY, expect: "unauthorized" },
  { name: "two spaces after the scheme", auth: `Bearer  ${TOKEN}`, body: BODY, expect: "unauthorized" },
  { name: "a tab after the scheme", auth: `Bearer\t${TOKEN}`, body: BODY, expect: "unauthorized" },
  { name: "spaces and a tab after the token (OWS around a field value is not part of it)", auth: `Bearer ${TOKEN} \t `, body: BODY, expect: "applied" },
  { name: "the token cut short", auth: `Bearer ${TOKEN.slice(0, -1)}`, body: BODY, expect: "unauthorized" },
  { name: "the token and more", auth: `Bearer ${TOKEN}0`, body: BODY, expect: "unauthorized" },
  { name: "a wrong token and a bad body (the token first)", auth: "Bearer wrong-token-0", body: "x", expect: "unauthorized" },
  { name: "the token and no body", auth: `Bearer ${TOKEN}`, body: "", expect: "invalid" },
  { name: "the token and a body that is not JSON", auth: `Bearer ${TOKEN}`, body: "periodMs=2000", expect: "invalid" },
  { name: "the token and a setting out of range", auth: `Bearer ${TOKEN}`, body: '{"sensors":{"sht3x":{"periodMs":5}}}', expect: "invalid" },
  { name: "the token and a sensor not declared", auth: `Bearer ${TOKEN}`, body: '{"sensors":{"attic":{"periodMs":2000}}}', expect: "invalid" },
  { name: "a control character in the line", auth: `Bearer ${TOKEN}\u0001`, body: BODY, expect: "invalid", malformed: true },
  { name: "DEL in the line", auth: `Bearer \u007f${TOKEN}`, body: BODY, expect: "invalid", malformed: true },
]);

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** What POST /v1/config answers for `c`. */
function overHttp(h: Harness, c: Case): Outcome {
  const auth = c.auth === undefined ? "" : `Authorization: ${c.auth}\r\n`;
  const bytes = bytesOf(`POST /v1/config HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: ${c.body.length}\r\n\r\n${c.body}`);
  const slot = h.service.open();
  h.service.receive(slot, bytes, 0, bytes.length);
  h.service.sent(slot);
  const status = h.sink.status();
  return status === 200 ? "applied" : status === 401 ? "unauthorized" : status === 403 ? "disabled" : status === 400 ? "invalid" : `HTTP ${status}` as Outcome;
}

/** What the config topic makes of `c`, line ending `eol`. */
function overMqtt(t: TelemetryHarness, c: Case, eol: string): Outcome {
  const { mqtt, broker, harness } = t;
  const before = [mqtt.configApplied, mqtt.configRefused, mqtt.configInvalid, harness.api.counters.unauthorized];
  broker.publish(ascii("stillheap/pico-1/config"), bytesOf(c.auth === undefined ? c.body : `${c.auth}${eol}${c.body}`));
  if (mqtt.configApplied > (before[0] ?? 0)) return "applied";
  if (mqtt.configInvalid > (before[2] ?? 0)) return "invalid";
  if (mqtt.configRefused > (before[1] ?? 0)) return harness.api.counters.unauthorized > (before[3] ?? 0) ? "unauthorized" : "disabled";
  return "nothing counted" as Outcome;
}

describe("config over MQTT follows POST /v1/config's rules (one table, both ways)", () => {
  for (const disabled of [false, true]) {
    it(`comes to the same outcome on every case, ${disabled ? "with config disabled" : "with the token set"}`, () => {
      const t = telemetry(disabled ? { apiToken: "" } : {});
      for (const c of CASES) {
        const expected: Outcome = disabled && c.malformed !== true ? "disabled" : c.expect;
        assert.equal(overHttp(t.harness, c), expected, `HTTP: ${c.name}`);
        assert.equal(overMqtt(t, c, "\n"), expected, `MQTT, LF: ${c.name}`);
        if (c.auth !== undefined) assert.equal(overMqtt(t, c, "\r\n"), expected, `MQTT, CR LF: ${c.name}`);
      }
    });
  }

  it("refuses a config message too large to receive like any invalid one, and stays connected", () => {
    const t = telemetry();
    const topic = ascii("stillheap/pico-1/config");
    const body = `Bearer ${TOKEN}\n{"sensors":{"sht3x":{"periodMs":2000}},"pad":"${"x".repeat(2048)}"}`;
    const out = new Uint8Array(4096);
    const end = encodePublish(out, 0, topic, ascii(body), 0, body.length, 1, true, 11);
    const published = t.mqtt.client.published;
    for (let i = 0; i < end; i += 100) t.broker.send(out.slice(i, Math.min(end, i + 100)));
    assert.equal(t.mqtt.configInvalid, 1);
    assert.equal(t.mqtt.client.inboundDropped[InboundDrop.tooLarge], 1);
    assert.equal(t.mqtt.client.state, MqttState.connected);
    assert.equal(t.harness.gateway.channels[0]?.periodMs, 1000, "not applied");
    run(t, 3000);
    assert.ok(t.mqtt.client.published > published + 8, "readings keep flowing");
    const metrics = t.harness.request("GET /metrics HTTP/1.1\r\nHost: stillheap\r\n\r\n");
    assert.ok(metrics.includes('stillheap_mqtt_inbound_dropped_total{reason="too-large"} 1'), metrics);
    assert.ok(metrics.includes('stillheap_mqtt_config_total{outcome="invalid"} 1'), metrics);
    assert.ok(metrics.includes("stillheap_mqtt_reconnects_total 0"), metrics);
  });
});
