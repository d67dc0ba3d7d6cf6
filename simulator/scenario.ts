/**
 * Scenario files: the devices on a simulated board, their signals, and faults at virtual times, as JSON that tests
 * and `npm start --scenario` both load. Validation names the JSON path of every problem; reading the file is the
 * host's job. The JSON Schema beside this file (scenario.schema.json) describes the same format for editors.
 */
import { boardNamed, type Board } from "../boards/index.js";
import type { BusPins } from "./buses.js";
import { BMP280Model } from "./devices/bmp280.js";
import { ContactInput } from "./devices/contact.js";
import { LIS3DHModel } from "./devices/lis3dh.js";
import { SHT3xModel } from "./devices/sht3x.js";
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

export const DEVICE_TYPES = ["sht3x", "bmp280", "tmp117", "lis3dh", "button", "pir"] as const;
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

function addDevice(sim: Simulation, spec: JsonObject, path: string): void {
  const type = oneOf(spec["type"], `${path}.type`, DEVICE_TYPES);
  const on = (): string | BusPins => bus(spec["bus"], `${path}.bus`, sim);
  const signal = (key: string, fallback: number): Signal => parseSignal(spec[key], `${path}.${key}`, fallback);
  const address = (fallback: number): number => integer(spec["address"], `${path}.address`, 0, 127, fallback);
  const optionalPin = (key: string): number | undefined => (spec[key] === undefined ? undefined : pin(spec[key], `${path}.${key}`, sim.board));
  if (type === "sht3x") {
    only(spec, path, ["type", "bus", "address", "temperatureC", "humidityRH"]);
    sim.attach(new SHT3xModel(sim.clock, { address: address(0x44) as 0x44, temperatureC: signal("temperatureC", 21.5), humidityRH: signal("humidityRH", 45) }), on());
  } else if (type === "bmp280") {
    only(spec, path, ["type", "bus", "address", "temperatureC", "pressurePa"]);
    sim.attach(new BMP280Model(sim.clock, { address: address(0x76) as 0x76, temperatureC: signal("temperatureC", 20), pressurePa: signal("pressurePa", 101325) }), on());
  } else if (type === "tmp117") {
    only(spec, path, ["type", "bus", "address", "temperatureC", "alertPin"]);
    const alertPin = optionalPin("alertPin");
    sim.attach(new TMP117Model(sim.clock, sim.pins, { address: address(0x48) as 0x48, temperatureC: signal("temperatureC", 22), ...(alertPin === undefined ? {} : { alertPin }) }), on());
  } else if (type === "lis3dh") {
    only(spec, path, ["type", "bus", "address", "xG", "yG", "zG", "int1Pin"]);
    const int1Pin = optionalPin("int1Pin");
    sim.attach(new LIS3DHModel(sim.clock, sim.pins, { address: address(0x18) as 0x18, xG: signal("xG", 0), yG: signal("yG", 0), zG: signal("zG", 1), ...(int1Pin === undefined ? {} : { int1Pin }) }), on());
  } else {
    only(spec, path, ["type", "pin", "bounceMs", "presses"]);
    const contact = new ContactInput(sim.clock, sim.pins, {
      pin: pin(spec["pin"], `${path}.pin`, sim.board), activeLow: type === "button", bounceMs: number(spec["bounceMs"], `${path}.bounceMs`, 5),
    });
    const presses = spec["presses"] ?? [];
    if (!Array.isArray(presses)) throw new ScenarioError(`${path}.presses`, "expected an array of {atMs, holdMs}");
    presses.forEach((press: Json, i) => {
      const p = object(press, `${path}.presses[${i}]`);
      contact.press(number(p["atMs"], `${path}.presses[${i}].atMs`), number(p["holdMs"], `${path}.presses[${i}].holdMs`, 100));
    });
  }
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

/** Builds a Simulation from a scenario (JSON text or parsed), or throws a ScenarioError naming the JSON path. */
export function loadScenario(source: string | Json, defaultBoard = "pico"): Simulation {
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
      addDevice(sim, object(device, path), path);
    } catch (error: unknown) {
      if (error instanceof ScenarioError) throw error;
      throw new ScenarioError(path, error instanceof Error ? error.message : String(error));
    }
  });
  list("faults").forEach((fault, i) => addFault(sim, object(fault, `$.faults[${i}]`), `$.faults[${i}]`));
  return sim;
}
