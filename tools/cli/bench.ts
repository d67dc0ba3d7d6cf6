/**
 * `stillheap bench [suite…]`: runs benchmark suites on the XS engine (each suite compares our structures with the
 * naive code they replace, in one run), prints a table and writes bench/results/<suite>.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { ExitCode, UsageError, type Command } from "./command.js";
import { distDir, projectRoot } from "./paths.js";
import { runXs } from "./xs-run.js";
import { loadTable, runLoadBench } from "../../bench/node/http-load.js";
import { runRp2040Bench } from "../../bench/node/rp2040.js";
import { runModdablePicoBench, type ModdablePicoResult } from "../../bench/node/moddable-pico.js";
import { cyclesTable, runCyclesBench } from "../../bench/node/cycles.js";
import { runSlowlorisBench } from "../../bench/node/slowloris.js";
import { runSoakBench, soakTable } from "../../bench/node/soak.js";
import { runStormBench } from "../../bench/node/storm.js";
import { extractModdableDrivers } from "../moddable/sdk-drivers.js";

/** One side of a comparison as bench/support/measure.ts reports it. */
interface Spread {
  min: number;
  median: number;
  max: number;
}
interface SideResult {
  name: string;
  opsPerSecond: Spread;
  gcCycles: number;
  slotsPerOp: number | null;
  chunkBytesPerOp: number | null;
}
interface Comparison {
  structure: string;
  repetitions: number;
  ours: SideResult;
  naive: SideResult;
  ratio: Spread;
}
/** The JSON line an XS bench entry prints. */
interface SuiteOutput {
  suite: string;
  engine: string;
  engineVersion: string;
  board: string;
  comparisons: Comparison[];
}

/** Where an XS suite runs: "ample" (the host's large default heap) or a board, under its budget, modules preloaded. */
type Budget = string;

interface XsSuite {
  readonly entry: string;
  /** Budgets it runs under by default; --board narrows them to that board. */
  readonly budgets: readonly Budget[];
  /** Extra module-map entries, or why the suite cannot run here. */
  readonly maps?: () => Readonly<Record<string, string>> | string;
  /** Runs of another entry of the suite, under a board's budget, after the default ones (skipped with --board). */
  readonly extraRuns?: readonly { readonly entry: string; readonly board: string; readonly label: string }[];
  /** Work on Node after the XS runs (the http suite's load run), added to the results. */
  readonly after?: () => Promise<{ readonly key: string; readonly value: unknown; readonly table: string; readonly ok: boolean }>;
}

const XS_SUITES: Readonly<Record<string, XsSuite>> = {
  mem: {
    entry: join(distDir, "bench", "mem", "main.js"), budgets: ["ample", "pico", "esp32"],
    extraRuns: [{ entry: join(distDir, "bench", "mem", "beside-gateway.js"), board: "pico",
      label: "board pico budget beside a running gateway, modules preloaded" }],
  },
  drivers: {
    // One XS machine per chip (bench/drivers/pair.ts says why): main.js is the SHT3x, the rest run after it.
    entry: join(distDir, "bench", "drivers", "main.js"), budgets: ["pico"],
    extraRuns: ["tmp117", "lis3dh", "aht20", "shtc3", "mpu6050", "tmp102"].map((chip) => ({
      entry: join(distDir, "bench", "drivers", `${chip}.js`), board: "pico", label: `board pico budget, modules preloaded (${chip})`,
    })),
    // Moddable's own drivers, from the SDK: without one the suite says why and fails.
    maps: () => {
      const drivers = extractModdableDrivers();
      return typeof drivers === "string" ? drivers : drivers.maps;
    },
  },
  http: {
    entry: join(distDir, "bench", "http", "main.js"), budgets: ["pico", "ample"],
    after: async () => {
      const load = await runLoadBench((line) => process.stderr.write(`${line}\n`));
      return { key: "load", value: load, table: loadTable(load), ok: load.problems.length === 0 };
    },
  },
  "http-resume": { entry: join(distDir, "bench", "http", "resume.js"), budgets: ["pico", "ample"] },
};

