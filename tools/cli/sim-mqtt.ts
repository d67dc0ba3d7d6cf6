/**
 * `stillheap sim --mqtt URL` (and fleet): the --mqtt flags, read and checked while the command's arguments are parsed
 * (a bad URL or an unreadable password file is a usage error before anything starts), and the gateway's MQTT
 * telemetry over a Node socket as a supervised component. Secrets are never printed: URLs are shown masked.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GatewayTelemetry, type GatewayApi, type Metrics } from "../../src/app/index.js";
import type { Component } from "../../src/services/index.js";
import type { Clock, TimerApi } from "../../src/services/time.js";
import { maskUrl, NodeMqttTransport, parseBrokerUrl, type BrokerAddress } from "../../hosts/node/mqtt-transport.js";
import { UsageError } from "./command.js";
import { projectRoot } from "./paths.js";

export const MQTT_USAGE = `  --mqtt URL     also publish readings, health and presence to an MQTT broker, mqtt://[user[:password]@]host[:port]
                 (shown with the password masked), announce every reading to Home Assistant, and take
                 settings from the config topic (README "MQTT telemetry")
  --mqtt-user NAME          the broker's user name (else the URL's, else $STILLHEAP_MQTT_USER)
  --mqtt-password-file FILE the password: FILE's first line (else the URL's, else $STILLHEAP_MQTT_PASSWORD)
  --mqtt-id ID   client id and topic prefix stillheap/ID (default $STILLHEAP_MQTT_ID or stillheap-sim)
  --mqtt-keepalive-s S      keep-alive (default 30): PINGREQ when nothing came from the broker for S (or for
                 5 s with a PUBACK 5 s overdue), the connection dropped when nothing answers within 5 s
  --mqtt-max-packet-bytes N publishes larger than the broker takes (its max_packet_size) are not sent, counted
                 (default 1024, the slot size)
  --mqtt-discovery on|off   Home Assistant discovery (default on); --mqtt-discovery-prefix P (homeassistant)
`;

export interface MqttSettings {
  /** The URL with any password masked: the only form of it that is ever printed. */
  readonly shownUrl: string;
  readonly address: BrokerAddress;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly clientId: string;
  readonly keepAliveS: number;
  readonly maxPacketBytes: number;
  readonly discovery: boolean;
  readonly discoveryPrefix: string;
}

const FLAGS = Object.freeze(["--mqtt", "--mqtt-user", "--mqtt-password-file", "--mqtt-id", "--mqtt-keepalive-s",
  "--mqtt-max-packet-bytes", "--mqtt-discovery", "--mqtt-discovery-prefix"]);

/** The --mqtt flags of one command line. */
export class MqttFlags {
  readonly #values = new Map<string, string>();

  /** Takes `flag value` when it is one of the --mqtt flags; false otherwise. */
  take(flag: string, value: string): boolean {
    if (!FLAGS.includes(flag)) return false;
    this.#values.set(flag, value);
    return true;
  }

