/**
 * Reads POST /v1/config: `{"sensors": {"<name>": {"periodMs": 2000, "<setting>": n, …}, …}}`, each value checked
 * against its type's range; the flat keys of the first release (`sht3xPeriodMs`, `tmp117HighLimitC`: a sensor's name
 * then the setting's, capitalised) are aliases while a sensor of that name is declared. Read byte by byte rather
 * than with JSON.parse: on XS every property name JSON.parse meets is interned for good, so a client sending
 * made-up keys would grow the key table without bound. A config write allocates by design (key text, messages),
 * bounded by the body limit; nothing is applied unless the whole body is valid.
 */
import { asText } from "../../net/ascii.js";
import type { SensorChannel } from "./channel.js";
import type { SensorChanges } from "./gateway.js";
import type { SettingSpec } from "./sensor-type.js";

class Cursor {
  constructor(readonly bytes: Uint8Array, public at: number, readonly end: number) {}

  skipSpace(): void {
    while (this.at < this.end && (this.bytes[this.at] === 32 || this.bytes[this.at] === 9 || this.bytes[this.at] === 10 || this.bytes[this.at] === 13)) this.at++;
  }

  /** Skips space, then takes `byte` if it is next. */
  take(byte: number): boolean {
    this.skipSpace();
    if (this.at >= this.end || this.bytes[this.at] !== byte) return false;
    this.at++;
    return true;
  }

  /** A plain ASCII key in double quotes, as text; undefined (and `error` says why) otherwise. */
  key(): string | undefined {
    if (!this.take(34)) return undefined;
    const start = this.at;
    while (this.at < this.end && this.bytes[this.at] !== 34 && this.bytes[this.at] !== 92) this.at++;
    if (this.at >= this.end || this.bytes[this.at] !== 34) return undefined;
    const key = asText(this.bytes, start, this.at - start);
    this.at++;
    return key;
  }
}

/** A JSON number at the cursor (RFC 8259 §6), or NaN. */
function readNumber(cursor: Cursor): number {
  const { bytes } = cursor;
  const start = cursor.at;
  const digits = (): number => {
    const from = cursor.at;
    while (cursor.at < cursor.end && (bytes[cursor.at] ?? 0) >= 48 && (bytes[cursor.at] ?? 0) <= 57) cursor.at++;
    return cursor.at - from;
  };
  if (bytes[cursor.at] === 45) cursor.at++;
  const first = bytes[cursor.at];
  if (digits() === 0 || (first === 48 && cursor.at - start > (bytes[start] === 45 ? 2 : 1))) return Number.NaN;
  if (cursor.at < cursor.end && bytes[cursor.at] === 46 && (cursor.at++, digits() === 0)) return Number.NaN;
  if (cursor.at < cursor.end && (bytes[cursor.at] === 101 || bytes[cursor.at] === 69)) {
    cursor.at++;
    if (bytes[cursor.at] === 43 || bytes[cursor.at] === 45) cursor.at++;
    if (digits() === 0) return Number.NaN;
  }
  return Number(asText(bytes, start, cursor.at - start));
}

/** Pending changes for every channel, NaN where unchanged: made once, cleared before each body. */
export class ConfigChanges implements SensorChanges {
  readonly periodMs: Float64Array;
  readonly settings: readonly Float64Array[];

  constructor(readonly channels: readonly SensorChannel[]) {
    this.periodMs = new Float64Array(channels.length);
    this.settings = Object.freeze(channels.map((channel) => new Float64Array(channel.settings.length)));
    this.clear();
  }

  clear(): void {
    this.periodMs.fill(Number.NaN);
    for (let i = 0; i < this.settings.length; i++) this.settings[i]?.fill(Number.NaN);
  }
}