/** Every suite: the XS suites above, and those that run on Node or in the emulator. */
const SUITES: readonly string[] = [...Object.keys(XS_SUITES), "fit", "sensor-ram", "rp2040", "cycles", "storm", "slowloris", "soak"];

/** The machine a result was measured on: results from different machines are not comparable. */
function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? "unknown", cores: cpus.length, os: `${os.platform()} ${os.release()}`, arch: os.arch(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30), loadAverage1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    node: process.version,
  };
}

function formatRate(value: number): string {
  return value >= 100 ? String(Math.round(value)) : value.toFixed(1);
}

function table(title: string, comparisons: readonly Comparison[]): string {
  const header = ["comparison (ours vs baseline)", "ours ops/s", "baseline ops/s", "ratio (min–max)", "slots/op", "chunk B/op", "GC"];
  const rows = comparisons.map((c) => [c.structure, formatRate(c.ours.opsPerSecond.median),
    formatRate(c.naive.opsPerSecond.median), `${c.ratio.median.toFixed(2)}× (${c.ratio.min.toFixed(2)}–${c.ratio.max.toFixed(2)})`,
    `${c.ours.slotsPerOp ?? "?"} / ${c.naive.slotsPerOp ?? "?"}`, `${c.ours.chunkBytesPerOp ?? "?"} / ${c.naive.chunkBytesPerOp ?? "?"}`,
    `${c.ours.gcCycles} / ${c.naive.gcCycles}`]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) :
    cell.padStart(widths[i] ?? 0))).join("  ");
  return [title, line(header), ...rows.map(line)].join("\n");
}

/** The Moddable Pico firmware's figures, as lines of the rp2040 table. */
function moddableLines(result: ModdablePicoResult): string[] {
  if ("skipped" in result) return [`  Moddable's Pico firmware: not measured (${result.skipped})`];
  const kb = (bytes: number): string => (bytes / 1024).toFixed(1);
  const phases = result.bootPhasesMs;
  return [`  Moddable's Pico firmware (mcconfig -i -p pico): ${kb(result.flashBytes)} KB flash; reset to first sample ` +
    `${result.resetToFirstSampleEmulatedMs} emulated ms (main ${phases.main}, gateway ${phases.gateway}, sensors open ` +
    `${phases.sensorsOpen}); ${result.bootCollections} boot collections`,
  `    with a settings record in flash (restored before the sensors open): first sample ` +
    `${result.resetToFirstSampleWithSettingsEmulatedMs} emulated ms`,
  `    XS before the gateway ${kb(result.xsBeforeGatewayBytes)} KB, running ${kb(result.xsSteadyStateBytes)} KB: the ` +
    `gateway created ${kb(result.gatewayRamBytes)} KB; about ${kb(result.xsFreeBytes)} KB of the 128 KB static block left`];
}