  /** The settings, undefined without --mqtt; a UsageError for anything wrong (never echoing a password). */
  settings(env: NodeJS.ProcessEnv = process.env, defaultId = "stillheap-sim"): MqttSettings | undefined {
    const url = this.#values.get("--mqtt");
    if (url === undefined) {
      const stray = [...this.#values.keys()][0];
      if (stray !== undefined) throw new UsageError(`${stray} needs --mqtt URL`);
      return undefined;
    }
    let address: BrokerAddress;
    try {
      address = parseBrokerUrl(url);
    } catch (error: unknown) {
      throw new UsageError(`--mqtt: ${error instanceof Error ? error.message : String(error)}`);
    }
    const username = this.#values.get("--mqtt-user") ?? address.username ?? env["STILLHEAP_MQTT_USER"];
    const password = this.#password() ?? address.password ?? env["STILLHEAP_MQTT_PASSWORD"];
    if (password !== undefined && (username === undefined || username === "")) {
      throw new UsageError("an MQTT password needs a user name: --mqtt-user, the URL's, or $STILLHEAP_MQTT_USER");
    }
    const discovery = this.#values.get("--mqtt-discovery") ?? "on";
    if (discovery !== "on" && discovery !== "off") throw new UsageError(`--mqtt-discovery needs on or off, got "${discovery}"`);
    return Object.freeze({ shownUrl: maskUrl(url), address, username, password,
      clientId: this.#values.get("--mqtt-id") ?? env["STILLHEAP_MQTT_ID"] ?? defaultId,
      keepAliveS: this.#whole("--mqtt-keepalive-s", 30, 1, 65535), maxPacketBytes: this.#whole("--mqtt-max-packet-bytes", 1024, 64, 268_435_455),
      discovery: discovery === "on", discoveryPrefix: this.#values.get("--mqtt-discovery-prefix") ?? "homeassistant" });
  }

  #password(): string | undefined {
    const file = this.#values.get("--mqtt-password-file");
    if (file === undefined) return undefined;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error: unknown) {
      const code = (error as { code?: unknown }).code;
      throw new UsageError(`--mqtt-password-file: cannot read ${file} (${typeof code === "string" ? code : "error"})`);
    }
    const line = text.split(/\r?\n/)[0] ?? "";
    if (line === "") throw new UsageError(`--mqtt-password-file: ${file} has an empty first line`);
    return line;
  }

  #whole(flag: string, fallback: number, low: number, high: number): number {
    const text = this.#values.get(flag);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < low || n > high) throw new UsageError(`${flag} needs a whole number ${low}–${high}, got "${text}"`);
    return n;
  }
}

/** The project's version, for the discovery device block. */
export function softwareVersion(): string {
  try {
    return String((JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as { version?: unknown }).version ?? "unknown");
  } catch {
    return "unknown";
  }
}

/**
 * Telemetry to the broker of `settings` for one composed gateway (the transport wired both ways); `board` is the
 * simulated board's description, for the discovery device's model.
 */
export function telemetryFor(settings: MqttSettings, api: GatewayApi, timer: TimerApi, clock: Clock, board: string,
  extra: Partial<ConstructorParameters<typeof GatewayTelemetry>[3]> = {}): GatewayTelemetry {
  const transport = new NodeMqttTransport(settings.address, () => clock.nowMs());
  const id = settings.clientId;
  const telemetry = new GatewayTelemetry(api, transport, timer, { clientId: id, prefix: `stillheap/${id}`, keepAliveS: settings.keepAliveS,
    maxPacketBytes: Math.max(1024, settings.maxPacketBytes), maxPublishBytes: settings.maxPacketBytes,
    ...(settings.username === undefined ? {} : { username: settings.username }), ...(settings.password === undefined ? {} : { password: settings.password }),
    ...(settings.discovery ? { discovery: { prefix: settings.discoveryPrefix, model: `stillheap gateway, simulated ${board.split(" (")[0] ?? board}`, softwareVersion: softwareVersion() } } : {}), ...extra });
  transport.client = telemetry.client;
  return telemetry;
}

/** A component that publishes to the broker of `settings`, or does nothing without one. */
export function startMqtt(settings: MqttSettings | undefined, api: GatewayApi, metrics: Metrics, timer: TimerApi, clock: Clock, board: string): Component {
  if (settings === undefined) return { name: "mqtt", start: () => undefined, stop: () => undefined, kill: () => undefined };
  const log = (line: string): void => void process.stderr.write(`stillheap: ${line}\n`);
  const telemetry = telemetryFor(settings, api, timer, clock, board, { queueLength: 32, log });
  metrics.add(telemetry);
  api.documents.addHealthReasons(telemetry);
  const prefix = `stillheap/${settings.clientId}`;
  return {
    name: "mqtt",
    start: () => {
      telemetry.start();
      process.stdout.write(`stillheap: publishing to ${settings.shownUrl}${settings.username === undefined ? "" : ` as ${settings.username}`} on ` +
        `${prefix}/<sensor>/readings, /health and /status; settings on ${prefix}/config` +
        `${settings.discovery ? `; Home Assistant discovery under ${settings.discoveryPrefix}/sensor/${telemetry.discovery?.node ?? ""}/` : ""}\n`);
    },
    stop: () => telemetry.stop(),
    kill: () => telemetry.stop(),
  };
}