function capitalised(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

function rangeText(spec: SettingSpec): string {
  if (spec.choices !== undefined) return `one of ${spec.choices.join(", ")}`;
  return `${spec.whole === true ? "a whole number" : "a number"} from ${spec.low} to ${spec.high}`;
}

function valid(spec: SettingSpec, value: number): boolean {
  if (!(value >= spec.low && value <= spec.high)) return false;
  if (spec.whole === true && !Number.isInteger(value)) return false;
  return spec.choices === undefined || spec.choices.includes(value);
}

/** One setting of one channel: "periodMs" or a type setting; checked and recorded, or a message. */
function setting(changes: ConfigChanges, index: number, key: string, cursor: Cursor, shownAs: string): string | undefined {
  const channel = changes.channels[index] as SensorChannel;
  const type = channel.type;
  const s = key === "periodMs" ? -1 : type.settings.findIndex((spec) => spec.key === key);
  const spec = s < 0 ? type.period : type.settings[s];
  if (spec === undefined || (s < 0 && key !== "periodMs")) {
    return `unknown setting ${shownAs} for ${channel.name} (a ${type.type}); known: ${["periodMs", ...type.settings.filter((x) => x.fixed !== true).map((x) => x.key)].join(", ")}`;
  }
  if (spec.fixed === true) return `${shownAs} is set in the sensor declaration only: it takes effect when the sensor opens`;
  const pending = s < 0 ? changes.periodMs : (changes.settings[index] as Float64Array);
  const slot = s < 0 ? index : s;
  if (pending[slot] === pending[slot]) return `setting ${shownAs} is given twice`;
  if (!cursor.take(58)) return `expected ":" after ${shownAs}`;
  cursor.skipSpace();
  const value = readNumber(cursor);
  if (!valid(spec, value)) return `setting ${shownAs} must be ${rangeText(spec)}`;
  pending[slot] = value;
  return undefined;
}

function channelIndex(channels: readonly SensorChannel[], name: string): number {
  for (let i = 0; i < channels.length; i++) if (channels[i]?.name === name) return i;
  return -1;
}

/** The object of one sensor's settings under "sensors". */
function sensorObject(changes: ConfigChanges, index: number, cursor: Cursor): string | undefined {
  const name = (changes.channels[index] as SensorChannel).name;
  if (!cursor.take(123)) return `"sensors"."${name}" must be an object of settings`;
  if (cursor.take(125)) return undefined;
  do {
    const key = cursor.key();
    if (key === undefined) return "setting names are plain ASCII in double quotes, without escapes";
    const problem = setting(changes, index, key, cursor, `"sensors"."${name}"."${key}"`);
    if (problem !== undefined) return problem;
  } while (cursor.take(44));
  return cursor.take(125) ? undefined : `expected "," or "}" after a setting of "${name}"`;
}

function sensorsObject(changes: ConfigChanges, cursor: Cursor): string | undefined {
  if (!cursor.take(123)) return "\"sensors\" must be an object keyed by sensor name";
  if (cursor.take(125)) return undefined;
  do {
    const name = cursor.key();
    if (name === undefined) return "sensor names are plain ASCII in double quotes, without escapes";
    const index = channelIndex(changes.channels, name);
    if (index < 0) return `no sensor named "${name}"; declared: ${changes.channels.map((c) => c.name).join(", ")}`;
    if (!cursor.take(58)) return `expected ":" after "${name}"`;
    const problem = sensorObject(changes, index, cursor);
    if (problem !== undefined) return problem;
  } while (cursor.take(44));
  return cursor.take(125) ? undefined : "expected \",\" or \"}\" after a sensor's settings";
}

/** A flat alias: a declared sensor's name followed by a setting's name, capitalised (`sht3xPeriodMs`). */
function alias(changes: ConfigChanges, key: string, cursor: Cursor): string | undefined {
  for (let i = 0; i < changes.channels.length; i++) {
    const channel = changes.channels[i] as SensorChannel;
    if (!key.startsWith(channel.name) || key.length <= channel.name.length) continue;
    const rest = key.slice(channel.name.length);
    const known = ["periodMs", ...channel.type.settings.map((spec) => spec.key)].find((k) => capitalised(k) === rest);
    if (known !== undefined) return setting(changes, i, known, cursor, `"${key}"`);
  }
  return `unknown setting "${key}"; settings go in {"sensors": {"<name>": {"periodMs": …}}} (sensors: ${changes.channels.map((c) => c.name).join(", ")})`;
}

/** Reads the body into `changes` (cleared first); undefined when valid, else a message naming what is wrong (a 400). */
export function readConfigBody(bytes: Uint8Array, start: number, length: number, changes: ConfigChanges): string | undefined {
  changes.clear();
  const cursor = new Cursor(bytes, start, start + length);
  if (!cursor.take(123)) return "the body must be a JSON object of settings";
  if (!cursor.take(125)) {
    let sensorsSeen = false;
    do {
      const key = cursor.key();
      if (key === undefined) return "setting names are plain ASCII in double quotes, without escapes";
      let problem: string | undefined;
      if (key === "sensors") {
        if (sensorsSeen) return "\"sensors\" is given twice";
        sensorsSeen = true;
        problem = cursor.take(58) ? sensorsObject(changes, cursor) : "expected \":\" after \"sensors\"";
      } else problem = alias(changes, key, cursor);
      if (problem !== undefined) return problem;
    } while (cursor.take(44));
    if (!cursor.take(125)) return "expected \",\" or \"}\" after a setting";
  }
  cursor.skipSpace();
  if (cursor.at !== cursor.end) return "nothing may follow the settings object";
  return undefined;
}
