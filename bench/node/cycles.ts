/**
 * `stillheap bench cycles`: CPU cycles on Moddable's Pico firmware — the SDK's build (mcconfig -p pico, release) of
 * bench/cycles, which carries stillheap's drivers and Moddable's own for the same chips — booted in rp2040js on the
 * real bootrom with one simulated chip of each kind. The emulator counts every cycle and runs the same image the same
 * way every time, so the counts repeat exactly. An op's cycles are those between its two marks (bench/cycles/mark.c);
 * "work" leaves out the cycles spent in pico-sdk's busy_wait_us_32, where Moddable's Timer.delay waits on the Pico
 * (both drivers wait there when a conversion takes time: Moddable's inside sample(), ours between trigger() and
 * sample()). Then the gateway of the default declaration: its readings document and console report per op, and 60
 * emulated seconds of steady state: the awake fraction (cycles outside WFI/WFE) and the collections (calls of XS's
 * fxCollect, each with its cycles).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { installNodeEngine } from "../../hosts/node/engine.js";
import { loadScenario } from "../../simulator/scenario.js";
import { projectRoot } from "../../tools/cli/paths.js";
import { buildPath, findPicoSdk, findSdk, mcconfig } from "../../tools/moddable/sdk.js";
import { Emulation, type WatchedFunction } from "../../tools/rp2040/emulator.js";
import { flashImage } from "../../tools/rp2040/image.js";

const CPU_HZ = 125_000_000;
const MARK_BREAK = 0x4d;
/** bench/cycles/main.js: the chips in its order, and its mark values. */
export const CHIPS = ["SHT3x", "TMP117", "LIS3DH", "AHT20", "SHTC3", "MPU6050", "TMP102"] as const;
const OP = 100;
const GATEWAY_STARTED = 900;
const DOCUMENT = 910;
const REPORT = 920;
const SETTLE_MS = 5_000;
const STEADY_MS = 60_000;
const SCENARIO = {
  board: "pico",
  devices: [{ type: "sht3x", address: 0x44 }, { type: "tmp117", address: 0x48 }, { type: "lis3dh", address: 0x18 },
    { type: "aht20" }, { type: "shtc3" }, { type: "mpu6050", address: 0x68 }, { type: "tmp102", address: 0x49 },
    { type: "bmp280", address: 0x76 }],
};

export interface OpCycles {
  /** Cycles of each op, awake, less those in busy_wait_us_32. */
  readonly work: readonly number[];
  /** Cycles of each op from mark to mark, waiting included. */
  readonly total: readonly number[];
}

export interface ChipCycles {
  readonly chip: string;
  readonly ours: OpCycles;
  readonly theirs: OpCycles;
}

export interface CyclesReport {
  readonly image: string;
  readonly samplesPerSide: number;
  readonly chips: readonly ChipCycles[];
  readonly readingsDocument: OpCycles;
  readonly consoleReport: OpCycles;
  readonly steadyState: {
    readonly emulatedMs: number;
    readonly awakeCycles: number;
    readonly awakeFraction: number;
    readonly collections: number;
    /** fxCollect calls from reset to the steady state's start: the watch sees collections where there are some. */
    readonly collectionsBefore: number;
    readonly collectionCycles: number;
    readonly longestCollectionMicros: number;
  };
}

export type CyclesResult = CyclesReport | { readonly skipped: string };

interface Mark {
  readonly value: number;
  readonly awake: number;
  readonly elapsed: number;
  readonly waiting: number;
}

