/**
 * The panel over the RP2040 emulator: the emulation runs in short slices paced to the wall clock, so the event loop
 * serves the page between them and a user sees the bare-metal image sample in real time; frames come from its
 * console (ConsoleFrames), faults from the page go into the simulation around the emulated chip.
 */
import type { Simulation } from "../../../simulator/simulation.js";
import { ConsoleFrames } from "./console-frames.js";
import type { SensorTargets } from "./frames.js";
import { PanelServer } from "./server.js";
import { injectFault, PANEL_FAULTS } from "./sim-panel.js";

/** Emulated time per slice: short enough for the page to stay live, long enough that slicing costs little. */
const SLICE_MS = 20;
/** Longest pause when the emulation runs ahead of the wall clock. */
const PACE_MS = 50;

export interface SliceResult {
  readonly reason: string;
  readonly instructions: number;
}

/** What the panel needs of an emulation (tools/rp2040's Emulation). */
export interface SlicedEmulation<R extends SliceResult> {
  readonly nowMs: number;
  run(untilMs: number, maxInstructions: number): R;
}

export interface EmuPanelOptions {
  readonly port: number;
  /** Emulated ms to run; Infinity runs until the process is stopped. */
  readonly untilMs: number;
  readonly instructionsPerMs: number;
  readonly title: string;
}

const pause = (ms: number): Promise<void> => new Promise((resume) => setTimeout(resume, ms));

export class EmuPanel {
  readonly frames: ConsoleFrames;
  readonly server: PanelServer;
  #emulation: { readonly nowMs: number } | undefined;

  /** `targets`: each sensor's bus and address by name (sim-panel.ts targetsOf), for the fault control. */
  constructor(readonly sim: Simulation, targets: SensorTargets, readonly options: EmuPanelOptions) {
    this.frames = new ConsoleFrames(sim, targets, () => this.#emulation?.nowMs ?? 0, (frame) => this.server.broadcast(frame));
    this.server = new PanelServer({
      title: `${options.title} (stillheap emu)`, injectable: PANEL_FAULTS, inject: (request) => injectFault(sim, targets, request),
    }, options.port);
  }

  /** Console text from the emulated UART or USB. */
  feed(text: string): void {
    this.frames.feed(text);
  }

  /** Serves the page, then runs the emulation paced to real time; resolves with the last slice and all instructions. */
  async run<R extends SliceResult>(emulation: SlicedEmulation<R>, announce: (url: string) => void):
  Promise<{ last: R | undefined; instructions: number }> {
    this.#emulation = emulation;
    const port = await this.server.listen();
    announce(`http://127.0.0.1:${port}/`);
    const wallStart = performance.now();
    const emulatedStart = emulation.nowMs;
    let last: R | undefined;
    let instructions = 0;
    try {
      while (emulation.nowMs < this.options.untilMs) {
        const ahead = emulation.nowMs - emulatedStart - (performance.now() - wallStart);
        await pause(Math.max(0, Math.min(ahead, PACE_MS))); // also lets the server answer between slices
        const until = Math.min(emulation.nowMs + SLICE_MS, this.options.untilMs);
        last = emulation.run(until, SLICE_MS * this.options.instructionsPerMs);
        instructions += last.instructions;
        if (last.reason !== "time") break;
      }
    } finally {
      await this.server.close();
    }
    return { last, instructions };
  }
}