/** The rp2040 suite runs the firmware images in the emulator, on Node: ours, and Moddable's where its SDK is here. */
async function runRp2040Suite(): Promise<boolean> {
  const progress = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const report = runRp2040Bench(progress);
  const moddable = await runModdablePicoBench(progress);
  const file = join(projectRoot, "bench", "results", "rp2040.json");
  writeFileSync(file, `${JSON.stringify({ suite: "rp2040", measuredAt: new Date().toISOString(), ...report, moddablePico: moddable },
    null, 2)}\n`);
  const rows = report.gpio.map((run) => `  ${String(run.edgesPerSecond).padStart(7)} edges/s: ${run.interrupts}/${run.generated} interrupts, ` +
    `${run.onReadableCalls} onReadable calls, lost ${run.lost}`);
  process.stdout.write([`rp2040 in rp2040js (${report.emulator})`,
    `  image ${(report.size.flashBytes / 1024).toFixed(1)} KB flash (target ≤ ${report.size.flashTargetBytes / 1024} KB); ` +
    `XS memory left after the engine ${(report.xsBytesLeftAfterEngine / 1024).toFixed(1)} KB`,
    `  gateway steady state: XS holds ${(report.gatewaySteadyStateXsBytes / 1024).toFixed(1)} KB, ` +
    `${(report.gatewayHeadroomBytes / 1024).toFixed(1)} KB of the arena left`,
    `  reset to first sample: ${report.bootToFirstSampleEmulatedMs} emulated ms (the device's clock; main ` +
    `${report.bootPhasesMs.main}, gateway ${report.bootPhasesMs.gateway}, sensors open ${report.bootPhasesMs.sensorsOpen}); ` +
    `${report.bootCollections} boot collections`,
    ...rows, `  highest edge rate without loss: ${report.highestLosslessEdgesPerSecond}/s`, ...moddableLines(moddable),
    `wrote ${file}`].join("\n") + "\n");
  return Number.isFinite(report.bootToFirstSampleEmulatedMs) && Number.isFinite(report.gatewayHeadroomBytes);
}

/** The cycles suite builds bench/cycles with the Moddable SDK and counts its cycles in the emulator, on Node. */
async function runCyclesSuite(): Promise<boolean> {
  const result = await runCyclesBench(Number(process.env["STILLHEAP_CYCLES_SAMPLES"] ?? 8), (line) => process.stderr.write(`${line}\n`));
  if ("skipped" in result) {
    process.stdout.write(`cycles: not measured (${result.skipped})\n`);
    return true;
  }
  const file = join(projectRoot, "bench", "results", "cycles.json");
  writeFileSync(file, `${JSON.stringify({ suite: "cycles", measuredAt: new Date().toISOString(), ...result }, null, 2)}\n`);
  process.stdout.write(`${cyclesTable(result)}\nwrote ${file}\n`);
  return true;
}

/** The storm suite runs the simulator on Node, where `npm start` runs it. */
function runStormSuite(): boolean {
  const runs = runStormBench((line) => process.stderr.write(`${line}\n`));
  const file = join(projectRoot, "bench", "results", "storm.json");
  writeFileSync(file, `${JSON.stringify({ suite: "storm", engine: "node", measuredAt: new Date().toISOString(), runs }, null, 2)}\n`);
  const rows = runs.map((r) => `  ${String(r.edges).padStart(7)} edges  ${String(r.ms).padStart(6)} ms  ${r.microsPerEdge.toFixed(2).padStart(6)} µs/edge` +
    (r.naiveMs === null ? "   naive: not run (quadratic)" : `   naive ${r.naiveMs} ms, ${r.naiveMicrosPerEdge?.toFixed(2) ?? "?"} µs/edge`));
  process.stdout.write([`storm on node (gateway on a simulated Pico, one storm over 1 s, 2 virtual s run; ` +
    `${runs[0]?.baselineMs ?? "?"} ms without a storm, subtracted per edge)`, ...rows, `wrote ${file}`].join("\n") + "\n");
  return runs.every((r) => Number.isFinite(r.ms));
}

/** The slowloris suite attacks `stillheap sim` as a process, with eviction on and off. */
async function runSlowlorisSuite(): Promise<boolean> {
  const runs = await runSlowlorisBench((line) => process.stderr.write(`${line}\n`));
  const file = join(projectRoot, "bench", "results", "slowloris.json");
  writeFileSync(file, `${JSON.stringify({ suite: "slowloris", engine: "node", measuredAt: new Date().toISOString(), runs }, null, 2)}\n`);
  const rows = runs.map((r) => `  eviction ${r.eviction.padEnd(14)} ${String(r.served).padStart(4)} served  ${String(r.refused).padStart(4)} refused (503)  ` +
    `${String(r.other).padStart(3)} other, of ${r.legitimate}`);
  process.stdout.write(["slowloris on node (50 slow senders reconnecting within 10 ms; a whole request every 100 ms for 10 s)",
    ...rows, `wrote ${file}`].join("\n") + "\n");
  return runs.every((r) => r.legitimate > 0);
}

