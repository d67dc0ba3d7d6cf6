/**
 * What the RP2040 tests share: an image booted in rp2040js on a simulated board (on the real bootrom when
 * STILLHEAP_RP2040_BOOTROM names it, as CI does), and its console read back and typed into.
 */
import { existsSync, readFileSync } from "node:fs";
import { installNodeEngine } from "../../hosts/node/engine.js";
import { loadScenario } from "../../simulator/scenario.js";
import { Emulation, type EmulationResult, type EmulatorOptions } from "../../tools/rp2040/emulator.js";
import * as assert from "../support/assert.js";

const bootromPath = process.env["STILLHEAP_RP2040_BOOTROM"];
/** The RP2040 B1 bootrom, which the image's flash writes call into; undefined when not given. */
export const BOOTROM: Uint8Array | undefined = bootromPath !== undefined && existsSync(bootromPath)
  ? new Uint8Array(readFileSync(bootromPath)) : undefined;
export const NO_BOOTROM = "STILLHEAP_RP2040_BOOTROM does not name the RP2040 bootrom, whose flash functions the image calls";

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
  const emulation = new Emulation({ image, sim, onUart: (text) => (output += text), ...(BOOTROM === undefined ? {} : { bootrom: BOOTROM }) });
  const result = emulation.run(seconds * 1000, seconds * 150_000_000);
  return { output, result };
}

/** A board powered on from `flash` (an image, or a whole flash's contents), driven through its console. */
export class Board {
  readonly emulation: Emulation;
  output = "";

  constructor(flash: Uint8Array, options: Partial<Pick<EmulatorOptions, "powerCut">> = {}, scenario: ScenarioJson = GATEWAY_BOARD) {
    installNodeEngine();
    this.emulation = new Emulation({ image: flash, sim: loadScenario(scenario), onUart: (text) => (this.output += text),
      ...(BOOTROM === undefined ? {} : { bootrom: BOOTROM }), ...options });
  }

  /**
   * Runs until `times` whole lines printed from now on match `pattern`, or for `withinMs` more emulated ms (each
   * line is looked at once, as it ends).
   */
  runUntil(pattern: RegExp, withinMs: number, times = 1): EmulationResult {
    let scanned = this.output.length;
    let seen = 0;
    const done = (): boolean => {
      const end = this.output.lastIndexOf("\n") + 1;
      for (const line of end > scanned ? this.output.slice(scanned, end).split("\n") : []) if (pattern.test(line)) seen++;
      scanned = Math.max(scanned, end);
      return seen >= times;
    };
    return this.emulation.run(this.emulation.nowMs + withinMs, withinMs * 150_000, done);
  }

  /** Types a line on the console and runs until a line of the answer matches `answer`. */
  command(line: string, answer: RegExp, withinMs = 500): string {
    const before = this.output.length;
    this.emulation.typeUart(`${line}\n`);
    const result = this.runUntil(answer, withinMs);
    const reply = this.output.slice(before);
    assert.ok(reply.split("\n").some((text) => answer.test(text)), `no answer matching ${answer} to "${line.slice(0, 80)}" (${result.reason}):\n${reply}`);
    return reply;
  }

  /** The `settings {…}` lines the image printed (at boot, and to `config Bearer <token>`), as JSON. */
  settings(): unknown[] {
    return [...this.output.matchAll(/^settings (\{.*\})\r?$/gm)].map((line) => JSON.parse(line[1] ?? "{}") as unknown);
  }
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
