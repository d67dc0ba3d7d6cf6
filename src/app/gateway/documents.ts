/**
 * The gateway's JSON documents, written straight into the caller's buffer: the readings (GET /v1/readings, the
 * console, MQTT), the health (GET /healthz, MQTT) and the settings (GET /v1/config). The readings and health paths
 * allocate nothing.
 */
import { ascii } from "../../net/ascii.js";
import type { ByteWriter, JsonWriter } from "../../net/writer.js";
import type { Clock } from "../../services/time.js";
import type { SensorChannel } from "./channel.js";
import type { Gateway } from "./gateway.js";
import { WindowStats } from "./window.js";

const K = Object.freeze({
  uptimeMs: ascii("uptimeMs"), status: ascii("status"), firstSampleMs: ascii("firstSampleMs"), ok: ascii("ok"),
  degraded: ascii("degraded"), reasons: ascii("reasons"), sensors: ascii("sensors"), periodMs: ascii("periodMs"),
});
/** The constant text of a readings document, between its numbers. */
const F = Object.freeze({
  uptimeMs: ascii('{"uptimeMs":'), sensors: ascii(',"sensors":{'), produced: ascii('{"produced":'),
  delivered: ascii(',"delivered":'), dropped: ascii(',"dropped":'), latest: ascii('":{"latest":'), samples: ascii(',"samples":'),
  min10s: ascii(',"min10s":'), max10s: ascii(',"max10s":'), mean10s: ascii(',"mean10s":'), min60s: ascii(',"min60s":'),
  max60s: ascii(',"max60s":'), mean60s: ascii(',"mean60s":'),
});
/**
 * A part beyond the sensors with a say in health (MQTT's broker connection), added by the composition root: its
 * reasons as constant text, so writing them allocates nothing.
 */
export interface HealthReasons {
  /** True when its reasons degrade the gateway. */
  degrades(nowMs: number): boolean;
  /** Writes its reasons, each with `json.text()`. */
  writeReasons(json: JsonWriter, nowMs: number): void;
}

const WATCHDOG_GAVE_UP = "the watchdog gave up restarting the sampling loop";
const NO_SENSORS = "no sensor declared";

export class GatewayDocuments {
  readonly #stats = new WindowStats();
  /** Each channel's setting names as JSON keys, made once. */
  readonly #settingKeys: readonly (readonly Uint8Array[])[];
  readonly #reasons: HealthReasons[] = [];

  constructor(readonly gateway: Gateway, readonly clock: Clock) {
    this.#settingKeys = Object.freeze(gateway.channels.map((channel) => Object.freeze(channel.type.settings.map((spec) => ascii(spec.key)))));
  }

  /** Adds a source of health reasons (the composition root's, as it adds metric sources). */
  addHealthReasons(source: HealthReasons): this {
    this.#reasons.push(source);
    return this;
  }

  /** Every sensor's readings: the GET /v1/readings document. */
  readings(out: ByteWriter): void {
    out.raw(F.uptimeMs).jsonNumber(this.clock.nowMs() - this.gateway.boot.bootAtMs, 0).raw(F.sensors);
    const channels = this.gateway.channels;
    for (let i = 0; i < channels.length; i++) {
      const channel = channels[i] as SensorChannel;
      if (i > 0) out.byte(44);
      out.byte(34).raw(channel.nameBytes).byte(34).byte(58);
      this.sensor(out, channel);
    }
    out.byte(125).byte(125);
  }

  /**
   * One sensor's object (GET /v1/readings/<name>, the MQTT readings payload), the same bytes JsonWriter would
   * write: each run of constant text between two numbers is one pre-encoded fragment written with one call.
   */
  sensor(out: ByteWriter, channel: SensorChannel): void {
    const now = this.clock.nowMs();
    const stats = this.#stats;
    out.raw(F.produced).jsonNumber(channel.produced, 0).raw(F.delivered).jsonNumber(channel.delivered, 0)
      .raw(F.dropped).jsonNumber(channel.droppedTotal, 0);
    const readings = channel.readings;
    for (let r = 0; r < readings.length; r++) {
      const reading = readings[r];
      if (reading === undefined) continue;
      const window = reading.window;
      out.byte(44).byte(34).raw(reading.key).raw(F.latest).jsonNumber(window.latest, 3).raw(F.samples).jsonNumber(window.samples, 0);
      window.over(10, now, stats);
      out.raw(F.min10s).jsonNumber(stats.min, 3).raw(F.max10s).jsonNumber(stats.max, 3).raw(F.mean10s).jsonNumber(stats.mean, 3);
      window.over(60, now, stats);
      out.raw(F.min60s).jsonNumber(stats.min, 3).raw(F.max60s).jsonNumber(stats.max, 3).raw(F.mean60s).jsonNumber(stats.mean, 3);
      out.byte(125);
    }
    out.byte(125);
  }

  /**
   * ok or degraded, and the reasons: a sensor not open (with why, and whether it is optional), one that stopped
   * delivering, a watchdog that gave up, and those of the sources added (the broker refusing or unreachable). An
   * optional sensor's reason is listed without degrading.
   */
  health(json: JsonWriter): void {
    const gateway = this.gateway;
    const now = this.clock.nowMs();
    let healthy = gateway.healthy(now);
    for (let i = 0; i < this.#reasons.length; i++) if ((this.#reasons[i] as HealthReasons).degrades(now)) healthy = false;
    json.beginObject().key(K.status).string(healthy ? K.ok : K.degraded).key(K.uptimeMs).number(now - gateway.boot.bootAtMs, 0)
      .key(K.firstSampleMs).number(gateway.boot.firstSampleMs, 0).key(K.reasons).beginArray();
    for (let i = 0; i < gateway.channels.length; i++) {
      const channel = gateway.channels[i] as SensorChannel;
      if (!channel.open && channel.openFailures > 0) json.text(channel.openReason);
      else if (channel.stalled(now)) json.text(channel.stalledReason);
    }
    if (gateway.watchdog.gaveUp > 0) json.text(WATCHDOG_GAVE_UP);
    if (gateway.channels.length === 0) json.text(NO_SENSORS);
    for (let i = 0; i < this.#reasons.length; i++) (this.#reasons[i] as HealthReasons).writeReasons(json, now);
    json.endArray().endObject();
  }

  /** The current settings of every sensor: the GET /v1/config document, in the shape POST /v1/config takes. */
  settings(json: JsonWriter): void {
    json.beginObject().key(K.sensors).beginObject();
    const channels = this.gateway.channels;
    for (let i = 0; i < channels.length; i++) {
      const channel = channels[i] as SensorChannel;
      const keys = this.#settingKeys[i] ?? [];
      json.key(channel.nameBytes).beginObject().key(K.periodMs).number(channel.periodMs, 0);
      for (let s = 0; s < keys.length; s++) json.key(keys[s] as Uint8Array).number(channel.settings[s] ?? 0, 3);
      json.endObject();
    }
    json.endObject().endObject();
  }
}
