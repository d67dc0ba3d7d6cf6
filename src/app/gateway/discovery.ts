/**
 * Home Assistant MQTT discovery (https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery): one retained
 * config message per reading of every declared sensor, on `<prefix>/sensor/<node>/<sensor>_<reading>/config`, with
 * the device class and unit its name carries (`temperatureC`: temperature, °C), the readings topic and a value
 * template, a unique id, the device block and availability on the presence topic. Topics and payloads are written
 * into the caller's buffers from pre-encoded fragments, so (re)publishing them allocates nothing.
 */
import { ascii, bytesEqual } from "../../net/ascii.js";
import type { ByteWriter } from "../../net/writer.js";
import type { SensorChannel } from "./channel.js";

export interface DiscoveryOptions {
  /** Home Assistant's discovery prefix. */
  readonly prefix?: string;
  /** The node id (letters, digits, `_` and `-`; anything else becomes `_`), also the device's identifier and name. */
  readonly node: string;
  /** Topic of each channel's readings, in `channels` order (the telemetry's own bytes, shared), and the presence topic. */
  readonly stateTopics: readonly Uint8Array[];
  readonly availabilityTopic: string;
  readonly model: string;
  readonly softwareVersion: string;
}

/** What a reading's name says about it to Home Assistant: by the unit at its end (camelCase), or a counter's name. */
interface Kind {
  readonly suffix: string;
  readonly deviceClass: string;
  /** The unit as JSON text (quoted, non-ASCII escaped), or "" for none. */
  readonly unit: string;
  readonly stateClass: string;
}
const KINDS: readonly Kind[] = Object.freeze([
  Object.freeze({ suffix: "C", deviceClass: "temperature", unit: "\"\\u00b0C\"", stateClass: "measurement" }),
  Object.freeze({ suffix: "RH", deviceClass: "humidity", unit: "\"%\"", stateClass: "measurement" }),
  Object.freeze({ suffix: "Pa", deviceClass: "pressure", unit: "\"Pa\"", stateClass: "measurement" }),
  Object.freeze({ suffix: "G", deviceClass: "", unit: "\"g\"", stateClass: "measurement" }),
  Object.freeze({ suffix: "Hz", deviceClass: "frequency", unit: "\"Hz\"", stateClass: "measurement" }),
  Object.freeze({ suffix: "V", deviceClass: "voltage", unit: "\"V\"", stateClass: "measurement" }),
  Object.freeze({ suffix: "Ms", deviceClass: "duration", unit: "\"ms\"", stateClass: "measurement" }),
  Object.freeze({ suffix: "", deviceClass: "", unit: "", stateClass: "measurement" }),
]);

/** Readings that only count up (a button's presses): state class total_increasing, no unit. */
function isCounter(reading: string): boolean {
  return reading === "presses" || reading.endsWith("Count") || reading.endsWith("Total");
}

/** A name a template can use after `value_json.`: a letter, then letters, digits and `_`. */
function isIdentifier(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!letter && (i === 0 || !((c >= 48 && c <= 57) || c === 95))) return false;
  }
  return name.length > 0;
}

function kindOf(reading: string): number {
  for (let k = 0; k < KINDS.length - 1; k++) {
    const suffix = (KINDS[k] as Kind).suffix;
    const before = reading.charCodeAt(reading.length - suffix.length - 1);
    if (reading.endsWith(suffix) && before >= 97 && before <= 122) return k; // a lower-case letter, then the unit
  }
  return KINDS.length - 1;
}

