/** The MQTT families of /metrics: published, acknowledged, dropped by reason, reconnects, refused broker packets, config. */
import { DROP_REASON_NAMES } from "../../net/mqtt/outbox.js";
import { MQTT_ERROR_NAMES } from "../../net/mqtt/packet.js";
import { MqttState, type MqttClient } from "../../net/mqtt/client.js";
import type { PrometheusWriter } from "../../net/writer.js";

/** What the MQTT families report: the client, and what the config topic's messages came to. */
export interface MqttMetricsSource {
  readonly client: MqttClient;
  readonly configApplied: number;
  readonly configRefused: number;
  readonly configInvalid: number;
}

const N = Object.freeze({
  published: "stillheap_mqtt_published_total", acknowledged: "stillheap_mqtt_acknowledged_total",
  dropped: "stillheap_mqtt_dropped_total", reconnects: "stillheap_mqtt_reconnects_total",
  refused: "stillheap_mqtt_refused_packets_total", timeouts: "stillheap_mqtt_keepalive_timeouts_total",
  connected: "stillheap_mqtt_connected", config: "stillheap_mqtt_config_total",
});
const H = Object.freeze({
  published: "PUBLISH packets sent (QoS 1 once, not per retry).", acknowledged: "PUBACKs matched to a packet in flight.",
  dropped: "Publishes refused, by reason.", reconnects: "Connections made after the first.",
  refused: "Broker packets refused (connection closed), by reason.", timeouts: "PINGRESPs not received in time.",
  connected: "1 while connected to the broker.", config: "Config messages, by outcome.",
});
const OUTCOMES = Object.freeze(["applied", "refused", "invalid"]);
const L = Object.freeze({ reason: "reason", outcome: "outcome" });
const COUNTER = "counter";
const GAUGE = "gauge";

export function writeMqttMetrics(prom: PrometheusWriter, telemetry: MqttMetricsSource): void {
  const client = telemetry.client;
  prom.family(N.published, COUNTER, H.published).sample(N.published, client.published);
  prom.family(N.acknowledged, COUNTER, H.acknowledged).sample(N.acknowledged, client.acknowledged);
  prom.family(N.dropped, COUNTER, H.dropped);
  for (let r = 0; r < DROP_REASON_NAMES.length; r++) prom.sample(N.dropped, client.outbox.dropped[r] ?? 0, L.reason, DROP_REASON_NAMES[r]);
  prom.family(N.reconnects, COUNTER, H.reconnects).sample(N.reconnects, client.reconnects);
  prom.family(N.timeouts, COUNTER, H.timeouts).sample(N.timeouts, client.keepAliveTimeouts);
  prom.family(N.refused, COUNTER, H.refused);
  for (let r = 1; r < MQTT_ERROR_NAMES.length; r++) {
    const count = client.refused[r] ?? 0;
    if (count > 0) prom.sample(N.refused, count, L.reason, MQTT_ERROR_NAMES[r]);
  }
  prom.family(N.connected, GAUGE, H.connected).sample(N.connected, client.state === MqttState.connected ? 1 : 0);
  prom.family(N.config, COUNTER, H.config).sample(N.config, telemetry.configApplied, L.outcome, OUTCOMES[0])
    .sample(N.config, telemetry.configRefused, L.outcome, OUTCOMES[1]).sample(N.config, telemetry.configInvalid, L.outcome, OUTCOMES[2]);
}
