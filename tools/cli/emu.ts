/**
 * `stillheap emu <image>`: runs an RP2040 image (ours, or Moddable's Pico firmware: .uf2, .elf or .bin) in the
 * rp2040js emulator with the simulator's device models on the emulated I2C and pins, UART0 and the USB CDC console
 * to stdout. Exits non-zero on a refused image, an emulator fault, a hang (instruction budget) or an expectation not
 * met.
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { installNodeEngine } from "../../hosts/node/engine.js";
import { EmuPanel } from "../../hosts/node/panel/emu-panel.js";
import { targetsOf } from "../../hosts/node/panel/sim-panel.js";
import { simulatedBoard } from "./scenario-file.js";
import { Emulation, type EmulationResult } from "../rp2040/emulator.js";
import { flashImage, ImageError, needsBootrom } from "../rp2040/image.js";
import { ExitCode, UsageError, type Command } from "./command.js";
import { buildDir, DEFAULT_SCENARIO } from "./paths.js";

/** Emulated instructions per emulated second allowed before a run counts as hung (the CPU runs 125 M cycles/s). */
const INSTRUCTIONS_PER_SECOND = 150_000_000;
const BOOTROM_BYTES = 16384;
const BOOTROM_ENV = "STILLHEAP_RP2040_BOOTROM";
const WHERE_BOOTROMS_ARE = "the RP2040's B1 bootrom (16384 bytes) is built from Raspberry Pi's pico-bootrom " +
  "repository; the rp2040js repository's demo folder carries a copy";

interface EmuOptions {
  image: string;
  scenario: string;
  seconds: number;
  expect: string[];
  maxInstructions: number | undefined;
  bootrom: string | undefined;
  /** The live panel's port, or undefined for none. */
  panelPort: number | undefined;
  secondsGiven: boolean;
}

function parse(args: readonly string[]): EmuOptions {
  const options: EmuOptions = { image: join(buildDir, "rp2040", "stillheap.bin"), scenario: DEFAULT_SCENARIO,
    seconds: 3, expect: [], maxInstructions: undefined, bootrom: process.env[BOOTROM_ENV] || undefined, panelPort: undefined,
    secondsGiven: false };
  let imageSet = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const value = args[i + 1];
    if (!arg.startsWith("--")) {
      if (imageSet) throw new UsageError(`one image at a time, got "${arg}" too`);
      options.image = arg;
      imageSet = true;
      continue;
    }
    if (arg === "--panel") {
      options.panelPort ??= 8081;
      continue;
    }
    if (value === undefined) throw new UsageError(`${arg} needs a value`);
    i++;
    if (arg === "--scenario") options.scenario = value;
    else if (arg === "--bootrom") options.bootrom = value;
    else if (arg === "--expect") options.expect.push(value);
    else if (arg === "--panel-port") {
      options.panelPort = Number(value);
      if (!Number.isInteger(options.panelPort) || options.panelPort < 0 || options.panelPort > 65535) {
        throw new UsageError(`--panel-port needs a TCP port, got "${value}"`);
      }
    }
    else if (arg === "--seconds" || arg === "--max-instructions") {
      const number = Number(value);
      if (!(number > 0)) throw new UsageError(`${arg} needs a positive number, got "${value}"`);
      if (arg === "--seconds") {
        options.seconds = number;
        options.secondsGiven = true;
      }
      else options.maxInstructions = number;
    } else throw new UsageError(`unknown option ${arg}`);
  }
  return options;
}