/** JSON text of a string made at setup, as ASCII (non-ASCII escaped). */
function json(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A reading announced: which channel and reading, and the bytes its fragments need. */
interface DiscoveredReading {
  readonly channel: SensorChannel;
  readonly reading: Uint8Array;
  /** How much of the reading's name is left without its unit ("temperature" of temperatureC), for the entity's name. */
  readonly labelLength: number;
  readonly stateTopic: Uint8Array;
  /** `,"device_class":…,"unit_of_measurement":…,"state_class":…`, shared by the readings of a kind. */
  readonly classes: Uint8Array;
}

export class HomeAssistantDiscovery {
  readonly node: string;
  /** The filter that brings back this node's retained configs (to remove those of sensors no longer declared). */
  readonly filter: string;
  readonly readings: readonly DiscoveredReading[];
  /** Readings not announced, with why (a name that is no template identifier). */
  readonly skipped: readonly string[];
  /** `<prefix>/sensor/<node>/` and `/config`: every topic of this node is the one, an object id, the other. */
  readonly #topicHead: Uint8Array;
  readonly #topicTail = ascii("/config");
  readonly #nodeBytes: Uint8Array;
  readonly #tail: Uint8Array;
  readonly #f = Object.freeze({ name: ascii("{\"name\":\""), uniqueId: ascii("\",\"unique_id\":\""), stateTopic: ascii("\",\"state_topic\":\""),
    template: ascii("\",\"value_template\":\"{{ value_json."), templateEnd: ascii(".latest }}\"") });

  constructor(channels: readonly SensorChannel[], options: DiscoveryOptions) {
    this.node = options.node.replace(/[^A-Za-z0-9_-]/g, "_");
    const prefix = options.prefix ?? "homeassistant";
    this.filter = `${prefix}/sensor/${this.node}/+/config`;
    this.#topicHead = ascii(`${prefix}/sensor/${this.node}/`);
    this.#nodeBytes = ascii(this.node);
    // payload_available and payload_not_available are left at Home Assistant's defaults, `online` and `offline`.
    this.#tail = ascii(`,"availability_topic":${json(options.availabilityTopic)},` +
      `"device":{"identifiers":[${json(this.node)}],"name":${json(this.node)},` +
      `"model":${json(options.model)},"manufacturer":"stillheap","sw_version":${json(options.softwareVersion)}}}`);
    const readings: DiscoveredReading[] = [];
    const skipped: string[] = [];
    const classesByText = new Map<string, Uint8Array>();
    const none = new Uint8Array(0);
    channels.forEach((channel, c) => {
      for (const reading of channel.readings) {
        if (!isIdentifier(reading.name)) {
          skipped.push(`${channel.name}.${reading.name}: not announced (a reading's name must be letters, digits and _)`);
          continue;
        }
        const kind = KINDS[kindOf(reading.name)] as Kind;
        const counter = isCounter(reading.name);
        const classes = (kind.deviceClass === "" ? "" : `,"device_class":"${kind.deviceClass}"`) +
          (kind.unit === "" || counter ? "" : `,"unit_of_measurement":${kind.unit}`) + `,"state_class":"${counter ? "total_increasing" : kind.stateClass}"`;
        if (!classesByText.has(classes)) classesByText.set(classes, ascii(classes));
        readings.push(Object.freeze({ channel, reading: reading.key, labelLength: reading.name.length - kind.suffix.length,
          stateTopic: options.stateTopics[c] ?? none, classes: classesByText.get(classes) ?? none }));
      }
    });
    this.readings = Object.freeze(readings);
    this.skipped = Object.freeze(skipped);
  }

  /** Writes the config topic of reading `index`. */
  topic(index: number, out: ByteWriter): void {
    const r = this.readings[index];
    if (r === undefined) return;
    out.raw(this.#topicHead).raw(r.channel.nameBytes).byte(95).raw(r.reading).raw(this.#topicTail);
  }

  /** Writes the config payload of reading `index`. */
  payload(index: number, out: ByteWriter): void {
    const r = this.readings[index];
    if (r === undefined) return;
    const f = this.#f;
    out.raw(f.name).raw(r.channel.nameBytes).byte(32).slice(r.reading, 0, r.labelLength).raw(f.uniqueId).raw(this.#nodeBytes).byte(95).raw(r.channel.nameBytes)
      .byte(95).raw(r.reading).raw(f.stateTopic).raw(r.stateTopic).raw(f.template).raw(r.reading).raw(f.templateEnd).raw(r.classes).raw(this.#tail);
  }

  /**
   * For a topic under this node's filter, the object id's bounds as [start, length] in `into`; false for any other
   * topic.
   */
  objectOf(bytes: Uint8Array, topicStart: number, topicLength: number, into: Int32Array): boolean {
    const head = this.#topicHead.length;
    const tail = this.#topicTail.length;
    if (topicLength <= head + tail || !bytesEqual(bytes, topicStart, head, this.#topicHead)) return false;
    if (!bytesEqual(bytes, topicStart + topicLength - tail, tail, this.#topicTail)) return false;
    into[0] = topicStart + head;
    into[1] = topicLength - head - tail;
    return true;
  }

  /** True if the object id at bytes[start .. +length) is one of the readings announced. */
  declares(bytes: Uint8Array, start: number, length: number): boolean {
    for (let i = 0; i < this.readings.length; i++) {
      const r = this.readings[i] as DiscoveredReading;
      const name = r.channel.nameBytes;
      if (length !== name.length + 1 + r.reading.length || !bytesEqual(bytes, start, name.length, name) || bytes[start + name.length] !== 95) continue;
      if (bytesEqual(bytes, start + name.length + 1, r.reading.length, r.reading)) return true;
    }
    return false;
  }
}
