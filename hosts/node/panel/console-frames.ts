/**
 * Frames from the gateway console's lines, as the bare-metal image prints them on its UART: `readings {…}` (the
 * GET /v1/readings body), `sensor …`, `sample <sensor> invalid: <reason> x<n>` and `memory slots=… chunks=… gc=…`,
 * which ends a report. Only what the device said is plotted; the fault windows come from the simulation around it.
 */
import type { Simulation } from "../../../simulator/simulation.js";
import { faultWindows, HISTORY_FRAMES, injectedFaults, targetMap, type SensorTarget, type SensorTargets } from "./frames.js";
import type { Frame, ReadingFrame, SensorFrame } from "./web/protocol.js";

const COUNTS = new Set(["produced", "delivered", "dropped"]);
/** Longest console line kept while its end has not arrived; a longer one is dropped and counted unreadable. */
const MAX_LINE_CHARS = 64 * 1024;
const INVALID = /^sample (\S+) invalid: (\S+) x(\d+)$/;
const MEMORY = /^memory slots=(-?\d+) chunks=(-?\d+) gc=(-?\d+)/;

type Json = Record<string, unknown>;

function numberOr(value: unknown): number | null {
  return typeof value === "number" ? value : null;
}

function reading(name: string, value: Json): ReadingFrame {
  return { name, latest: numberOr(value["latest"]), mean10: numberOr(value["mean10s"]), min10: numberOr(value["min10s"]),
    max10: numberOr(value["max10s"]), mean60: numberOr(value["mean60s"]), min60: numberOr(value["min60s"]),
    max60: numberOr(value["max60s"]) };
}

export class ConsoleFrames {
  readonly #history: Frame[] = [];
  readonly #dropped = new Map<string, Record<string, number>>();
  #readings: Json = {};
  #partial = "";
  readonly targets: SensorTargets;
  /** Console lines that looked like a report's but could not be read (a line cut by a reset, say). */
  unreadable = 0;

  constructor(
    readonly sim: Simulation,
    targets: SensorTargets | Readonly<Record<string, SensorTarget>>,
    readonly nowMs: () => number,
    readonly onFrame: (frame: Frame) => void,
  ) {
    this.targets = targetMap(targets);
  }

  history(): readonly Frame[] {
    return this.#history;
  }

  /** Takes console text as it arrives, in pieces of any size. */
  feed(text: string): void {
    const lines = (this.#partial + text).split("\n");
    this.#partial = lines.pop() ?? "";
    if (this.#partial.length > MAX_LINE_CHARS) {
      this.#partial = "";
      this.unreadable++;
    }
    for (const line of lines) this.#line(line.trim());
  }

  #line(line: string): void {
    if (line.startsWith("readings ")) {
      try {
        const parsed = JSON.parse(line.slice("readings ".length)) as Json;
        this.#readings = (parsed["sensors"] ?? {}) as Json;
      } catch (error: unknown) {
        if (!(error instanceof SyntaxError)) throw error;
        this.unreadable++; // a report cut short; the next one replaces it
      }
      return;
    }
    const invalid = INVALID.exec(line);
    if (invalid !== null) {
      const [, sensor = "", reason = "", times = "0"] = invalid;
      const counts = this.#dropped.get(sensor) ?? {};
      counts[reason] = (counts[reason] ?? 0) + Number(times);
      this.#dropped.set(sensor, counts);
      return;
    }
    const memory = MEMORY.exec(line);
    if (memory !== null) this.#frame(Number(memory[1]), Number(memory[2]), Number(memory[3]));
  }

  #frame(slotsUsed: number, chunkBytesUsed: number, gcCount: number): void {
    const sensors: SensorFrame[] = Object.entries(this.#readings).map(([name, value]) => {
      const fields = value as Json;
      return {
        name, address: this.targets.get(name)?.address ?? -1, produced: numberOr(fields["produced"]) ?? 0,
        delivered: numberOr(fields["delivered"]) ?? 0, dropped: { ...this.#dropped.get(name) }, stalled: false,
        readings: Object.entries(fields).filter(([key]) => !COUNTS.has(key)).map(([key, v]) => reading(key, v as Json)),
      };
    });
    const frame: Frame = {
      t: this.nowMs(), sensors, injected: injectedFaults(this.sim), windows: faultWindows(this.sim, this.targets),
      memory: { source: "rp2040", exact: true, chunkBytesUsed, slotsUsed, gcCount }, http: null,
    };
    this.#history.push(frame);
    if (this.#history.length > HISTORY_FRAMES) this.#history.shift();
    this.onFrame(frame);
  }
}
