/**
 * Scenario files: the devices on a simulated board, their signals, and faults at virtual times, as JSON that tests
 * and `npm start --scenario` both load. Devices are named by the type of their model: the built-in DEVICE_MODELS, and
 * a user's own passed in with deviceModels(). Validation names the JSON path of every problem; reading the file is the
 * host's job. The JSON Schema beside this file (scenario.schema.json) describes the same format for editors.
 */
import { boardNamed, type Board } from "../boards/index.js";
import type { BusPins } from "./buses.js";
import type { I2CTarget } from "./bus.js";
import { AHT20Model } from "./devices/aht20.js";
import { BMP280Model } from "./devices/bmp280.js";
import { ContactInput } from "./devices/contact.js";
import { LIS3DHModel } from "./devices/lis3dh.js";
import { MPU6050Model } from "./devices/mpu6050.js";
import { SHT3xModel } from "./devices/sht3x.js";
import { SHTC3Model } from "./devices/shtc3.js";
import { TMP102Model } from "./devices/tmp102.js";
import { TMP117Model } from "./devices/tmp117.js";
import { FAULT_KINDS, type FaultKind } from "./faults.js";
import { constant, noise, ramp, series, sine, type Signal } from "./signals.js";
import { Simulation } from "./simulation.js";

export class ScenarioError extends Error {
  override name = "ScenarioError";
  constructor(readonly path: string, problem: string) {
    super(`${path}: ${problem}`);
  }
}

type Json = unknown;
type JsonObject = Readonly<Record<string, Json>>;

const SIGNAL_KINDS = ["constant", "ramp", "sine", "noise", "series"] as const;

function object(value: Json, path: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ScenarioError(path, "expected an object");
  return value as JsonObject;
}

function number(value: Json, path: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ScenarioError(path, `expected a number, got ${JSON.stringify(value) ?? "nothing"}`);
  return value;
}

function integer(value: Json, path: string, low: number, high: number, fallback?: number): number {
  const n = number(value, path, fallback);
  if (!Number.isInteger(n) || n < low || n > high) throw new ScenarioError(path, `expected a whole number ${low}–${high}, got ${n}`);
  return n;
}

function oneOf<T extends string>(value: Json, path: string, choices: readonly T[]): T {
  const found = choices.find((choice) => choice === value);
  if (found === undefined) throw new ScenarioError(path, `expected one of ${choices.join(", ")}, got ${JSON.stringify(value) ?? "nothing"}`);
  return found;
}

function only(value: JsonObject, path: string, keys: readonly string[]): void {
  for (const key of Object.keys(value)) if (!keys.includes(key)) throw new ScenarioError(`${path}.${key}`, `unknown key; expected ${keys.join(", ")}`);
}

export function parseSignal(value: Json, path: string, fallback: number): Signal {
  if (value === undefined) return constant(fallback);
  if (typeof value === "number") return constant(number(value, path));
  const spec = object(value, path);
  const kind = oneOf(spec["kind"], `${path}.kind`, SIGNAL_KINDS);
  const at = (key: string, def?: number): number => number(spec[key], `${path}.${key}`, def);
  switch (kind) {
    case "constant": return constant(at("value"));
    case "ramp": return ramp(at("from"), at("to"), at("durationMs"), at("startMs", 0));
    case "sine": return sine(at("mean"), at("amplitude"), at("periodMs"));
    case "noise": return noise(at("mean"), at("deviation"), at("seed", 1));
    case "series": {
      const points = spec["points"];
      if (!Array.isArray(points) || points.length === 0) throw new ScenarioError(`${path}.points`, "expected a non-empty array of [ms, value]");
      return series(points.map((point: Json, i) => {
        if (!Array.isArray(point) || point.length !== 2) throw new ScenarioError(`${path}.points[${i}]`, "expected [ms, value]");
        return [number(point[0], `${path}.points[${i}][0]`), number(point[1], `${path}.points[${i}][1]`)] as const;
      }));
    }
  }
}

/** A pin given as a GPIO number or a board pin name ("led", "button"). */
function pin(value: Json, path: string, board: Board): number {
  if (typeof value === "string") {
    const named = (board.pins as unknown as Record<string, number | undefined>)[value];
    if (named === undefined) throw new ScenarioError(path, `board ${board.name} has no pin named "${value}" (${Object.keys(board.pins).join(", ")})`);
    return named;
  }
  return integer(value, path, 0, board.gpioCount - 1);
}

