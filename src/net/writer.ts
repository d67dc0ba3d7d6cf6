/**
 * Writes ASCII, numbers, JSON and Prometheus text straight into a caller's byte buffer. Overflow is detected, never
 * truncated silently: `overflowed` turns true and the caller answers 500 (counted). Numbers are formatted digit by
 * digit — no toString, no template strings — so writing allocates nothing.
 */
import { codeAt } from "./ascii.js";

export class ByteWriter {
  bytes: Uint8Array = new Uint8Array(0);
  position = 0;
  limit = 0;
  overflowed = false;
  readonly #digits = new Uint8Array(24);

  /** Writes into bytes[start .. limit). */
  reset(bytes: Uint8Array, start = 0, limit = bytes.length): this {
    this.bytes = bytes;
    this.position = start;
    this.limit = limit;
    this.overflowed = false;
    return this;
  }

  byte(value: number): this {
    if (this.position >= this.limit) this.overflowed = true;
    else this.bytes[this.position++] = value;
    return this;
  }

  raw(constant: Uint8Array): this {
    const length = constant.length; // a native getter on XS: read once
    const at = this.position;
    if (at + length > this.limit) {
      this.overflowed = true;
      return this;
    }
    this.bytes.set(constant, at);
    this.position = at + length;
    return this;
  }

  /**
   * ASCII text from a string constant (anything else becomes "?"). A module's string constants stay in flash on a
   * device, where the same text as a Uint8Array would take RAM: constants written once per response are strings.
   */
  ascii(text: string): this {
    for (let i = 0; ; i++) {
      const c = codeAt(text, i);
      if (!(c >= 0)) return this; // NaN: past the end
      this.byte(c < 128 ? c : 63);
    }
  }

  /** Bytes or ASCII text. */
  put(value: Uint8Array | string): this {
    return value instanceof Uint8Array ? this.raw(value) : this.ascii(value);
  }

  /** Copies bytes[start .. start + length) of another buffer (e.g. a path parameter). */
  slice(source: Uint8Array, start: number, length: number): this {
    for (let i = 0; i < length; i++) this.byte(source[start + i] ?? 0);
    return this;
  }

  /** A whole number (rounded), with a minus sign when negative. */
  integer(value: number): this {
    return this.#digitsOf(Math.round(value), 0);
  }

  /** A number with `decimals` fixed decimals (0–6); NaN and ±Infinity are the caller's to handle. */
  fixed(value: number, decimals: number): this {
    const scaled = Math.round(value * POWERS[decimals]!);
    return this.#digitsOf(scaled === 0 ? 0 : scaled, decimals);
  }

  /** A JSON number: `decimals` fixed decimals (0–6), or null when not finite (JSON has no NaN or Infinity). */
  jsonNumber(value: number, decimals: number): this {
    // value - value is 0 for finite numbers and NaN for NaN and ±Infinity: no call, unlike Number.isFinite.
    if (value - value !== 0) return this.raw(NULL);
    const scaled = Math.round(value * POWERS[decimals]!);
    return this.#digitsOf(scaled === 0 ? 0 : scaled, decimals); // as fixed(), one call less deep
  }

  /**
   * Writes n (a whole number) with a point `decimals` digits from the right, zero-padded, signed; one capacity
   * check. Below 2^31 it divides with `| 0` (integer arithmetic on XS, no Math.floor call) straight into the output,
   * right to left; larger magnitudes take the floating-point path.
   */
  #digitsOf(n: number, decimals: number): this {
    const negative = n < 0;
    let rest = negative ? -n : n;
    if (!(rest < 2147483648)) return this.#largeDigitsOf(n, decimals);
    // Digits by comparison, no division; inline, as this is the deepest frame of a response (stack is scarce on XS).
    let count = rest < 10000 ? (rest < 100 ? (rest < 10 ? 1 : 2) : rest < 1000 ? 3 : 4)
      : rest < 100000000 ? (rest < 1000000 ? (rest < 100000 ? 5 : 6) : rest < 10000000 ? 7 : 8) : rest < 1000000000 ? 9 : 10;
    if (count <= decimals) count = decimals + 1;
    let at = this.position + count + (negative ? 1 : 0) + (decimals > 0 ? 1 : 0);
    if (at > this.limit) {
      this.overflowed = true;
      return this;
    }
    const bytes = this.bytes;
    if (negative) bytes[this.position] = 45;
    this.position = at;
    for (let d = 0; d < decimals; d++) {
      bytes[--at] = 48 + (rest % 10);
      rest = (rest / 10) | 0;
    }
    if (decimals > 0) bytes[--at] = 46;
    do {
      bytes[--at] = 48 + (rest % 10);
      rest = (rest / 10) | 0;
    } while (rest > 0);
    return this;
  }

  /** #digitsOf for magnitudes of 2^31 and above, in floating point (up to 24 digits). */
  #largeDigitsOf(n: number, decimals: number): this {
    const digits = this.#digits;
    let rest = n < 0 ? -n : n;
    let count = 0;
    while ((rest > 0 || count <= decimals) && count < digits.length) {
      const next = Math.floor(rest / 10);
      digits[count++] = 48 + (rest - next * 10);
      rest = next;
    }
    const length = count + (n < 0 ? 1 : 0) + (decimals > 0 ? 1 : 0);
    if (this.position + length > this.limit) {
      this.overflowed = true;
      return this;
    }
    const bytes = this.bytes;
    let at = this.position;
    if (n < 0) bytes[at++] = 45;
    while (count > 0) {
      if (count === decimals) bytes[at++] = 46;
      bytes[at++] = digits[--count] ?? 48;
    }
    this.position = at;
    return this;
  }
}

