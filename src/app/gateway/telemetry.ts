/**
 * The gateway's MQTT side: each sensor's readings and the health document published on their topics at their
 * periods (written by the same code as the HTTP API), presence on `<prefix>/status` (retained `online`, the will
 * `offline`), Home Assistant discovery, and settings taken from the config topic under the same token and
 * validation as POST /v1/config. Nothing is allocated per message: topics and buffers are made here, once.
 */
import { ascii, bytesEqual } from "../../net/ascii.js";
import { MqttClient, MqttState, type MqttClientOptions, type MqttMessageHandler, type MqttTransport } from "../../net/mqtt/client.js";
import { ByteWriter, JsonWriter, type PrometheusWriter } from "../../net/writer.js";
import type { TimerApi, TimerHandle } from "../../io/index.js";
import type { Clock } from "../../services/time.js";
import { ConfigOutcome, type GatewayApi } from "./api.js";
import type { SensorChannel } from "./channel.js";
import { HomeAssistantDiscovery, type DiscoveryOptions } from "./discovery.js";
import type { HealthReasons } from "./documents.js";
import { ConfigMessage, readConfigMessage } from "./mqtt-config.js";
import { MqttHealth } from "./mqtt-health.js";
import { writeMqttMetrics } from "./mqtt-metrics.js";
import type { MetricsWriter } from "./metrics.js";

export interface TelemetryOptions extends Partial<MqttClientOptions> {
  readonly clientId: string;
  /** Topics are `<prefix>/<sensor>/readings`, `<prefix>/health`, `<prefix>/status` and (subscribed) `<prefix>/config`. */
  readonly prefix: string;
  readonly readingsPeriodMs?: number;
  readonly healthPeriodMs?: number;
  /** QoS of readings and health: 0 (at most once) or 1 (at least once). */
  readonly qos?: number;
  /** How often the client's deadlines are checked. */
  readonly pollMs?: number;
  readonly payloadBytes?: number;
  /** Presence on `<prefix>/status` (default true): retained `online` after each CONNACK, the will `offline`, retained. */
  readonly presence?: boolean;
  /** Home Assistant discovery (model and software version for the device block); without it, none. */
  readonly discovery?: Omit<DiscoveryOptions, "node" | "stateTopics" | "availabilityTopic"> & { readonly node?: string };
  /** Where a line goes when something changes (a refusal, a loss, a message dropped); each change is said once. */
  readonly log?: (line: string) => void;
  /** Not connected for longer than this degrades /healthz (default 60 s). */
  readonly unreachableAfterMs?: number;
}

/**
 * HTTP response bytes a slot needs for /metrics at its largest once the MQTT families are in it (every drop and
 * refusal reason counted, counters at 10 digits, measured with the head by tests/app/telemetry.test.ts); 8 KiB
 * suffices without MQTT.
 */
export const RESPONSE_BYTES_WITH_MQTT = 12_544;
/** Ring slots left for readings and health while discovery messages go out after a CONNACK. */
const DISCOVERY_RESERVE = 4;

export class GatewayTelemetry implements MqttMessageHandler, MetricsWriter, HealthReasons {
  readonly client: MqttClient;
  readonly health: MqttHealth;
  readonly discovery: HomeAssistantDiscovery | undefined;
  /** Config messages applied, refused for their token (or with config disabled), refused for their body (or size). */
  configApplied = 0;
  configRefused = 0;
  configInvalid = 0;
  /** Payloads too large for the payload buffer (not published, counted). */
  overflows = 0;
  /** Discovery configs published, and retained configs of readings no longer declared removed. */
  discoveryPublished = 0;
  discoveryRemoved = 0;
  readonly #readingsTopics: Uint8Array[] = [];
  readonly #healthTopic: Uint8Array;
  readonly #configTopic: Uint8Array;
  readonly #payload: ByteWriter = new ByteWriter();
  readonly #json: JsonWriter;
  readonly #buffer: Uint8Array;
  readonly #topic = new ByteWriter();
  readonly #topicBuffer = new Uint8Array(256);
  readonly #object = new Int32Array(2);
  readonly #config = new ConfigMessage();
  readonly #qos: number;
  readonly #timers: Array<TimerHandle | undefined> = [undefined, undefined, undefined];
  readonly #clock: Clock;
  /** The next discovery config to publish, and the connection it is for. */
  #discoveryNext = 0;
  #discoveryConnection = 0;
  /** Bound once: a closure per tick would allocate. */
  readonly #tick = (): void => this.tick();
  readonly #readings = (): void => this.publishReadings();
  readonly #healthTick = (): void => this.publishHealth();