/** An I2C bus given as a board bus name or as its pins ({data, clock}); "default" when absent. */
function bus(value: Json, path: string, sim: Simulation): string | BusPins {
  if (value === undefined) return "default";
  if (typeof value === "string") {
    if (!Object.hasOwn(sim.buses, value)) {
      throw new ScenarioError(path, `board ${sim.board.name} has no I2C bus "${value}" (${Object.keys(sim.buses).join(", ")})`);
    }
    return value;
  }
  const spec = object(value, path);
  only(spec, path, ["data", "clock"]);
  const pins = { data: pin(spec["data"], `${path}.data`, sim.board), clock: pin(spec["clock"], `${path}.clock`, sim.board) };
  try {
    sim.busOf(pins);
  } catch (error: unknown) {
    throw new ScenarioError(path, error instanceof Error ? error.message : String(error));
  }
  return pins;
}

/** What a device model's `create` gets: the simulation, and the device's JSON through checked readers naming their path. */
export interface DeviceSpec {
  readonly sim: Simulation;
  /** The device's JSON path, e.g. `$.devices[2]`. */
  readonly path: string;
  readonly json: JsonObject;
  /** A signal: a number, a signal object, or `fallback` when absent. */
  signal(key: string, fallback: number): Signal;
  /** `address`, a 7-bit address, or `fallback` when absent. */
  address(fallback: number): number;
  /** A pin given as a GPIO number or a board pin name; undefined when absent. */
  pin(key: string): number | undefined;
  number(key: string, fallback: number): number;
  boolean(key: string, fallback: boolean): boolean;
  /** Attaches the model to the device's `bus` (the default bus unless given). */
  attach<T extends I2CTarget>(device: T): T;
}

/** A device model by its scenario type name: the keys it takes besides `type`, and how it is made. */
export interface DeviceModel {
  readonly type: string;
  readonly keys: readonly string[];
  create(spec: DeviceSpec): void;
}

function readers(sim: Simulation, json: JsonObject, path: string): DeviceSpec {
  return {
    sim, path, json,
    signal: (key, fallback) => parseSignal(json[key], `${path}.${key}`, fallback),
    address: (fallback) => integer(json["address"], `${path}.address`, 0, 127, fallback),
    pin: (key) => (json[key] === undefined ? undefined : pin(json[key], `${path}.${key}`, sim.board)),
    number: (key, fallback) => number(json[key], `${path}.${key}`, fallback),
    boolean: (key, fallback) => {
      const value = json[key] ?? fallback;
      if (typeof value !== "boolean") throw new ScenarioError(`${path}.${key}`, `expected true or false, got ${JSON.stringify(value)}`);
      return value;
    },
    attach: (device) => sim.attach(device, bus(json["bus"], `${path}.bus`, sim)),
  };
}

const i2c = (...keys: string[]): readonly string[] => Object.freeze(["bus", "address", ...keys]);
const model = (type: string, keys: readonly string[], create: (spec: DeviceSpec) => void): DeviceModel => Object.freeze({ type, keys, create });
/** `{...}` when the pin is given, `{}` when not: the models' options leave an absent pin out. */
const pinOption = <K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, number>>;

function contact(type: "button" | "pir"): DeviceModel {
  return model(type, Object.freeze(["pin", "bounceMs", "presses"]), (d) => {
    const at = d.pin("pin");
    if (at === undefined) throw new ScenarioError(`${d.path}.pin`, `a ${type} needs its pin: a GPIO number or a board pin name`);
    const input = new ContactInput(d.sim.clock, d.sim.pins, { pin: at, activeLow: type === "button", bounceMs: d.number("bounceMs", 5) });
    const presses = d.json["presses"] ?? [];
    if (!Array.isArray(presses)) throw new ScenarioError(`${d.path}.presses`, "expected an array of {atMs, holdMs}");
    presses.forEach((press: Json, i) => {
      const p = object(press, `${d.path}.presses[${i}]`);
      input.press(number(p["atMs"], `${d.path}.presses[${i}].atMs`), number(p["holdMs"], `${d.path}.presses[${i}].holdMs`, 100));
    });
  });
}

