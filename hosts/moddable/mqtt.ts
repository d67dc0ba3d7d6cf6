/**
 * MQTT on a Moddable build: the broker, credentials and client id from the manifest's config (`mcconfig …
 * mqttHost=… mqttPort=… mqttUser=… mqttPassword=… mqttClientId=… mqttDiscovery=0`), the gateway's telemetry over
 * the ECMA-419 TCP transport, its lines traced and its refusals among /healthz's reasons, as `stillheap sim --mqtt`
 * does on Node. The password goes to the broker and nowhere else: no line names it.
 */
import type { GatewayApi } from "../../src/app/gateway/api.js";
import type { Metrics } from "../../src/app/gateway/metrics.js";
import { GatewayTelemetry } from "../../src/app/gateway/telemetry.js";
import type { TimerApi } from "../../src/io/types.js";
import { ModdableMqttTransport } from "./mqtt-transport.js";
import config from "mc/config";

export interface ModdableMqttSettings {
  readonly host: string;
  readonly port: number;
  readonly clientId: string;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly discovery: boolean;
}

/** What the entry gives: the composed gateway's API and metrics, its timer and clock, and the board's sizing. */
export interface ModdableMqttParts {
  readonly api: GatewayApi;
  readonly metrics: Metrics;
  readonly timer: TimerApi;
  readonly nowMs: () => number;
  /** The board, for Home Assistant's device block. */
  readonly model: string;
  /** Messages the outbox holds, and those in flight (each a 1 KiB slot): the board's memory decides. */
  readonly queueLength: number;
  readonly window?: number;
  /** Home Assistant discovery without `mqttDiscovery=…`: on for the desktop, off where memory is short (ESP32). */
  readonly discoveryByDefault: boolean;
  readonly defaultClientId: string;
}

/** A config value mcconfig passed as text (`mqttPort=1883` arrives as "1883"), or undefined when absent or empty. */
function text(value: unknown): string | undefined {
  return value === undefined || value === null || String(value) === "" ? undefined : String(value);
}

/** True when the manifest's config names a broker (`mqttHost=…` or `mqttPort=…`). */
export function mqttConfigured(): boolean {
  return text(config.mqttHost) !== undefined || text(config.mqttPort) !== undefined;
}

/** The broker settings from the config, or a message saying what to change (never quoting the password). */
export function mqttSettings(defaultClientId: string, discoveryByDefault: boolean): ModdableMqttSettings | string {
  const port = Number(text(config.mqttPort) ?? 1883);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `config.mqttPort is "${String(config.mqttPort)}": give a port 1–65535`;
  const username = text(config.mqttUser);
  const password = text(config.mqttPassword);
  if (password !== undefined && username === undefined) return "config.mqttPassword is set without config.mqttUser: a password needs a user name (MQTT 3.1.1 §3.1.2.9)";
  const discovery = text(config.mqttDiscovery) ?? (discoveryByDefault ? "1" : "0");
  if (discovery !== "0" && discovery !== "1" && discovery !== "true" && discovery !== "false") {
    return `config.mqttDiscovery is "${discovery}": give 1 (Home Assistant discovery on) or 0 (off)`;
  }
  return Object.freeze({ host: text(config.mqttHost) ?? "127.0.0.1", port, clientId: text(config.mqttClientId) ?? text(config.mqttId) ?? defaultClientId,
    username, password, discovery: discovery === "1" || discovery === "true" });
}

function traceLine(line: string): void {
  trace(`stillheap: ${line}\n`);
}

/**
 * Publishes the gateway's readings, health and presence to the configured broker and takes settings from its config
 * topic; undefined (the reason traced) when the config is wrong. Call after the gateway has started.
 */
export function startMqtt(parts: ModdableMqttParts): GatewayTelemetry | undefined {
  const settings = mqttSettings(parts.defaultClientId, parts.discoveryByDefault);
  if (typeof settings === "string") {
    traceLine(`MQTT not started: ${settings}`);
    return undefined;
  }
  const id = settings.clientId;
  const transport = new ModdableMqttTransport(settings.host, settings.port, parts.nowMs);
  const telemetry = new GatewayTelemetry(parts.api, transport, parts.timer, { clientId: id, prefix: `stillheap/${id}`, keepAliveS: 30,
    queueLength: parts.queueLength, ...(parts.window === undefined ? {} : { window: parts.window }), log: traceLine,
    ...(settings.username === undefined ? {} : { username: settings.username }), ...(settings.password === undefined ? {} : { password: settings.password }),
    ...(settings.discovery ? { discovery: { model: `stillheap gateway, ${parts.model}`, softwareVersion: String(config.version ?? "stillheap") } } : {}) });
  transport.client = telemetry.client;
  parts.metrics.add(telemetry);
  parts.api.documents.addHealthReasons(telemetry);
  telemetry.start();
  traceLine(`publishing to mqtt://${settings.host}:${settings.port}${settings.username === undefined ? "" : ` as ${settings.username}`} on stillheap/${id}/…; ` +
    `settings on stillheap/${id}/config${settings.discovery ? "; Home Assistant discovery on" : ""}`);
  return telemetry;
}
