/**
 * The sensor declaration: which sensors a board carries, on which bus, address and pins, sampled how often, with
 * which settings — the application's facts, read by each host's composition root (a manifest's `config.sensors`, a
 * scenario's `sensors`, the RP2040 image's build). Validated whole before anything is opened: every problem is a
 * DeclarationError naming its JSON path and what to change. Setup only: this allocates freely.
 */
import type { I2CPins } from "../../io/index.js";
import type { SensorType, SettingSpec } from "./sensor-type.js";

export class DeclarationError extends Error {
  override name = "DeclarationError";
  constructor(readonly path: string, problem: string) {
    super(`${path}: ${problem}`);
  }
}

/** The board as a declaration is checked against: its buses and named pins (a `device` provider's) and GPIO count. */
export interface BoardFacts {
  readonly i2c: Readonly<Record<string, I2CPins | undefined>>;
  readonly pin: Readonly<Record<string, number>>;
  readonly gpioCount: number;
}

/** A sensor's bus, resolved to pins, with its address. */
export interface DeclaredBus {
  /** The board's name for it, or "" for pins given in the declaration. */
  readonly name: string;
  readonly data: number;
  readonly clock: number;
  readonly hz: number;
  readonly port: number | undefined;
  readonly address: number;
}

/** One validated sensor. */
export interface DeclaredSensor {
  readonly name: string;
  readonly type: SensorType;
  readonly bus: DeclaredBus | undefined;
  /** GPIO numbers by role. */
  readonly pins: Readonly<Record<string, number>>;
  readonly periodMs: number;
  /** In the type's `settings` order. */
  readonly settings: readonly number[];
  readonly required: boolean;
}

/** Most sensors one declaration may list: each costs its channel's buffers and timers. */
export const MAX_SENSORS = 16;
const SENSOR_KEYS = Object.freeze(["name", "type", "bus", "address", "hz", "pins", "periodMs", "settings", "required"]);
const BUS_KEYS = Object.freeze(["data", "clock", "hz", "port"]);

type Json = unknown;
type JsonObject = Readonly<Record<string, Json>>;

/**
 * 1–24 of a-z, 0-9, "_" and "-", starting with a letter or digit. Checked by hand: a module-level RegExp is
 * preloaded into the Moddable image's read-only heap, and XS 8.2.3 crashes matching one at run time.
 */
function isSensorName(name: string): boolean {
  if (name.length === 0 || name.length > 24) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const alnum = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
    if (!alnum && (i === 0 || (c !== 0x5f && c !== 0x2d))) return false;
  }
  return true;
}

function shown(value: Json): string {
  return value === undefined ? "nothing" : JSON.stringify(value) ?? String(value);
}

function object(value: Json, path: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new DeclarationError(path, `expected an object, got ${shown(value)}`);
  return value as JsonObject;
}

function only(value: JsonObject, path: string, keys: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) throw new DeclarationError(`${path}.${key}`, `unknown key; expected one of ${keys.join(", ")}`);
  }
}

function whole(value: Json, path: string, low: number, high: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < low || value > high) {
    throw new DeclarationError(path, `expected a whole number ${low}–${high}, got ${shown(value)}`);
  }
  return value;
}

/** A setting's value, checked against its spec. */
export function checkSetting(spec: SettingSpec, value: Json, path: string): number {
  const { low, high, choices } = spec;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new DeclarationError(path, `expected a number, got ${shown(value)}`);
  if (choices !== undefined && !choices.includes(value)) throw new DeclarationError(path, `expected one of ${choices.join(", ")}, got ${value}`);
  if (value < low || value > high || (spec.whole === true && !Number.isInteger(value))) {
    throw new DeclarationError(path, `expected ${spec.whole === true ? "a whole number" : "a number"} ${low}–${high}, got ${value}`);
  }
  return value;
}

function hex(address: number): string {
  return `0x${address.toString(16)}`;
}