/** The built-in device models. */
export const DEVICE_MODELS: readonly DeviceModel[] = Object.freeze([
  model("sht3x", i2c("temperatureC", "humidityRH"), (d) => d.attach(new SHT3xModel(d.sim.clock, {
    address: d.address(0x44) as 0x44, temperatureC: d.signal("temperatureC", 21.5), humidityRH: d.signal("humidityRH", 45) }))),
  model("shtc3", i2c("temperatureC", "humidityRH", "asleep"), (d) => {
    if (d.address(0x70) !== 0x70) throw new ScenarioError(`${d.path}.address`, "an SHTC3 answers at 0x70 only (112)");
    d.attach(new SHTC3Model(d.sim.clock, { temperatureC: d.signal("temperatureC", 21), humidityRH: d.signal("humidityRH", 45), asleep: d.boolean("asleep", false) }));
  }),
  model("aht20", i2c("temperatureC", "humidityRH", "uncalibrated"), (d) => {
    if (d.address(0x38) !== 0x38) throw new ScenarioError(`${d.path}.address`, "an AHT20 answers at 0x38 only (56)");
    d.attach(new AHT20Model(d.sim.clock, { temperatureC: d.signal("temperatureC", 21), humidityRH: d.signal("humidityRH", 45), uncalibrated: d.boolean("uncalibrated", false) }));
  }),
  model("bmp280", i2c("temperatureC", "pressurePa"), (d) => d.attach(new BMP280Model(d.sim.clock, {
    address: d.address(0x76) as 0x76, temperatureC: d.signal("temperatureC", 20), pressurePa: d.signal("pressurePa", 101325) }))),
  model("tmp117", i2c("temperatureC", "alertPin"), (d) => d.attach(new TMP117Model(d.sim.clock, d.sim.pins, {
    address: d.address(0x48) as 0x48, temperatureC: d.signal("temperatureC", 22), ...pinOption("alertPin", d.pin("alertPin")) }))),
  model("tmp102", i2c("temperatureC", "alertPin"), (d) => d.attach(new TMP102Model(d.sim.clock, d.sim.pins, {
    address: d.address(0x48) as 0x48, temperatureC: d.signal("temperatureC", 22), ...pinOption("alertPin", d.pin("alertPin")) }))),
  model("lis3dh", i2c("xG", "yG", "zG", "int1Pin"), (d) => d.attach(new LIS3DHModel(d.sim.clock, d.sim.pins, {
    address: d.address(0x18) as 0x18, xG: d.signal("xG", 0), yG: d.signal("yG", 0), zG: d.signal("zG", 1), ...pinOption("int1Pin", d.pin("int1Pin")) }))),
  model("mpu6050", i2c("xG", "yG", "zG", "xDps", "yDps", "zDps", "temperatureC", "intPin"), (d) => d.attach(new MPU6050Model(d.sim.clock, d.sim.pins, {
    address: d.address(0x68) as 0x68, xG: d.signal("xG", 0), yG: d.signal("yG", 0), zG: d.signal("zG", 1), xDps: d.signal("xDps", 0),
    yDps: d.signal("yDps", 0), zDps: d.signal("zDps", 0), temperatureC: d.signal("temperatureC", 25), ...pinOption("intPin", d.pin("intPin")) }))),
  contact("button"),
  contact("pir"),
]);

/** The type names of the built-in models. */
export const DEVICE_TYPES: readonly string[] = Object.freeze(DEVICE_MODELS.map((m) => m.type));

/**
 * The built-in models and a user's own, for loadScenario: a scenario file then names a user's model by its type. A
 * type name already taken is refused.
 */
export function deviceModels(...extra: readonly DeviceModel[]): readonly DeviceModel[] {
  const all = [...DEVICE_MODELS];
  for (const added of extra) {
    if (typeof added?.type !== "string" || added.type === "" || !Array.isArray(added.keys) || typeof added.create !== "function") {
      throw new TypeError("a device model is {type: \"name\", keys: [\"…\"], create(spec)}");
    }
    if (all.some((m) => m.type === added.type)) throw new RangeError(`device model type "${added.type}" is taken: give yours another name`);
    all.push(Object.freeze({ type: added.type, keys: Object.freeze([...added.keys]), create: added.create }));
  }
  return Object.freeze(all);
}