const POWERS = Object.freeze([1, 10, 100, 1000, 10000, 100000, 1000000]);

const NULL = new Uint8Array([110, 117, 108, 108]);
const TRUE = new Uint8Array([116, 114, 117, 101]);
const FALSE = new Uint8Array([102, 97, 108, 115, 101]);

/** JSON into a ByteWriter: objects, arrays, keys as pre-encoded bytes, numbers (NaN/Infinity → null). */
export class JsonWriter {
  readonly #first = new Uint8Array(16);
  #depth = 0;

  constructor(readonly out: ByteWriter) {}

  reset(): this {
    this.#depth = 0;
    return this;
  }

  #separate(): void {
    if (this.#depth === 0) return;
    if (this.#first[this.#depth] === 1) this.#first[this.#depth] = 0;
    else this.out.byte(44);
  }

  #open(bracket: number): this {
    this.#separate();
    this.out.byte(bracket);
    this.#first[++this.#depth] = 1;
    return this;
  }

  beginObject(): this {
    return this.#open(123);
  }

  beginArray(): this {
    return this.#open(91);
  }

  end(bracket: 125 | 93 = 125): this {
    this.#depth--;
    this.out.byte(bracket);
    return this;
  }

  endObject(): this {
    return this.end(125);
  }

  endArray(): this {
    return this.end(93);
  }

  /** `"key":` — the key must be pre-encoded ASCII without characters that need escaping. */
  key(name: Uint8Array): this {
    this.#separate();
    this.out.byte(34).raw(name).byte(34).byte(58);
    this.#first[this.#depth] = 1; // the value follows without a comma
    return this;
  }

  number(value: number, decimals = 3): this {
    this.#separate();
    this.out.jsonNumber(value, decimals);
    return this;
  }

  /**
   * Makes room for a value the caller writes whole, as bytes, into `out` (a comma first if one is due): pre-encoded
   * fragments written in one call each are faster than a call per key and bracket.
   */
  value(): ByteWriter {
    this.#separate();
    return this.out;
  }

  bool(value: boolean): this {
    this.#separate();
    this.out.raw(value ? TRUE : FALSE);
    return this;
  }

  /** A string from bytes, escaping quotes, backslashes and control characters. */
  string(source: Uint8Array, start = 0, length = source.length - start): this {
    this.#separate();
    const out = this.out;
    out.byte(34);
    for (let i = start; i < start + length; i++) {
      const b = source[i] ?? 0;
      if (b === 34 || b === 92) out.byte(92).byte(b);
      else if (b < 32) out.byte(92).byte(117).byte(48).byte(48).byte(48 + (b >> 4)).byte(b % 16 < 10 ? 48 + (b % 16) : 87 + (b % 16));
      else out.byte(b);
    }
    out.byte(34);
    return this;
  }

  /**
   * A string from a JS string (a message made at run time): anything outside printable ASCII is written as a
   * \uXXXX escape, so no text can make it throw or produce invalid JSON.
   */
  text(value: string): this {
    this.#separate();
    const out = this.out;
    out.byte(34);
    for (let i = 0; ; i++) {
      const c = codeAt(value, i);
      if (!(c >= 0)) break; // NaN: past the end
      if (c === 34 || c === 92) out.byte(92).byte(c);
      else if (c >= 32 && c < 127) out.byte(c);
      else out.byte(92).byte(117).byte(HEX[(c >> 12) & 15] ?? 48).byte(HEX[(c >> 8) & 15] ?? 48).byte(HEX[(c >> 4) & 15] ?? 48).byte(HEX[c & 15] ?? 48);
    }
    out.byte(34);
    return this;
  }
}

const HEX = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

/** Prometheus text exposition (format 0.0.4): HELP/TYPE once per family, then samples with optional labels. */
export class PrometheusWriter {
  constructor(readonly out: ByteWriter) {}

  /** `# HELP name help\n# TYPE name type\n`. */
  family(name: Text, type: Text, help: Text): this {
    this.out.raw(HELP).put(name).byte(32).put(help).byte(10).raw(TYPE).put(name).byte(32).put(type).byte(10);
    return this;
  }

  /** `name value\n`, or `name{label="value"} value\n` when a label is given. */
  sample(name: Text, value: number, label?: Text, labelValue?: Text, decimals = 0): this {
    const out = this.out.put(name);
    if (label !== undefined && labelValue !== undefined) out.byte(123).put(label).byte(61).byte(34).put(labelValue).byte(34).byte(125);
    return this.#value(value, decimals);
  }

  /** `name{label1="value1",label2="value2"} value\n`. */
  sample2(name: Text, value: number, label1: Text, value1: Text | undefined, label2: Text, value2: Text | undefined): this {
    const out = this.out.put(name).byte(123).put(label1).byte(61).byte(34);
    if (value1 !== undefined) out.put(value1);
    out.byte(34).byte(44).put(label2).byte(61).byte(34);
    if (value2 !== undefined) out.put(value2);
    out.byte(34).byte(125);
    return this.#value(value, 0);
  }

  #value(value: number, decimals: number): this {
    const out = this.out.byte(32);
    if (Number.isNaN(value)) out.raw(NAN);
    else if (decimals === 0) out.integer(value);
    else out.fixed(value, decimals);
    out.byte(10);
    return this;
  }
}

/** Pre-encoded bytes, or a string constant of ASCII text. */
export type Text = Uint8Array | string;

const HELP = new Uint8Array([35, 32, 72, 69, 76, 80, 32]); // "# HELP "
const TYPE = new Uint8Array([35, 32, 84, 89, 80, 69, 32]); // "# TYPE "
const NAN = new Uint8Array([78, 97, 78]); // "NaN"
