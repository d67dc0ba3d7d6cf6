/**
 * Reads POST /v1/config: a flat JSON object of known numeric settings, each checked against its range. Read byte by
 * byte rather than with JSON.parse: on XS every property name JSON.parse meets is interned for good, so a client
 * sending made-up keys would grow the key table without bound. Keys are matched as bytes and never become names.
 */
import { asText } from "../../net/ascii.js";
import type { GatewayConfig } from "./gateway.js";

type Key = keyof GatewayConfig;

const RANGES: Readonly<Record<Key, readonly [number, number]>> = Object.freeze({
  sht3xPeriodMs: Object.freeze([100, 3_600_000] as const), bmp280PeriodMs: Object.freeze([100, 3_600_000] as const),
  tmp117PeriodMs: Object.freeze([100, 3_600_000] as const), lis3dhPeriodMs: Object.freeze([20, 60_000] as const),
  tmp117HighLimitC: Object.freeze([-55, 150] as const),
});
const KEYS: readonly Key[] = Object.freeze(Object.keys(RANGES) as Key[]);

/** True if bytes[start .. start + length) spell `text`. */
function spells(bytes: Uint8Array, start: number, length: number, text: string): boolean {
  if (length !== text.length) return false;
  for (let i = 0; i < length; i++) if (bytes[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

class Cursor {
  constructor(readonly bytes: Uint8Array, public at: number, readonly end: number) {}

  skipSpace(): void {
    while (this.at < this.end && (this.bytes[this.at] === 32 || this.bytes[this.at] === 9 || this.bytes[this.at] === 10 || this.bytes[this.at] === 13)) this.at++;
  }

  /** Skips space, then takes `byte` if it is next. */
  take(byte: number): boolean {
    this.skipSpace();
    if (this.bytes[this.at] !== byte) return false;
    this.at++;
    return true;
  }
}

/** A JSON number at the cursor (RFC 8259 §6), or NaN. */
function readNumber(cursor: Cursor): number {
  const { bytes } = cursor;
  const start = cursor.at;
  const digits = (): number => {
    const from = cursor.at;
    while ((bytes[cursor.at] ?? 0) >= 48 && (bytes[cursor.at] ?? 0) <= 57 && cursor.at < cursor.end) cursor.at++;
    return cursor.at - from;
  };
  if (bytes[cursor.at] === 45) cursor.at++;
  const first = bytes[cursor.at];
  if (digits() === 0 || (first === 48 && cursor.at - start > (bytes[start] === 45 ? 2 : 1))) return Number.NaN;
  if (bytes[cursor.at] === 46 && (cursor.at++, digits() === 0)) return Number.NaN;
  if (bytes[cursor.at] === 101 || bytes[cursor.at] === 69) {
    cursor.at++;
    if (bytes[cursor.at] === 43 || bytes[cursor.at] === 45) cursor.at++;
    if (digits() === 0) return Number.NaN;
  }
  return Number(asText(bytes, start, cursor.at - start));
}

/** The settings in the body, or a message naming what is wrong (for a 400). */
export function readConfigBody(bytes: Uint8Array, start: number, length: number): Partial<GatewayConfig> | string {
  const cursor = new Cursor(bytes, start, start + length);
  if (!cursor.take(123)) return "the body must be a JSON object of settings";
  const settings: Partial<GatewayConfig> = {};
  if (!cursor.take(125)) {
    do {
      if (!cursor.take(34)) return "expected a setting name in double quotes";
      const keyStart = cursor.at;
      while (cursor.at < cursor.end && bytes[cursor.at] !== 34 && bytes[cursor.at] !== 92) cursor.at++;
      if (bytes[cursor.at] !== 34) return "setting names are plain ASCII in double quotes, without escapes";
      const index = KEYS.findIndex((key) => spells(bytes, keyStart, cursor.at - keyStart, key));
      const name = asText(bytes, keyStart, cursor.at - keyStart);
      cursor.at++;
      if (index < 0) return `unknown setting "${name}"; known: ${KEYS.join(", ")}`;
      const key = KEYS[index] as Key;
      if (settings[key] !== undefined) return `setting "${key}" is given twice`;
      if (!cursor.take(58)) return `expected ":" after "${key}"`;
      cursor.skipSpace();
      const value = readNumber(cursor);
      const [low, high] = RANGES[key];
      if (!(value >= low && value <= high)) return `setting "${key}" must be a number from ${low} to ${high}`;
      settings[key] = value;
    } while (cursor.take(44));
    if (!cursor.take(125)) return "expected \",\" or \"}\" after a setting";
  }
  cursor.skipSpace();
  if (cursor.at !== cursor.end) return "nothing may follow the settings object";
  return settings;
}