function addDevice(sim: Simulation, spec: JsonObject, path: string, models: readonly DeviceModel[]): void {
  const names = models.map((m) => m.type);
  const found = models.find((m) => m.type === spec["type"]);
  if (found === undefined) throw new ScenarioError(`${path}.type`, `expected one of ${names.join(", ")}, got ${JSON.stringify(spec["type"]) ?? "nothing"}`);
  only(spec, path, ["type", ...found.keys]);
  found.create(readers(sim, spec, path));
}

const FAULT_KEYS = ["kind", "bus", "address", "pin", "atMs", "untilMs", "bytes", "latencyMs", "value", "signal", "edgesPerMs"];

function addFault(sim: Simulation, spec: JsonObject, path: string): void {
  only(spec, path, FAULT_KEYS);
  const kind: FaultKind = oneOf(spec["kind"], `${path}.kind`, FAULT_KINDS);
  const pinFault = kind === "interrupt-storm" || kind === "spurious-edge";
  const opt = (key: string): number | undefined => (spec[key] === undefined ? undefined : number(spec[key], `${path}.${key}`));
  const signal = spec["signal"];
  if (signal !== undefined && typeof signal !== "string") throw new ScenarioError(`${path}.signal`, "expected a signal name such as \"temperatureC\"");
  if (pinFault && spec["bus"] !== undefined) throw new ScenarioError(`${path}.bus`, `a ${kind} fault strikes a pin, not an I2C bus: drop bus`);
  const on = bus(spec["bus"], `${path}.bus`, sim);
  try {
    sim.inject({
      kind, bus: on, atMs: number(spec["atMs"], `${path}.atMs`, 0),
      ...(pinFault ? { pin: pin(spec["pin"], `${path}.pin`, sim.board) } : {}),
      ...(spec["address"] !== undefined ? { address: integer(spec["address"], `${path}.address`, 0, 127) } : {}),
      ...(opt("untilMs") !== undefined ? { untilMs: opt("untilMs") } : {}),
      bytes: opt("bytes") ?? 0, latencyMs: opt("latencyMs") ?? 0, value: opt("value") ?? 0, edgesPerMs: opt("edgesPerMs") ?? 0,
      ...(signal !== undefined ? { signal } : {}),
    });
  } catch (error: unknown) {
    if (error instanceof ScenarioError) throw error;
    throw new ScenarioError(path, error instanceof Error ? error.message : String(error));
  }
}

/**
 * Builds a Simulation from a scenario (JSON text or parsed), or throws a ScenarioError naming the JSON path. `models`
 * are the device types it may name: the built-in ones, or deviceModels(yours…) for models of your own.
 */
export function loadScenario(source: string | Json, defaultBoard = "pico", models: readonly DeviceModel[] = DEVICE_MODELS): Simulation {
  let parsed: Json = source;
  if (typeof source === "string") {
    try {
      parsed = JSON.parse(source) as Json;
    } catch (error: unknown) {
      throw new ScenarioError("$", `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const root = object(parsed, "$");
  // `sensors` is the gateway's sensor declaration, which the gateway validates: a scenario only carries it.
  only(root, "$", ["$schema", "description", "board", "devices", "faults", "sensors"]);
  let board: Board;
  try {
    board = boardNamed(typeof root["board"] === "string" ? root["board"] : defaultBoard);
  } catch (error: unknown) {
    throw new ScenarioError("$.board", error instanceof Error ? error.message : String(error));
  }
  const sim = new Simulation(board);
  const list = (key: string): Json[] => {
    const value = root[key] ?? [];
    if (!Array.isArray(value)) throw new ScenarioError(`$.${key}`, "expected an array");
    return value;
  };
  list("devices").forEach((device, i) => {
    const path = `$.devices[${i}]`;
    try {
      addDevice(sim, object(device, path), path, models);
    } catch (error: unknown) {
      if (error instanceof ScenarioError) throw error;
      throw new ScenarioError(path, error instanceof Error ? error.message : String(error));
    }
  });
  list("faults").forEach((fault, i) => addFault(sim, object(fault, `$.faults[${i}]`), `$.faults[${i}]`));
  return sim;
}