/** A function's address in the image's ELF, from arm-none-eabi-nm. */
function symbol(elf: string, name: string): number {
  const listed = spawnSync("arm-none-eabi-nm", [elf], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (listed.status !== 0) throw new Error(`arm-none-eabi-nm ${elf} failed: ${listed.stderr}`);
  const line = listed.stdout.split("\n").find((l) => l.endsWith(` ${name}`) && / [Tt] /.test(l));
  if (line === undefined) throw new Error(`${elf} has no function ${name}`);
  return Number.parseInt(line.split(" ")[0] ?? "", 16);
}

/** The ops between `start` and `start + 1` marks, in order. */
function ops(marks: readonly Mark[], start: number): OpCycles {
  const work: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < marks.length; i++) {
    const begin = marks[i];
    const end = marks[i + 1];
    if (begin?.value !== start || end?.value !== start + 1) continue;
    work.push(end.awake - begin.awake - (end.waiting - begin.waiting));
    total.push(end.elapsed - begin.elapsed);
  }
  return { work, total };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Boots the built image and collects its marks and the steady state; the same image gives the same figures. */
export function measureCycles(uf2: string, elf: string, bootrom: Uint8Array, samples: number,
  options: { readonly steadyMs?: number; readonly onConsole?: (text: string) => void } = {}): CyclesReport {
  const steadyMs = options.steadyMs ?? STEADY_MS;
  const onConsole = options.onConsole;
  installNodeEngine();
  const emulation = new Emulation({ image: flashImage(new Uint8Array(readFileSync(uf2))), sim: loadScenario(SCENARIO), bootrom,
    onUart: () => undefined });
  const waits: WatchedFunction = emulation.watch("busy_wait_us_32", symbol(elf, "busy_wait_us_32"));
  const collections: WatchedFunction = emulation.watch("fxCollect", symbol(elf, "fxCollect"));
  const marks: Mark[] = [];
  // The console only to find out why an image misbehaves: a USB host costs the firmware its interrupts (and cycles).
  if (onConsole !== undefined) {
    emulation.run(400, 400 * 150_000);
    emulation.attachUsbHost(onConsole);
  }
  const elapsed = (): number => Math.round(emulation.clock.nanos * CPU_HZ / 1e9);
  const expectedMarks = CHIPS.length * 2 * samples * 2 + samples * 4 + 1;
  // Ops are 1.1 s apart: a step per op, two per chip to open, the gateway's two, and margin.
  const untilMs = 1100 * (CHIPS.length * (2 * samples + 3) + samples + 6);
  let startedAtMs = Number.NaN;
  for (;;) {
    const result = emulation.run(untilMs, untilMs * 150_000);
    if (result.reason === "breakpoint" && emulation.breakCode === MARK_BREAK) {
      marks.push({ value: emulation.breakValue, awake: emulation.awakeCycles, elapsed: elapsed(), waiting: waits.cycles });
      if (emulation.breakValue === GATEWAY_STARTED) {
        startedAtMs = emulation.nowMs;
        break;
      }
      continue;
    }
    throw new Error(`the cycles image stopped (${result.reason}: ${result.detail}) after ${marks.length} of ${expectedMarks} marks`);
  }
  if (marks.length !== expectedMarks) {
    throw new Error(`${marks.length} marks, expected ${expectedMarks} (an op threw?): ${marks.map((m) => m.value).join(" ")}`);
  }
  emulation.run(startedAtMs + SETTLE_MS, SETTLE_MS * 150_000);
  const awakeBefore = emulation.awakeCycles;
  const collectionsBefore = collections.calls;
  const collectionCyclesBefore = collections.cycles;
  collections.longestCycles = 0;
  const steady = emulation.run(startedAtMs + SETTLE_MS + steadyMs, steadyMs * 150_000);
  if (steady.reason !== "time") throw new Error(`the steady state stopped: ${steady.reason}: ${steady.detail}`);
  const awakeCycles = emulation.awakeCycles - awakeBefore;
  return {
    image: uf2, samplesPerSide: samples,
    chips: CHIPS.map((chip, index) => ({ chip, ours: ops(marks, OP + 10 * index), theirs: ops(marks, OP + 10 * index + 2) })),
    readingsDocument: ops(marks, DOCUMENT), consoleReport: ops(marks, REPORT),
    steadyState: {
      emulatedMs: steadyMs, awakeCycles, awakeFraction: steadyMs === 0 ? 0 : awakeCycles / (steadyMs / 1000 * CPU_HZ),
      collections: collections.calls - collectionsBefore, collectionsBefore, collectionCycles: collections.cycles - collectionCyclesBefore,
      longestCollectionMicros: collections.longestCycles / (CPU_HZ / 1e6),
    },
  };
}

/** Builds bench/cycles for the Pico with the SDK (release, as users flash); returns the .uf2 and .elf. */
export async function buildCyclesImage(samples: number, progress: (line: string) => void): Promise<{ uf2: string; elf: string } | { skipped: string }> {
  const sdk = findSdk();
  const pico = findPicoSdk();
  if (!sdk.ok) return { skipped: sdk.reason };
  if (!pico.ok) return { skipped: pico.reason };
  progress("bench: cycles — building bench/cycles with the Moddable SDK (mcconfig -m -p pico)…");
  const app = join(projectRoot, "bench", "cycles");
  const built = await mcconfig(sdk.value, ["-m", "-p", "pico", "-t", "build", `samples=${samples}`],
    { cwd: app, env: { ...pico.value, STILLHEAP: projectRoot } });
  if (built.status !== 0) throw new Error(`mcconfig -m -p pico for bench/cycles failed:\n${built.output.slice(-3000)}`);
  const dir = buildPath("bin", "pico", "release", "cycles");
  return { uf2: join(dir, "xs_pico.uf2"), elf: join(dir, "xs_pico.elf") };
}

export async function runCyclesBench(samples: number, progress: (line: string) => void): Promise<CyclesResult> {
  const bootrom = process.env["STILLHEAP_RP2040_BOOTROM"];
  if (bootrom === undefined) return { skipped: "STILLHEAP_RP2040_BOOTROM is not set" };
  const image = await buildCyclesImage(samples, progress);
  if ("skipped" in image) return image;
  progress("bench: cycles — the image in rp2040js: each driver's samples, the gateway's documents, 60 s of steady state…");
  return measureCycles(image.uf2, image.elf, new Uint8Array(readFileSync(bootrom)), samples);
}

/** The suite's table: medians over the samples, cycles at 125 MHz. */
export function cyclesTable(report: CyclesReport): string {
  const k = (cycles: number): string => `${(cycles / 1000).toFixed(1)}k`;
  const rows = report.chips.map((c) => {
    const ours = median(c.ours.work);
    const theirs = median(c.theirs.work);
    return `  ${c.chip.padEnd(8)} ${k(ours).padStart(9)} ${k(theirs).padStart(10)} ${(theirs / ours).toFixed(2).padStart(6)}×` +
      `   ${k(median(c.ours.total)).padStart(9)} ${k(median(c.theirs.total)).padStart(10)}`;
  });
  const s = report.steadyState;
  return [`cycles on Moddable's Pico image in rp2040js (125 MHz; medians of ${report.samplesPerSide} samples a side; the same counts every run)`,
    "  chip     work ours  work Moddable's  ratio   with waits ours  Moddable's",
    ...rows,
    `  readings document ${k(median(report.readingsDocument.work))}, console report ${k(median(report.consoleReport.work))} cycles`,
    `  steady state of the default gateway over ${s.emulatedMs / 1000} s: awake ${(s.awakeFraction * 100).toFixed(3)}% ` +
      `(${k(s.awakeCycles)} cycles), ${s.collections} collections` +
      (s.collections > 0 ? ` (${k(s.collectionCycles)} cycles, longest ${s.longestCollectionMicros.toFixed(0)} µs)` : "") +
      ` (${s.collectionsBefore} from reset until then)`,
  ].join("\n");
}