class Checker {
  /** Who holds each GPIO, as "<path>": a pin declared twice (or also a bus line) is refused. */
  readonly #pinOwners = new Map<number, { path: string; bus: string }>();
  /** Addresses taken per bus ("data/clock"). */
  readonly #addresses = new Map<string, Map<number, string>>();

  constructor(readonly board: BoardFacts, readonly types: readonly SensorType[]) {}

  pin(value: Json, path: string): number {
    if (typeof value === "string") {
      const named = this.board.pin[value];
      if (named === undefined) throw new DeclarationError(path, `the board has no pin named "${value}" (named pins: ${Object.keys(this.board.pin).join(", ") || "none"}); give a GPIO number`);
      return named;
    }
    return whole(value, path, 0, this.board.gpioCount - 1);
  }

  /** `pin` used for `use` ("bus a/b" for a bus line, shared by the sensors on that bus; "" for a sensor's own line). */
  claim(pin: number, path: string, bus: string): void {
    const owner = this.#pinOwners.get(pin);
    if (owner !== undefined && (bus === "" || owner.bus !== bus)) {
      throw new DeclarationError(path, `GPIO ${pin} is already used by ${owner.path}: each pin serves one purpose`);
    }
    if (owner === undefined) this.#pinOwners.set(pin, { path, bus });
  }

  bus(spec: JsonObject, type: SensorType, path: string): DeclaredBus {
    const value = spec["bus"] ?? "default";
    let pins: I2CPins;
    let name = "";
    let at = `${path}.bus`;
    if (typeof value === "string") {
      const named = this.board.i2c[value];
      if (named === undefined) throw new DeclarationError(at, `the board has no I2C bus "${value}" (buses: ${Object.keys(this.board.i2c).join(", ")}); name one, or give {"data": pin, "clock": pin}`);
      pins = named;
      name = value;
    } else {
      const bus = object(value, at);
      only(bus, at, BUS_KEYS);
      if (bus["data"] === undefined || bus["clock"] === undefined) throw new DeclarationError(at, "a bus given by pins needs both \"data\" and \"clock\"");
      const data = this.pin(bus["data"], `${at}.data`);
      const clock = this.pin(bus["clock"], `${at}.clock`);
      if (data === clock) throw new DeclarationError(`${at}.clock`, "data and clock must be two pins");
      pins = { data, clock, hz: bus["hz"] === undefined ? 100_000 : whole(bus["hz"], `${at}.hz`, 1, 3_400_000),
        ...(bus["port"] === undefined ? {} : { port: whole(bus["port"], `${at}.port`, 0, 15) }) };
      at = `${at}.data`;
    }
    // Moddable's providers give no hz for their buses: standard mode, as an I2C without one runs.
    let hz = Math.min(pins.hz > 0 ? pins.hz : 100_000, type.maxHz);
    if (spec["hz"] !== undefined) hz = whole(spec["hz"], `${path}.hz`, 1, type.maxHz);
    const wires = `${pins.data}/${pins.clock}`;
    this.claim(pins.data, at, wires);
    this.claim(pins.clock, at, wires);
    const address = spec["address"] === undefined ? (type.addresses[0] ?? 0) : whole(spec["address"], `${path}.address`, 0, 127);
    if (!type.addresses.includes(address)) {
      throw new DeclarationError(`${path}.address`, `a ${type.type} answers at ${type.addresses.map(hex).join(" or ")}, not ${hex(address)}`);
    }
    const taken = this.#addresses.get(wires) ?? new Map<number, string>();
    this.#addresses.set(wires, taken);
    const holder = taken.get(address);
    if (holder !== undefined) throw new DeclarationError(`${path}.address`, `${hex(address)} on this bus is already ${holder}; give one another address or bus`);
    taken.set(address, `${path} (${String(spec["name"])})`);
    return Object.freeze({ name, data: pins.data, clock: pins.clock, hz, port: pins.port, address });
  }

