/** `stillheap sim --mqtt URL`: the gateway's MQTT telemetry over a Node socket, as a supervised component. */
import { GatewayTelemetry, type GatewayApi, type Metrics } from "../../src/app/index.js";
import type { Component } from "../../src/services/index.js";
import type { Clock, TimerApi } from "../../src/services/time.js";
import { NodeMqttTransport, parseBrokerUrl } from "../../hosts/node/mqtt-transport.js";
import { UsageError } from "./command.js";

/** A component that publishes to the broker at `url`, or does nothing without one. */
export function startMqtt(url: string | undefined, api: GatewayApi, metrics: Metrics, timer: TimerApi, clock: Clock): Component {
  if (url === undefined) return { name: "mqtt", start: () => undefined, stop: () => undefined, kill: () => undefined };
  let address;
  try {
    address = parseBrokerUrl(url);
  } catch (error: unknown) {
    throw new UsageError(`--mqtt: ${error instanceof Error ? error.message : String(error)}`);
  }
  const clientId = process.env["STILLHEAP_MQTT_ID"] ?? "stillheap-sim";
  const transport = new NodeMqttTransport(address, () => clock.nowMs());
  const telemetry = new GatewayTelemetry(api, transport, timer, { clientId, prefix: `stillheap/${clientId}`,
    willTopic: `stillheap/${clientId}/status`, willMessage: "offline", keepAliveS: 30, queueLength: 32 });
  transport.client = telemetry.client;
  metrics.add(telemetry);
  return {
    name: "mqtt",
    start: () => {
      telemetry.start();
      process.stdout.write(`stillheap: publishing to ${url} on stillheap/${clientId}/<sensor>/readings and /health; ` +
        `settings on stillheap/${clientId}/config\n`);
    },
    stop: () => telemetry.stop(),
    kill: () => telemetry.stop(),
  };
}
