/**
 * Option checks shared by the drivers: every constructor and configure() option is checked against what the
 * datasheet allows before anything reaches the bus, and a refusal names the option, the value and what is allowed.
 * Setup paths only: these allocate (messages), the sampling paths never call them.
 */
import { RecordRing } from "../../mem/record-ring.js";
import { SensorError } from "./errors.js";

/** A refused option: `option` (its path, e.g. "config.averaging"), the `value` given and what is `allowed`. */
export class SensorOptionError extends SensorError {
  override name = "SensorOptionError";
  constructor(
    readonly chip: string,
    readonly option: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super("bad-option", -1, -1, `${chip}: ${option} = ${shown(value)} is not allowed (allowed: ${allowed})`);
  }
}

function shown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (value === null || typeof value !== "object") return String(value);
  return Array.isArray(value) ? "an array" : "an object";
}

function listed(allowed: readonly unknown[]): string {
  return allowed.map((value) => (typeof value === "string" ? JSON.stringify(value) : String(value))).join(", ");
}

/**
 * Checks one driver's options; `chip` prefixes every message. Options it does not recognise are ignored, as ECMA-419
 * §8 requires of the constructor and configure(), and their paths listed in `ignored` (once each) so a misspelt
 * option can still be seen.
 */
export class OptionCheck {
  constructor(readonly chip: string, readonly ignored: string[] = []) {}

  refuse(option: string, value: unknown, allowed: string): never {
    throw new SensorOptionError(this.chip, option, value, allowed);
  }

  /** An object; its own keys not in `keys` are ignored and listed in `ignored`. */
  keys(option: string, value: unknown, keys: readonly string[]): Record<string, unknown> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) this.refuse(option === "" ? "options" : option, value, "an object");
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const path = option === "" ? key : `${option}.${key}`;
      if (!keys.includes(key) && !this.ignored.includes(path)) this.ignored.push(path);
    }
    return record;
  }

  /** The timer module's Timer (set, repeat, schedule, clear), or undefined. */
  timer(option: string, value: unknown): void {
    if (value === undefined) return;
    const timer = value as Record<string, unknown> | null;
    if (timer === null || typeof timer !== "object" || typeof timer["repeat"] !== "function" || typeof timer["schedule"] !== "function" ||
      typeof timer["clear"] !== "function") {
      this.refuse(option, value, "the timer module (Timer with repeat, schedule and clear), or leave it out");
    }
  }

  oneOf<T>(option: string, value: unknown, allowed: readonly T[]): T {
    if (!allowed.includes(value as T)) this.refuse(option, value, listed(allowed));
    return value as T;
  }

  whole(option: string, value: unknown, min: number, max: number): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      this.refuse(option, value, `a whole number ${min}–${max}`);
    }
    return value;
  }

  number(option: string, value: unknown, min: number, max: number, unit: string): number {
    if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
      this.refuse(option, value, `a number ${min}–${max} ${unit}`);
    }
    return value;
  }

  boolean(option: string, value: unknown): boolean {
    if (typeof value !== "boolean") this.refuse(option, value, "true or false");
    return value;
  }

  /** A callback, or undefined when it is optional. */
  callback(option: string, value: unknown): void {
    if (value !== undefined && typeof value !== "function") this.refuse(option, value, "a function, or leave it out");
  }

  /** An instance of `type`, or undefined. */
  instance(option: string, value: unknown, type: abstract new (...args: never[]) => unknown, name: string): void {
    if (value !== undefined && !(value instanceof type)) this.refuse(option, value, `a ${name}, or leave it out`);
  }

  /** A RecordRing of `recordBytes`-byte records (what the driver queues), or undefined. */
  ring(option: string, value: unknown, recordBytes: number): void {
    if (value === undefined) return;
    if (!(value instanceof RecordRing)) this.refuse(option, value, `a RecordRing of ${recordBytes}-byte records, or leave it out`);
    if (value.recordBytes !== recordBytes) this.refuse(`${option}.recordBytes`, value.recordBytes, `${recordBytes}, the size of one record`);
  }

  /** `{io, pin}` of a Digital line (an alert or interrupt pin). */
  pin(option: string, value: unknown): void {
    if (value === undefined) return;
    const line = this.keys(option, value, ["io", "pin"]);
    if (typeof line.io !== "function") this.refuse(`${option}.io`, line.io, "a Digital constructor (device.io.Digital)");
    this.whole(`${option}.pin`, line.pin, 0, 255);
  }
}