  sensor(value: Json, path: string, names: Set<string>): DeclaredSensor {
    const spec = object(value, path);
    only(spec, path, SENSOR_KEYS);
    const name = spec["name"];
    if (typeof name !== "string" || !isSensorName(name)) {
      throw new DeclarationError(`${path}.name`, `expected 1–24 lower-case letters, digits, "_" or "-" (it names the sensor in URLs, metrics and MQTT topics), got ${shown(name)}`);
    }
    if (names.has(name)) throw new DeclarationError(`${path}.name`, `"${name}" is declared twice: each sensor needs its own name`);
    names.add(name);
    const type = this.types.find((candidate) => candidate.type === spec["type"]);
    if (type === undefined) throw new DeclarationError(`${path}.type`, `unknown sensor type ${shown(spec["type"])}; known: ${this.types.map((t) => t.type).join(", ")}`);
    const onBus = type.addresses.length > 0;
    for (const key of ["bus", "address", "hz"]) {
      if (!onBus && spec[key] !== undefined) throw new DeclarationError(`${path}.${key}`, `a ${type.type} is on no I2C bus: leave "${key}" out`);
    }
    const bus = onBus ? this.bus(spec, type, path) : undefined;
    return Object.freeze({
      name, type, bus, pins: this.#pins(spec["pins"], type, `${path}.pins`),
      periodMs: spec["periodMs"] === undefined ? type.period.fallback : checkSetting(type.period, spec["periodMs"], `${path}.periodMs`),
      settings: this.#settings(spec["settings"], type, `${path}.settings`),
      required: spec["required"] === undefined ? true : boolean(spec["required"], `${path}.required`),
    });
  }

  #pins(value: Json, type: SensorType, path: string): Readonly<Record<string, number>> {
    const given = value === undefined ? {} : object(value, path);
    only(given, path, type.pins.map((pin) => pin.role));
    const pins: Record<string, number> = {};
    for (const { role, required } of type.pins) {
      if (given[role] === undefined) {
        if (required) throw new DeclarationError(`${path}.${role}`, `a ${type.type} needs its ${role} pin: give its GPIO number`);
        continue;
      }
      const pin = this.pin(given[role], `${path}.${role}`);
      this.claim(pin, `${path}.${role}`, "");
      pins[role] = pin;
    }
    return Object.freeze(pins);
  }

  #settings(value: Json, type: SensorType, path: string): readonly number[] {
    const given = value === undefined ? {} : object(value, path);
    only(given, path, type.settings.map((setting) => setting.key));
    return Object.freeze(type.settings.map((setting) => (given[setting.key] === undefined ? setting.fallback : checkSetting(setting, given[setting.key], `${path}.${setting.key}`))));
  }
}

function boolean(value: Json, path: string): boolean {
  if (typeof value !== "boolean") throw new DeclarationError(path, `expected true or false, got ${shown(value)}`);
  return value;
}

/**
 * Checks a declaration (`path` names where it came from, e.g. `$.sensors` of a scenario file) against the board
 * and the known types; returns the sensors in declared order, or throws a DeclarationError.
 */
export function readDeclaration(value: Json, board: BoardFacts, types: readonly SensorType[], path = "sensors"): readonly DeclaredSensor[] {
  if (!Array.isArray(value)) throw new DeclarationError(path, `expected an array of sensors, got ${shown(value)}`);
  if (value.length === 0 || value.length > MAX_SENSORS) throw new DeclarationError(path, `expected 1–${MAX_SENSORS} sensors, got ${value.length}`);
  const checker = new Checker(board, types);
  const names = new Set<string>();
  return Object.freeze(value.map((sensor: Json, i) => checker.sensor(sensor, `${path}[${i}]`, names)));
}

/** The board a `device` provider describes, for readDeclaration. */
export function boardFacts(device: { readonly I2C: Readonly<Record<string, I2CPins | undefined>>; readonly pin: Readonly<Record<string, number>> }, gpioCount: number): BoardFacts {
  return { i2c: device.I2C, pin: device.pin, gpioCount };
}
