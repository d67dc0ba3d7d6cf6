/**
 * The gateway's MQTT side: each sensor's readings and the health document published on their topics at their
 * periods (written by the same code as the HTTP API), and settings taken from the config topic under the same token
 * and validation as POST /v1/config. Nothing is allocated per message: topics and buffers are made here, once.
 */
import { ascii, bytesEqual } from "../../net/ascii.js";
import { MqttClient, type MqttClientOptions, type MqttMessageHandler, type MqttTransport } from "../../net/mqtt/client.js";
import { ByteWriter, JsonWriter, type PrometheusWriter } from "../../net/writer.js";
import type { TimerApi, TimerHandle } from "../../io/index.js";
import type { Clock } from "../../services/time.js";
import { ConfigOutcome, type GatewayApi } from "./api.js";
import type { SensorChannel } from "./channel.js";
import { writeMqttMetrics } from "./mqtt-metrics.js";
import type { MetricsWriter } from "./metrics.js";

export interface TelemetryOptions extends Partial<MqttClientOptions> {
  readonly clientId: string;
  /** Topics are `<prefix>/<sensor>/readings`, `<prefix>/health` and (subscribed) `<prefix>/config`. */
  readonly prefix: string;
  readonly readingsPeriodMs?: number;
  readonly healthPeriodMs?: number;
  /** QoS of readings and health: 0 (at most once) or 1 (at least once). */
  readonly qos?: number;
  /** How often the client's deadlines are checked. */
  readonly pollMs?: number;
  readonly payloadBytes?: number;
}

const BEARER = ascii("Bearer ");
/**
 * HTTP response bytes a slot needs for /metrics at its largest once the MQTT families are in it (every drop and
 * refusal reason counted, counters at 10 digits: 9.3 KB measured, with the head); 8 KiB suffices without MQTT.
 */
export const RESPONSE_BYTES_WITH_MQTT = 10_240;

export class GatewayTelemetry implements MqttMessageHandler, MetricsWriter {
  readonly client: MqttClient;
  /** Config messages applied, refused for their token (or with config disabled), refused for their body. */
  configApplied = 0;
  configRefused = 0;
  configInvalid = 0;
  /** Payloads too large for the payload buffer (not published, counted). */
  overflows = 0;
  readonly #readingsTopics: Uint8Array[] = [];
  readonly #healthTopic: Uint8Array;
  readonly #configTopic: Uint8Array;
  readonly #payload: ByteWriter = new ByteWriter();
  readonly #json: JsonWriter;
  readonly #buffer: Uint8Array;
  readonly #qos: number;
  readonly #timers: Array<TimerHandle | undefined> = [undefined, undefined, undefined];
  readonly #clock: Clock;
  /** Bound once: a closure per tick would allocate. */
  readonly #poll = (): void => this.client.poll(this.#clock.nowMs());
  readonly #readings = (): void => this.publishReadings();
  readonly #health = (): void => this.publishHealth();

  constructor(readonly api: GatewayApi, transport: MqttTransport, readonly timer: TimerApi, readonly options: TelemetryOptions) {
    this.#clock = api.documents.clock;
    const config = `${options.prefix}/config`;
    this.client = new MqttClient(transport, { maxPacketBytes: 1024, ...options, subscribe: config });
    this.client.handler = this;
    this.#configTopic = ascii(config);
    this.#healthTopic = ascii(`${options.prefix}/health`);
    this.#buffer = new Uint8Array(options.payloadBytes ?? 768);
    this.#json = new JsonWriter(this.#payload);
    this.#qos = options.qos ?? 1;
    const channels = api.gateway.channels;
    for (let i = 0; i < channels.length; i++) this.#readingsTopics.push(ascii(`${options.prefix}/${(channels[i] as SensorChannel).name}/readings`));
  }

  /** Connects and starts the publishing timers; call after the gateway has started. */
  start(): void {
    this.client.start(this.#clock.nowMs());
    this.#timers[0] = this.timer.repeat(this.#poll, this.options.pollMs ?? 100);
    this.#timers[1] = this.timer.repeat(this.#readings, this.options.readingsPeriodMs ?? 5000);
    this.#timers[2] = this.timer.repeat(this.#health, this.options.healthPeriodMs ?? 30_000);
  }

  /** Sends DISCONNECT and stops the timers. */
  stop(): void {
    for (let i = 0; i < this.#timers.length; i++) this.timer.clear(this.#timers[i]);
    this.client.stop(this.#clock.nowMs());
  }

  /** Queues one readings message per open sensor; a full queue refuses (counted by the client's outbox). */
  publishReadings(): void {
    const channels = this.api.gateway.channels;
    for (let i = 0; i < channels.length; i++) {
      const channel = channels[i] as SensorChannel;
      const topic = this.#readingsTopics[i];
      if (!channel.open || topic === undefined) continue;
      this.api.documents.sensor(this.#begin().value(), channel);
      this.#publish(topic);
    }
  }

  publishHealth(): void {
    this.api.documents.health(this.#begin());
    this.#publish(this.#healthTopic);
  }

  #begin(): JsonWriter {
    this.#payload.reset(this.#buffer);
    return this.#json.reset();
  }

  #publish(topic: Uint8Array): void {
    if (this.#payload.overflowed) {
      this.overflows++;
      return;
    }
    this.client.publish(topic, this.#buffer, 0, this.#payload.position, this.#qos, this.#clock.nowMs());
  }

  /** The MQTT families of /metrics. */
  writeMetrics(prom: PrometheusWriter): void {
    writeMqttMetrics(prom, this);
  }

  /** A config message: `Bearer <token>`, a line feed, then the JSON settings object POST /v1/config takes. */
  message(bytes: Uint8Array, topicStart: number, topicLength: number, payloadStart: number, payloadLength: number): void {
    if (!bytesEqual(bytes, topicStart, topicLength, this.#configTopic)) return;
    const end = payloadStart + payloadLength;
    let tokenStart = -1;
    let lineEnd = payloadStart;
    while (lineEnd < end && bytes[lineEnd] !== 10) lineEnd++;
    if (lineEnd < end && bytesEqual(bytes, payloadStart, Math.min(BEARER.length, lineEnd - payloadStart), BEARER)) tokenStart = payloadStart + BEARER.length;
    const bodyStart = lineEnd < end ? lineEnd + 1 : end;
    const outcome = this.api.applyConfig(bytes, tokenStart, lineEnd - tokenStart, bodyStart, end - bodyStart);
    if (outcome === ConfigOutcome.applied) this.configApplied++;
    else if (outcome === ConfigOutcome.invalid) this.configInvalid++;
    else this.configRefused++;
  }
}
