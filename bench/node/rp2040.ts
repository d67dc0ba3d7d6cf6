/**
 * RP2040 figures, measured on the gateway image in the emulator: flash size, XS memory left after the engine and in
 * the gateway's steady state, reset to the first sample (the device's own clock), and the highest GPIO edge rate whose
 * every edge reaches the interrupt handler (edges generated on the emulator's clock, counted by the firmware).
 */
import { readFileSync } from "node:fs";
import { installNodeEngine } from "../../hosts/node/engine.js";
import { loadScenario } from "../../simulator/scenario.js";
import { buildFirmware, type SizeReport } from "../../tools/rp2040/build.js";
import { Emulation } from "../../tools/rp2040/emulator.js";

const RATES = [1_000, 100_000, 400_000, 600_000, 700_000, 800_000];
const EDGE_WINDOW_MS = 800;
const BUTTON_PIN = 15;

export interface GpioRun {
  readonly edgesPerSecond: number;
  readonly generated: number;
  readonly interrupts: number;
  readonly onReadableCalls: number;
  readonly lost: number;
}

export interface Rp2040Report {
  readonly size: SizeReport;
  readonly xsBytesLeftAfterEngine: number;
  /**
   * The gateway running (the default declaration's four sensors, console): XS slots × 16 + chunk bytes in use — live,
   * as the firmware collects once after boot — and what is left of the arena.
   */
  readonly gatewaySteadyStateXsBytes: number;
  readonly gatewayHeadroomBytes: number;
  readonly bootToFirstSampleEmulatedMs: number;
  /** Emulated ms after reset: the bundle's body starting (engine made, bytecode linked), gateway made, sensors open. */
  readonly bootPhasesMs: { readonly main: number; readonly gateway: number; readonly sensorsOpen: number };
  /** Collections from reset to the sensors opening. */
  readonly bootCollections: number;
  readonly gpio: GpioRun[];
  readonly highestLosslessEdgesPerSecond: number;
  /** Interrupts seen in the same window with no edges generated, subtracted from every run. */
  readonly controlInterrupts: number;
  readonly emulator: string;
}

const GATEWAY_BOARD = {
  board: "pico",
  devices: [{ type: "sht3x" }, { type: "bmp280" }, { type: "tmp117", alertPin: 16 }, { type: "lis3dh", int1Pin: 17 }],
};
/** Only the SHT3x: no sensor interrupts, so the interrupt counter counts the generated edges alone. */
const SHT3X_ONLY = { board: "pico", devices: [{ type: "sht3x" }] };

function emulation(image: Uint8Array, mirroredPins?: number[], scenario: object = SHT3X_ONLY): { emulation: Emulation; output: () => string } {
  installNodeEngine();
  const sim = loadScenario(scenario);
  let text = "";
  const run = new Emulation({ image, sim, onUart: (chunk) => (text += chunk), ...(mirroredPins === undefined ? {} : { mirroredPins }) });
  return { emulation: run, output: () => text };
}

function gpioRun(image: Uint8Array, rate: number, control = 0): GpioRun {
  const { emulation: run, output } = emulation(image, []);
  // Booted, the pin configured and a first report printed: its count is the baseline (enabling the pull-up on a
  // line held low can add an edge).
  run.run(3000, 400_000_000, () => /gpio 15 onReadable=\d+ interrupts=\d+/.test(output()));
  const baseline = Number(/gpio 15 onReadable=\d+ interrupts=(\d+)/.exec(output())?.[1] ?? 0);
  const start = run.nowMs;
  const generated = Math.round((rate * EDGE_WINDOW_MS) / 1000);
  if (generated > 0) run.toggle(BUTTON_PIN, 1e9 / rate, generated);
  run.run(start + EDGE_WINDOW_MS + 1100, 1_000_000_000); // the edges, then a report after them
  const last = [...output().matchAll(/gpio 15 onReadable=(\d+) interrupts=(\d+)/g)].at(-1);
  const interrupts = Number(last?.[2] ?? 0) - baseline - control;
  return { edgesPerSecond: rate, generated, interrupts, onReadableCalls: Number(last?.[1] ?? 0), lost: generated - interrupts };
}

export function runRp2040Bench(progress: (line: string) => void): Rp2040Report {
  progress("bench: rp2040 — building the image…");
  const firmware = buildFirmware({ progress });
  const image = new Uint8Array(readFileSync(firmware.bin));
  progress("bench: rp2040 — the gateway from reset to its steady state…");
  const boot = emulation(image, undefined, GATEWAY_BOARD);
  const memoryLines = (): RegExpMatchArray[] => [...boot.output().matchAll(/^memory slots=(\d+) chunks=(\d+)/gm)];
  boot.emulation.run(6000, 1_000_000_000, () => memoryLines().length >= 3);
  const bootMs = Number(/first sample ([\d.]+) ms after reset/.exec(boot.output())?.[1] ?? Number.NaN);
  const phases = /boot: main at ([\d.]+) ms, gateway at ([\d.]+) ms, sensors open at ([\d.]+) ms after reset; collections by then (\d+)/
    .exec(boot.output());
  const engine = /the engine holds (\d+) bytes .*, (\d+) left for the application/.exec(boot.output());
  const left = Number(engine?.[2] ?? Number.NaN);
  const steady = memoryLines().at(-1);
  const steadyBytes = Number(steady?.[1] ?? Number.NaN) * 16 + Number(steady?.[2] ?? Number.NaN);
  const headroom = Number(engine?.[1] ?? Number.NaN) + left - steadyBytes;
  // A run without generated edges: interrupts the firmware sees anyway (enabling the pull-up on the line).
  const control = gpioRun(image, 0).interrupts;
  const gpio: GpioRun[] = [];
  for (const rate of RATES) {
    progress(`bench: rp2040 — GPIO edges at ${rate}/s…`);
    gpio.push(gpioRun(image, rate, control));
  }
  let highest = 0;
  for (const run of gpio) {
    if (run.lost !== 0) break;
    highest = run.edgesPerSecond;
  }
  return { size: firmware.size, xsBytesLeftAfterEngine: left, gatewaySteadyStateXsBytes: steadyBytes,
    gatewayHeadroomBytes: headroom, bootToFirstSampleEmulatedMs: bootMs,
    bootPhasesMs: { main: Number(phases?.[1] ?? Number.NaN), gateway: Number(phases?.[2] ?? Number.NaN),
      sensorsOpen: Number(phases?.[3] ?? Number.NaN) },
    bootCollections: Number(phases?.[4] ?? Number.NaN), gpio,
    highestLosslessEdgesPerSecond: highest, controlInterrupts: control, emulator: "rp2040js 1.4.1 at 125 MHz emulated" };
}