/** The soak suite: stillheap sim as a process under mixed hostile load, bounded in time; memory and fds sampled. */
async function runSoakSuite(): Promise<boolean> {
  const result = await runSoakBench((line) => process.stderr.write(`${line}\n`));
  const file = join(projectRoot, "bench", "results", "soak.json");
  writeFileSync(file, `${JSON.stringify({ suite: "soak", engine: "node", measuredAt: new Date().toISOString(), machine: machine(), ...result }, null, 2)}\n`);
  process.stdout.write(`${soakTable(result)}\nwrote ${file}\n`);
  return result.legitimate.served >= 0.9 * result.legitimate.sent && result.shutdown.code === 0;
}

/** The sensor-ram suite: the marginal RAM of one more declared sensor, on the XS host with the Pico's stack. */
async function runSensorRamSuite(entry: string): Promise<boolean> {
  process.stderr.write("bench: sensor-ram — one more sensor's RAM on the XS engine…\n");
  // Three gateways and the simulator do not fit the Pico's 128 KB together; the counts are exact on any heap.
  const run = await runXs({ entry, chunk: 1024 * 1024, slots: 64 * 1024, stack: 512, capture: true, preloaded: true });
  const json = run.stdout.split("\n").find((line) => line.startsWith("{"));
  if (run.exitCode !== 0 || json === undefined) {
    process.stdout.write(`sensor-ram on xs: failed (exit ${run.exitCode})\n${run.stderr}`);
    return false;
  }
  const result = JSON.parse(json) as { gatewayBytesBySensors: number[]; marginalSensorBytes: number[] };
  const file = join(projectRoot, "bench", "results", "sensor-ram.json");
  writeFileSync(file, `${JSON.stringify({ ...result, measuredAt: new Date().toISOString(), xs: run.report }, null, 2)}\n`);
  process.stdout.write(`sensor-ram on xs (preloaded, slots at 16 bytes): a gateway with 1, 2, 3 SHT3x made ` +
    `${result.gatewayBytesBySensors.join(", ")} bytes; one sensor more: ${result.marginalSensorBytes.join(", ")} bytes\nwrote ${file}\n`);
  return true;
}

const ESP32_FIT_STACK = 512;

/**
 * The fit suite: the gateway under a board's budget on the XS host — the Pico's with its console (default), or with
 * `--board esp32` the ESP32 entry's composition with HTTP and MQTT — and what it holds; for the ESP32 the RAM left.
 */