  constructor(readonly api: GatewayApi, transport: MqttTransport, readonly timer: TimerApi, readonly options: TelemetryOptions) {
    this.#clock = api.documents.clock;
    const { prefix } = options;
    const channels = api.gateway.channels;
    for (const channel of channels) this.#readingsTopics.push(ascii(`${prefix}/${channel.name}/readings`));
    const status = `${prefix}/status`;
    this.discovery = options.discovery === undefined ? undefined : new HomeAssistantDiscovery(channels,
      { ...options.discovery, node: options.discovery.node ?? options.clientId, stateTopics: this.#readingsTopics, availabilityTopic: status });
    const presence = options.presence === false ? {} : { willTopic: status, willMessage: "offline", willRetain: true, birthMessage: "online" };
    const subscribe = this.discovery === undefined ? [`${prefix}/config`] : [`${prefix}/config`, this.discovery.filter];
    this.client = new MqttClient(transport, { maxPacketBytes: 1024, ...presence, ...options, subscribe });
    this.client.handler = this;
    this.health = new MqttHealth(this.client, options.unreachableAfterMs ?? 60_000, options.log, this.#clock.nowMs());
    this.#configTopic = ascii(`${prefix}/config`);
    this.#healthTopic = ascii(`${prefix}/health`);
    this.#buffer = new Uint8Array(options.payloadBytes ?? 768);
    this.#json = new JsonWriter(this.#payload);
    this.#qos = options.qos ?? 1;
    for (const line of this.discovery?.skipped ?? []) options.log?.(`mqtt: discovery: ${line}`);
  }

  /** Connects and starts the publishing timers; call after the gateway has started. */
  start(): void {
    this.client.start(this.#clock.nowMs());
    this.#timers[0] = this.timer.repeat(this.#tick, this.options.pollMs ?? 100);
    this.#timers[1] = this.timer.repeat(this.#readings, this.options.readingsPeriodMs ?? 5000);
    this.#timers[2] = this.timer.repeat(this.#healthTick, this.options.healthPeriodMs ?? 30_000);
  }

  /** Publishes `offline` (with presence), sends DISCONNECT and stops the timers. */
  stop(): void {
    for (let i = 0; i < this.#timers.length; i++) this.timer.clear(this.#timers[i]);
    this.client.stop(this.#clock.nowMs());
  }

  /** The client's deadlines, discovery after a CONNACK, and the health watch. */
  tick(): void {
    const now = this.#clock.nowMs();
    this.client.poll(now);
    this.#discover();
    this.health.watch(now);
  }

  /** Queues one readings message per open sensor; a full queue refuses (counted by the client's outbox). */
  publishReadings(): void {
    const channels = this.api.gateway.channels;
    for (let i = 0; i < channels.length; i++) {
      const channel = channels[i] as SensorChannel;
      const topic = this.#readingsTopics[i];
      if (!channel.open || topic === undefined) continue;
      this.api.documents.sensor(this.#begin().value(), channel);
      this.#publish(topic, 0, topic.length, false);
    }
  }

  publishHealth(): void {
    this.api.documents.health(this.#begin());
    this.#publish(this.#healthTopic, 0, this.#healthTopic.length, false);
  }

  /**
   * After each CONNACK, every discovery config (retained, so Home Assistant finds them whenever it starts, and again
   * after a broker lost its retained store), as the ring has room beside the readings.
   */
  #discover(): void {
    const discovery = this.discovery;
    const client = this.client;
    if (discovery === undefined || client.state !== MqttState.connected) return;
    if (client.connections !== this.#discoveryConnection) {
      this.#discoveryConnection = client.connections;
      this.#discoveryNext = 0;
    }
    while (this.#discoveryNext < discovery.readings.length && client.outbox.room > DISCOVERY_RESERVE) {
      const index = this.#discoveryNext++;
      this.#topic.reset(this.#topicBuffer);
      discovery.topic(index, this.#topic);
      this.#payload.reset(this.#buffer);
      discovery.payload(index, this.#payload);
      if (this.#topic.overflowed) this.overflows++;
      else if (this.#publish(this.#topicBuffer, 0, this.#topic.position, true)) this.discoveryPublished++;
    }
  }

  #begin(): JsonWriter {
    this.#payload.reset(this.#buffer);
    return this.#json.reset();
  }

  #publish(topic: Uint8Array, topicStart: number, topicLength: number, retain: boolean): boolean {
    if (this.#payload.overflowed) {
      this.overflows++;
      return false;
    }
    return this.client.publishOn(topic, topicStart, topicLength, this.#buffer, 0, this.#payload.position, this.#qos, retain, this.#clock.nowMs());
  }

  /** The MQTT families of /metrics. */
  writeMetrics(prom: PrometheusWriter): void {
    writeMqttMetrics(prom, this);
  }

  degrades(nowMs: number): boolean {
    return this.health.degrades(nowMs);
  }

  writeReasons(json: JsonWriter, nowMs: number): void {
    this.health.writeReasons(json, nowMs);
  }

  /** A message on a subscribed topic: a config message, or a retained discovery config of this node. */
  message(bytes: Uint8Array, topicStart: number, topicLength: number, payloadStart: number, payloadLength: number): void {
    if (bytesEqual(bytes, topicStart, topicLength, this.#configTopic)) return this.#configure(bytes, payloadStart, payloadLength);
    const discovery = this.discovery;
    const object = this.#object;
    if (discovery === undefined || payloadLength === 0 || !discovery.objectOf(bytes, topicStart, topicLength, object)) return;
    if (discovery.declares(bytes, object[0] ?? 0, object[1] ?? 0)) return; // ours, as published
    // A config of a reading no longer declared: an empty retained message removes it from Home Assistant.
    if (this.client.publishOn(bytes, topicStart, topicLength, this.#buffer, 0, 0, 1, true, this.#clock.nowMs())) this.discoveryRemoved++;
  }

  /** `Bearer <token>`, a line feed, then the JSON settings object POST /v1/config takes (mqtt-config.ts). */
  #configure(bytes: Uint8Array, payloadStart: number, payloadLength: number): void {
    const m = this.#config;
    if (!readConfigMessage(bytes, payloadStart, payloadLength, m)) {
      this.configInvalid++;
      return;
    }
    const outcome = this.api.applyConfig(bytes, m.tokenStart, m.tokenLength, m.bodyStart, m.bodyLength);
    if (outcome === ConfigOutcome.applied) this.configApplied++;
    else if (outcome === ConfigOutcome.invalid) this.configInvalid++;
    else this.configRefused++;
  }

  /** A message too large to receive: on the config topic it is refused like any invalid config. */
  tooLarge(bytes: Uint8Array, topicStart: number, topicLength: number): void {
    if (bytesEqual(bytes, topicStart, topicLength, this.#configTopic)) this.configInvalid++;
  }
}
