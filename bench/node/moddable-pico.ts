/**
 * Moddable's Pico firmware of the gateway (what users flash: `mcconfig -p pico`, instrumented here so memory is
 * reported) booted in rp2040js on the real bootrom with the simulator's sensors. The USB host is plugged in only
 * after boot, as on a board running on its own: a host attached at reset makes the firmware serve USB interrupts
 * all through boot. The boot line and memory lines of the firmware's console give the figures.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { installNodeEngine } from "../../hosts/node/engine.js";
import { loadScenario } from "../../simulator/scenario.js";
import { PicoBoard } from "../../tools/moddable/pico-board.js";
import { buildPath, findPicoSdk, findSdk, mcconfig } from "../../tools/moddable/sdk.js";
import { Emulation } from "../../tools/rp2040/emulator.js";
import { flashImage } from "../../tools/rp2040/image.js";

/** Moddable's pico creation.static: the whole VM, slots, chunks and stack. */
const XS_STATIC_BYTES = 131072;
const SLOT_BYTES = 16;
const USB_HOST_AT_MS = 400;
/** The console token the bench builds with, to type a setting that the keeper writes to flash. */
const TOKEN = "bench-console-token";
const SCENARIO = { board: "pico", devices: [{ type: "sht3x" }, { type: "bmp280" }, { type: "tmp117", alertPin: 16 }, { type: "lis3dh", int1Pin: 17 }] };

export interface ModdablePicoReport {
  readonly flashBytes: number;
  readonly resetToFirstSampleEmulatedMs: number;
  /** The same from a flash holding a settings record (written from the console by an earlier boot): restored first. */
  readonly resetToFirstSampleWithSettingsEmulatedMs: number;
  /** Emulated ms after reset: main module running, gateway made, sensors open, first sample. */
  readonly bootPhasesMs: { readonly main: number; readonly gateway: number; readonly sensorsOpen: number; readonly firstSample: number };
  /** Collections from reset to the sensors opening, less the one the entry runs to measure memory before the gateway. */
  readonly bootCollections: number;
  readonly xsBeforeGatewayBytes: number;
  readonly xsSteadyStateBytes: number;
  /** What the gateway created at run time: steady state less what was there before it. */
  readonly gatewayRamBytes: number;
  /** creation.static less the steady state and the XS stack (512 slots). */
  readonly xsFreeBytes: number;
}

export type ModdablePicoResult = ModdablePicoReport | { readonly skipped: string };

export async function runModdablePicoBench(progress: (line: string) => void): Promise<ModdablePicoResult> {
  const sdk = findSdk();
  const pico = findPicoSdk();
  const bootrom = process.env["STILLHEAP_RP2040_BOOTROM"];
  if (!sdk.ok) return { skipped: sdk.reason };
  if (!pico.ok) return { skipped: pico.reason };
  if (bootrom === undefined) return { skipped: "STILLHEAP_RP2040_BOOTROM is not set" };
  progress("bench: rp2040 — building Moddable's Pico firmware (mcconfig -i -p pico)…");
  const built = await mcconfig(sdk.value, ["-i", "-m", "-p", "pico", "-t", "build", "reportMs=1000", `apiToken=${TOKEN}`], { env: pico.value });
  if (built.status !== 0) throw new Error(`mcconfig -i -m -p pico failed:\n${built.output.slice(-3000)}`);
  const image = flashImage(new Uint8Array(readFileSync(join(buildPath("bin", "pico", "instrument"), "xs_pico.uf2"))));
  progress("bench: rp2040 — Moddable's Pico firmware from reset to its steady state…");
  const rom = new Uint8Array(readFileSync(bootrom));
  const { output, memoryLines } = bootToSteadyState(image, rom);
  const boot = /boot: main at (\d+) ms, gateway at (\d+) ms, sensors open at (\d+) ms after reset; before the gateway slots=(\d+) chunks=(\d+); collections by then (\d+)/.exec(output);
  const first = Number(/first sample ([\d.]+) ms after reset/.exec(output)?.[1] ?? Number.NaN);
  const steady = memoryLines.at(-1);
  progress("bench: rp2040 — again from a flash holding a settings record…");
  const kept = bootToSteadyState(settingsWritten(image, rom), rom).output;
  const restoredFirst = Number(/first sample ([\d.]+) ms after reset/.exec(kept)?.[1] ?? Number.NaN);
  if (boot === null || steady === undefined) throw new Error(`the Pico firmware printed no boot or memory line:\n${output}`);
  const before = Number(boot[4]) * SLOT_BYTES + Number(boot[5]);
  const steadyBytes = Number(steady[1]) * SLOT_BYTES + Number(steady[2]);
  return {
    flashBytes: image.length, resetToFirstSampleEmulatedMs: first, resetToFirstSampleWithSettingsEmulatedMs: restoredFirst,
    bootPhasesMs: { main: Number(boot[1]), gateway: Number(boot[2]), sensorsOpen: Number(boot[3]), firstSample: first },
    bootCollections: Number(boot[6]) - 1, xsBeforeGatewayBytes: before, xsSteadyStateBytes: steadyBytes,
    gatewayRamBytes: steadyBytes - before, xsFreeBytes: XS_STATIC_BYTES - steadyBytes - 512 * SLOT_BYTES,
  };
}

/** Boots `flash`, plugs the USB host in after boot as on a board running on its own, runs to the third memory line. */
function bootToSteadyState(flash: Uint8Array, bootrom: Uint8Array): { output: string; memoryLines: RegExpMatchArray[] } {
  installNodeEngine();
  const emulation = new Emulation({ image: flash, sim: loadScenario(SCENARIO), bootrom, onUart: () => undefined });
  let output = "";
  emulation.run(USB_HOST_AT_MS, USB_HOST_AT_MS * 150_000);
  emulation.attachUsbHost((text) => (output += text));
  const memoryLines = (): RegExpMatchArray[] => [...output.matchAll(/^memory slots=(\d+) chunks=(\d+)/gm)];
  emulation.run(6000, 6000 * 150_000, () => memoryLines().length >= 3);
  return { output, memoryLines: memoryLines() };
}

/** The flash after a boot that took a setting on its console and wrote it. */
function settingsWritten(image: Uint8Array, bootrom: Uint8Array): Uint8Array {
  const board = new PicoBoard(image, bootrom, SCENARIO);
  board.runUntil(/^stillheap: settings /, 2000);
  board.command(`config Bearer ${TOKEN} {"sensors": {"sht3x": {"periodMs": 2500}}}`, /^config applied$/, 2000);
  const result = board.runUntil(/^settings writes=1 /, 3000);
  if (!/^settings writes=1 /m.test(board.output)) throw new Error(`the setting was not written (${result.reason}):\n${board.output}`);
  return board.emulation.flash.snapshot();
}