async function runFitSuite(board: string): Promise<boolean> {
  if (board !== "pico" && board !== "esp32") throw new UsageError(`fit runs for --board pico or esp32, not "${board}"`);
  const entry = join(distDir, "bench", "fit", board === "esp32" ? "esp32.js" : "main.js");
  process.stderr.write(`bench: fit — the gateway under the ${board === "esp32" ? "ESP32" : "Pico"}'s budget on the XS engine…\n`);
  // The simulator's scenario loader and I2C bus nest deeper than the ESP32's 384 stack slots allow (the device's own
  // IO is native): 512, charged within the budget like the rest.
  const run = await runXs({ entry, board, capture: true, preloaded: true, ...(board === "esp32" ? { stack: ESP32_FIT_STACK } : {}) });
  const json = run.stdout.split("\n").find((line) => line.startsWith("{"));
  const file = join(projectRoot, "bench", "results", board === "esp32" ? "fit-esp32.json" : "fit.json");
  const fits = run.exitCode === 0 && json !== undefined;
  const stages = run.stdout.split("\n").filter((line) => line.startsWith("stage "));
  const result: Record<string, unknown> = fits ? JSON.parse(json) as Record<string, unknown> : { suite: "fit", board, exitCode: run.exitCode };
  result["stages"] = stages;
  writeFileSync(file, `${JSON.stringify({ ...result, fits, measuredAt: new Date().toISOString(), xs: run.report }, null, 2)}\n`);
  const kb = (key: string): string => (Number(result[key]) / 1024).toFixed(1);
  const peak = run.report?.budgetPeakBytes ?? Number.NaN;
  const made = board === "esp32"
    ? `the gateway with HTTP (${String(result["httpSlots"])} slot of ${String(result["responseBytes"])} response bytes) and MQTT ` +
      `(${String(result["mqttQueue"])} queued, ${String(result["mqttWindow"])} in flight, discovery off) ${kb("gatewayBytes")} KB held after ` +
      `a collection (the simulated board not charged); RAM left under the budget at the peak: ${((Number(result["budgetBytes"]) - peak) / 1024).toFixed(1)} KB`
    : `the gateway with its console ${kb("gatewayBytes")} KB`;
  process.stdout.write(fits
    ? `fit on xs (board ${board} budget, ${kb("budgetBytes")} KB, preloaded${board === "esp32" ? `, stack ${ESP32_FIT_STACK} slots` : ""}): fits — charged at most ` +
      `${(peak / 1024).toFixed(1)} KB (the initial heaps and what grew after the imports); made at run time: ` +
      `${board === "esp32" ? "" : `the simulator ${kb("simulatorBytes")} KB, `}${made}\nwrote ${file}\n`
    : `fit on xs (board ${board} budget): does not fit (exit ${run.exitCode}), after:\n${stages.join("\n")}\n${run.stderr}wrote ${file}\n`);
  return fits || run.exitCode === 4; // out of memory is this suite's measurement, not its failure
}

