/**
 * The MQTT families of /metrics: published, acknowledged, dropped by reason, reconnects, CONNACKs by code, refused and
 * discarded broker packets, subscriptions, config and discovery.
 */
import { DROP_REASON_NAMES } from "../../net/mqtt/outbox.js";
import { CONNACK_CODE_COUNT, INBOUND_DROP_NAMES, MQTT_ERROR_NAMES } from "../../net/mqtt/packet.js";
import { MqttState, type MqttClient } from "../../net/mqtt/client.js";
import type { PrometheusWriter } from "../../net/writer.js";

/** What the MQTT families report: the client, and what the config topic's messages and discovery came to. */
export interface MqttMetricsSource {
  readonly client: MqttClient;
  readonly configApplied: number;
  readonly configRefused: number;
  readonly configInvalid: number;
  readonly discoveryPublished: number;
  readonly discoveryRemoved: number;
}

const N = Object.freeze({
  published: "stillheap_mqtt_published_total", acknowledged: "stillheap_mqtt_acknowledged_total",
  unknownAcks: "stillheap_mqtt_unknown_acks_total", dropped: "stillheap_mqtt_dropped_total",
  reconnects: "stillheap_mqtt_reconnects_total", connacks: "stillheap_mqtt_connack_refusals_total",
  lastCode: "stillheap_mqtt_connack_last_code", connectTimeouts: "stillheap_mqtt_connect_timeouts_total",
  refused: "stillheap_mqtt_refused_packets_total", inbound: "stillheap_mqtt_inbound_dropped_total",
  timeouts: "stillheap_mqtt_keepalive_timeouts_total", subscribeRefusals: "stillheap_mqtt_subscribe_refusals_total",
  subscribed: "stillheap_mqtt_subscribed", connected: "stillheap_mqtt_connected", config: "stillheap_mqtt_config_total",
  discovery: "stillheap_mqtt_discovery_total",
});
const H = Object.freeze({
  published: "PUBLISH packets sent (QoS 1 once, not per retry).", acknowledged: "PUBACKs matched to a packet in flight.",
  unknownAcks: "PUBACKs for no packet in flight.", dropped: "Publishes not sent, by reason.",
  reconnects: "Connections made after the first.",
  connacks: "CONNACK refusals by code: 1 version, 2 client id, 3 unavailable, 4 bad user or password, 5 not authorized.",
  lastCode: "Return code of the last CONNACK (0 accepted).", connectTimeouts: "Connections that got no CONNACK in time.",
  refused: "Broker packets refused (connection closed), by reason.", inbound: "Broker packets discarded unread (connection kept), by reason.",
  timeouts: "Connections dropped: the broker silent after PINGREQ.",
  subscribeRefusals: "SUBACKs refusing a filter (retried with backoff).", subscribed: "1 while every filter is granted.",
  connected: "1 while connected to the broker.", config: "Config messages, by outcome.",
  discovery: "Home Assistant discovery configs published, and removed (no longer declared).",
});
const OUTCOMES = Object.freeze(["applied", "refused", "invalid"]);
const CODES = Object.freeze(["0", "1", "2", "3", "4", "5"]);
const ACTIONS = Object.freeze(["published", "removed"]);
const L = Object.freeze({ reason: "reason", outcome: "outcome", code: "code", action: "action" });
const COUNTER = "counter";
const GAUGE = "gauge";

export function writeMqttMetrics(prom: PrometheusWriter, telemetry: MqttMetricsSource): void {
  const client = telemetry.client;
  prom.family(N.published, COUNTER, H.published).sample(N.published, client.published);
  prom.family(N.acknowledged, COUNTER, H.acknowledged).sample(N.acknowledged, client.acknowledged);
  prom.family(N.unknownAcks, COUNTER, H.unknownAcks).sample(N.unknownAcks, client.unknownAcks);
  prom.family(N.dropped, COUNTER, H.dropped);
  for (let r = 0; r < DROP_REASON_NAMES.length; r++) prom.sample(N.dropped, client.outbox.dropped[r] ?? 0, L.reason, DROP_REASON_NAMES[r]);
  prom.family(N.reconnects, COUNTER, H.reconnects).sample(N.reconnects, client.reconnects);
  prom.family(N.connacks, COUNTER, H.connacks);
  for (let code = 1; code < CONNACK_CODE_COUNT; code++) prom.sample(N.connacks, client.connacks[code] ?? 0, L.code, CODES[code]);
  // No series before the first CONNACK: there is no code to report yet.
  if (client.lastReturnCode >= 0) prom.family(N.lastCode, GAUGE, H.lastCode).sample(N.lastCode, client.lastReturnCode);
  prom.family(N.connectTimeouts, COUNTER, H.connectTimeouts).sample(N.connectTimeouts, client.connectTimeouts);
  prom.family(N.timeouts, COUNTER, H.timeouts).sample(N.timeouts, client.keepAliveTimeouts);
  prom.family(N.refused, COUNTER, H.refused);
  for (let r = 1; r < MQTT_ERROR_NAMES.length; r++) {
    const count = client.refused[r] ?? 0;
    if (count > 0) prom.sample(N.refused, count, L.reason, MQTT_ERROR_NAMES[r]);
  }
  prom.family(N.inbound, COUNTER, H.inbound);
  for (let r = 0; r < INBOUND_DROP_NAMES.length; r++) prom.sample(N.inbound, client.inboundDropped[r] ?? 0, L.reason, INBOUND_DROP_NAMES[r]);
  prom.family(N.subscribeRefusals, COUNTER, H.subscribeRefusals).sample(N.subscribeRefusals, client.subscriptions.refusals);
  prom.family(N.subscribed, GAUGE, H.subscribed).sample(N.subscribed, client.subscribed ? 1 : 0);
  prom.family(N.connected, GAUGE, H.connected).sample(N.connected, client.state === MqttState.connected ? 1 : 0);
  prom.family(N.config, COUNTER, H.config).sample(N.config, telemetry.configApplied, L.outcome, OUTCOMES[0])
    .sample(N.config, telemetry.configRefused, L.outcome, OUTCOMES[1]).sample(N.config, telemetry.configInvalid, L.outcome, OUTCOMES[2]);
  prom.family(N.discovery, COUNTER, H.discovery).sample(N.discovery, telemetry.discoveryPublished, L.action, ACTIONS[0])
    .sample(N.discovery, telemetry.discoveryRemoved, L.action, ACTIONS[1]);
}
