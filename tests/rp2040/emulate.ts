/** What the RP2040 tests share: an image booted in rp2040js on a simulated board, and its console read back. */
import { installNodeEngine } from "../../hosts/node/engine.js";
import { loadScenario } from "../../simulator/scenario.js";
import { Emulation, type EmulationResult } from "../../tools/rp2040/emulator.js";
import * as assert from "../support/assert.js";

/** A scenario as loadScenario takes it (the JSON of a scenario file). */
export type ScenarioJson = Parameters<typeof loadScenario>[0];
export type Simulation = ReturnType<typeof loadScenario>;

/** The default declaration's board: the four sensors wired as DEFAULT_SENSORS declares them. */
export const GATEWAY_BOARD: ScenarioJson = {
  board: "pico",
  devices: [{ type: "sht3x" }, { type: "bmp280" }, { type: "tmp117", alertPin: 16 }, { type: "lis3dh", int1Pin: 17 }],
};

export interface Run {
  readonly output: string;
  readonly result: EmulationResult;
}

export function emulate(image: Uint8Array, seconds: number, setUp?: (sim: Simulation) => void, scenario: ScenarioJson = GATEWAY_BOARD): Run {
  installNodeEngine();
  const sim = loadScenario(scenario);
  setUp?.(sim);
  let output = "";
  const emulation = new Emulation({ image, sim, onUart: (text) => (output += text) });
  const result = emulation.run(seconds * 1000, seconds * 150_000_000);
  return { output, result };
}

export interface SensorReadings {
  readonly produced: number;
  readonly delivered: number;
  readonly dropped: number;
  readonly [reading: string]: number | { readonly latest: number };
}

/** The last `readings {…}` line: the gateway's GET /v1/readings JSON, as its console prints it. */
export function lastReadings(output: string): Record<string, SensorReadings> {
  const line = [...output.matchAll(/^readings (\{.*\})\r?$/gm)].at(-1);
  assert.ok(line !== undefined, `no readings line:\n${output}`);
  const parsed = JSON.parse(line?.[1] ?? "{}") as { sensors: Record<string, SensorReadings> };
  return parsed.sensors;
}

export function latest(sensor: SensorReadings | undefined, reading: string): number {
  const value = sensor?.[reading];
  return typeof value === "object" ? value.latest : Number.NaN;
}

/** The memory lines after the first two reports (warm-up): slots, chunk bytes and GC count. */
export function steadyMemory(output: string): string[] {
  const memory = [...output.matchAll(/^memory slots=(\d+) chunks=(\d+) gc=(\d+)/gm)].map((m) => m.slice(1).join(" "));
  assert.ok(memory.length >= 5, `${memory.length} memory lines:\n${output}`);
  return memory.slice(2);
}