export const command: Command = {
  summary: "run an RP2040 image in the emulator with simulated sensors",
  usage: `usage: stillheap emu [image] [--bootrom FILE] [--scenario FILE] [--seconds N] [--expect TEXT]…
                     [--max-instructions N] [--panel] [--panel-port P]

Boots the image — .uf2, .elf or a raw .bin (default build/rp2040/stillheap.bin, from \`stillheap build --target
rp2040\`; or Moddable's xs_pico.uf2 from \`mcconfig -p pico\`) — in the rp2040js emulator as the bootrom would
(boot2 CRC checked; a corrupted image is refused), with the scenario's device models (default
simulator/scenarios/default.json) on I2C0 and its interrupt pins. UART0 and the USB CDC console go to stdout.
  --bootrom FILE         the RP2040 bootrom, which pico-sdk images (Moddable's) call into; default $${BOOTROM_ENV}
  --seconds N            emulated seconds to run (default 3)
  --expect TEXT          fail unless the console output (UART0 and USB) contains TEXT (repeatable)
  --max-instructions N   the hang detector (default ${INSTRUCTIONS_PER_SECOND / 1e6} M per emulated second)
  --panel                serve the live panel on 127.0.0.1:8081 from the console's reports, run paced to the wall
                         clock until Ctrl-C (or --seconds), and take faults from the page into the simulated board
  --panel-port P         the panel's port (implies --panel; 0 picks a free one)
Exit status: 0 ran and met every expectation, 1 fault, hang or unmet expectation, 2 usage error, 3 image refused.`,
  async run(args) {
    const options = parse(args);
    let file: Uint8Array;
    try {
      file = new Uint8Array(readFileSync(options.image));
    } catch (error: unknown) {
      throw new UsageError(`cannot read the image ${options.image}: ${error instanceof Error ? error.message : String(error)}` +
        " (build it with `stillheap build --target rp2040`)");
    }
    let image: Uint8Array;
    try {
      image = flashImage(file);
    } catch (error: unknown) {
      if (!(error instanceof ImageError)) throw error;
      process.stderr.write(`emu: image refused: ${error.message}\n`);
      return 3;
    }
    const bootrom = readBootrom(options.bootrom, needsBootrom(image));
    installNodeEngine();
    // The image carries its own declaration; the scenario's `sensors` (or the default) names the panel's sensors.
    const { sim, sensors } = simulatedBoard(options.scenario, undefined);
    const targets = targetsOf(sensors);
    let output = "";
    let emulation: Emulation;
    const panel = options.panelPort === undefined ? undefined : new EmuPanel(sim, targets, { port: options.panelPort,
      untilMs: options.secondsGiven ? options.seconds * 1000 : Infinity, instructionsPerMs: INSTRUCTIONS_PER_SECOND / 1000,
      title: `${basename(options.image)} on a simulated ${sim.board.name}` });
    try {
      const show = (text: string): void => {
        // A panel run may last for hours: its output is kept only when --expect needs it.
        if (panel === undefined || options.expect.length > 0) output += text;
        panel?.feed(text);
        process.stdout.write(text);
      };
      emulation = new Emulation({ image, sim, onUart: show, onUsb: show, ...(bootrom === undefined ? {} : { bootrom }) });
    } catch (error: unknown) {
      if (!(error instanceof ImageError)) throw error;
      process.stderr.write(`emu: image refused: ${error.message}\n`);
      return 3;
    }
    const budget = options.maxInstructions ?? options.seconds * INSTRUCTIONS_PER_SECOND;
    process.stderr.write(`emu: ${options.image} for ${options.seconds} emulated s on a simulated ${sim.board.name}\n`);
    const result = panel === undefined ? emulation.run(options.seconds * 1000, budget) : await runWithPanel(panel, emulation);
    const mips = result.instructions / result.wallMs / 1000;
    process.stderr.write(`\nemu: stopped (${result.reason}${result.detail === "" ? "" : `: ${result.detail}`}) at ` +
      `${result.emulatedMs.toFixed(1)} emulated ms after ${(result.instructions / 1e6).toFixed(1)} M instructions, ` +
      `${(result.wallMs / 1000).toFixed(1)} s wall (${mips.toFixed(1)} MIPS); restarts ${result.restarts}\n`);
    const missing = options.expect.filter((text) => !output.includes(text));
    for (const text of missing) process.stderr.write(`emu: expected console output not seen: ${JSON.stringify(text)}\n`);
    return result.reason === "time" && missing.length === 0 ? ExitCode.ok : ExitCode.failed;
  },
};

async function runWithPanel(panel: EmuPanel, emulation: Emulation): Promise<EmulationResult> {
  const started = performance.now();
  const { last, instructions } = await panel.run(emulation, (url) => process.stderr.write(`emu: panel ${url}  (Ctrl-C stops)\n`));
  return { reason: last?.reason ?? "time", detail: last?.detail ?? "", instructions, emulatedMs: emulation.nowMs,
    wallMs: performance.now() - started, restarts: emulation.restarts };
}

/** The bootrom file, checked; required for images linked with pico-sdk, which call into it. */
function readBootrom(path: string | undefined, required: boolean): Uint8Array | undefined {
  if (path === undefined) {
    if (!required) return undefined;
    throw new UsageError(`this image was linked with pico-sdk and calls the RP2040 bootrom: give it with --bootrom FILE ` +
      `or ${BOOTROM_ENV}; ${WHERE_BOOTROMS_ARE}`);
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (error: unknown) {
    throw new UsageError(`cannot read the bootrom ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (bytes.length !== BOOTROM_BYTES) {
    throw new UsageError(`${path} has ${bytes.length} bytes, not the bootrom's ${BOOTROM_BYTES}; ${WHERE_BOOTROMS_ARE}`);
  }
  return bytes;
}