async function runXsSuite(name: string, suite: XsSuite, onlyBoard: string | undefined): Promise<boolean> {
  const maps = suite.maps?.() ?? {};
  if (typeof maps === "string") {
    process.stderr.write(`bench: ${name} not run: ${maps}\n`);
    return false;
  }
  const runs: Record<string, unknown>[] = [];
  const tables: string[] = [];
  let engineVersion = "";
  const plans = (onlyBoard === undefined ? suite.budgets : [onlyBoard]).map((budget) => ({
    entry: suite.entry, board: budget === "ample" ? undefined : budget,
    label: budget === "ample" ? "ample heap (64 MiB chunks, 1 Mi slots)" : `board ${budget} budget, modules preloaded`,
  }));
  if (onlyBoard === undefined) plans.push(...(suite.extraRuns ?? []));
  for (const plan of plans) {
    process.stderr.write(`bench: ${name} on the XS engine, ${plan.label}…\n`);
    const run = await runXs(plan.board === undefined ? { entry: plan.entry, maps, capture: true }
      : { entry: plan.entry, board: plan.board, preloaded: true, maps, capture: true });
    const json = run.stdout.split("\n").find((line) => line.startsWith("{"));
    if (run.exitCode !== 0 || json === undefined) {
      process.stderr.write(`bench: ${name} failed, ${plan.label} (exit ${run.exitCode})\n${run.stdout}${run.stderr}`);
      return false;
    }
    const output = JSON.parse(json) as SuiteOutput;
    engineVersion = output.engineVersion;
    runs.push({ budget: plan.label, ...output, xs: run.report });
    tables.push(table(`${name} on XS ${output.engineVersion}, ${plan.label} (process CPU clock; median of ` +
      `${output.comparisons[0]?.repetitions ?? 0} interleaved repetitions; slots, chunk bytes per op and GC: ours / baseline)`,
    output.comparisons));
  }
  const after = await suite.after?.();
  const dir = join(projectRoot, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const result: Record<string, unknown> = { suite: name, measuredAt: new Date().toISOString(), machine: machine(),
    engine: { name: "xs", version: engineVersion }, runs };
  if (after !== undefined) result[after.key] = after.value;
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${[...tables, ...(after === undefined ? [] : [after.table])].join("\n\n")}\nwrote ${file}\n`);
  return after?.ok ?? true;
}

async function runSuite(suite: string, board: string | undefined): Promise<boolean> {
  if (suite === "rp2040") return runRp2040Suite();
  if (suite === "cycles") return runCyclesSuite();
  if (suite === "fit") return runFitSuite(board ?? "pico");
  if (suite === "sensor-ram") return runSensorRamSuite(join(distDir, "bench", "sensor-ram", "main.js"));
  if (suite === "slowloris") return runSlowlorisSuite();
  if (suite === "soak") return runSoakSuite();
  if (suite === "storm") return runStormSuite();
  const xsSuite = XS_SUITES[suite];
  if (xsSuite === undefined) throw new UsageError(`unknown suite "${suite}"`);
  return runXsSuite(suite, xsSuite, board);
}

export const command: Command = {
  summary: "run benchmarks on the XS engine and write bench/results/",
  usage: `usage: stillheap bench [suite…] [--board pico|esp32]

Suites: ${SUITES.join(", ")} (default: all).
mem, drivers and http run on the XS engine and time our code against the code it replaces in interleaved repetitions
(process CPU clock, each from a collected heap): ops/s min/median/max, the ratio, collections, and slots and chunk
bytes per operation. mem runs with an ample heap, under the pico and esp32 budgets and under the pico budget beside
a running gateway; drivers under the pico budget against the Moddable SDK's own drivers (found through MODDABLE),
http under the pico budget and with an ample heap; --board runs them under that board's budget only. http also loads
the gateway on Node. http-resume feeds a 1,058-byte request one byte at a time against the same request whole,
parsed and served (ESP32 request limits), and fails when served byte by byte it costs more than 2× the whole one.
fit runs the gateway with the Pico's console under the Pico's budget and says what it holds (--board esp32: the
ESP32 entry's HTTP and MQTT under the ESP32's budget, and the RAM left);
sensor-ram what one more declared sensor costs in RAM. rp2040 measures the firmware images in the emulator: size, memory left, reset to first sample, GPIO
edge rates. cycles builds bench/cycles for the Pico with the Moddable SDK and counts, in the emulator, the CPU cycles
of each driver's sample against Moddable's own driver for the chip (work apart from waiting), of the gateway's
readings document and console report, and the awake fraction and collections over 60 s of steady state
($STILLHEAP_CYCLES_SAMPLES samples a side, 8 by default). storm measures what an interrupt storm of 25,000–200,000 edges costs the simulator on Node. slowloris
counts the legitimate requests stillheap sim serves while 50 slow senders attack it, with slot eviction on and off.
soak runs stillheap sim for 180 s ($STILLHEAP_SOAK_SECONDS) under mixed hostile load — API clients, 200 reconnecting
slow senders, panel pages that read and that never read, fault injections, MQTT to mosquitto when installed —
sampling RSS, heap and fds; it fails below 90% of legitimate requests served or on an unclean stop.
Results go to bench/results/<suite>.json. Exit status: 0 ok, 1 a suite failed, 2 usage error.`,
  async run(args) {
    const suites: string[] = [];
    let board: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] ?? "";
      if (arg === "--board") {
        board = args[++i] ?? "";
        if (board === "") throw new UsageError("--board needs a value");
      } else if (SUITES.includes(arg)) suites.push(arg);
      else throw new UsageError(`unknown suite "${arg}": choose ${SUITES.join(", ")}`);
    }
    let ok = true;
    for (const suite of suites.length > 0 ? suites : SUITES) {
      ok = (await runSuite(suite, board)) && ok;
    }
    return ok ? ExitCode.ok : ExitCode.failed;
  },
};
