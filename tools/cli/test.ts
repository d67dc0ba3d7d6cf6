/**
 * `stillheap test`: type-check, lint, then run the one test suite on every engine — Node (mocha), the XS host (our
 * runner, same files), the RP2040 image in rp2040js — and the Moddable SDK's builds of the project, and print one
 * tally line per engine and a total.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import Mocha from "mocha";
import { ExitCode, UsageError, type Command } from "./command.js";
import { lintProject } from "./lint.js";
import { buildDir, distDir, projectRoot } from "./paths.js";

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  /** What ran them, where an engine has more than one build ("XS 17.7.0"). */
  engine?: string;
}

const ENGINES = ["node", "xs", "rp2040", "moddable"] as const;
type EngineName = (typeof ENGINES)[number];

/** Test budget on the XS host: tests are not the device; allocation guards are exact at any size. */
const XS_TEST_BUDGET = { chunk: 64 * 1024 * 1024, slots: 1024 * 1024, stack: 16 * 1024 };

function progress(text: string): void {
  process.stderr.write(`\n== ${text}\n`);
}

function findTests(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (entry.endsWith(".test.js")) out.push(path);
  }
  return out;
}

/** Test files whose path under tests/ contains one of `filters` (all of them when there are none). */
function testFiles(engine: EngineName, filters: readonly string[]): string[] {
  const root = join(distDir, "tests");
  const folder = (file: string): string => relative(root, file).split(sep)[0] ?? "";
  /** Folders whose tests run only on their own engine. */
  const own = (name: string): boolean => name === "rp2040" || name === "moddable";
  const named = (file: string): boolean => {
    const path = relative(root, file).split(sep).join("/");
    return filters.some((filter) => path.includes(filter.replace(/^tests\//, "").replace(/\.ts$/, "")));
  };
  const all = findTests(root).filter((file) => filters.length === 0 || named(file));
  if (engine === "rp2040" || engine === "moddable") return all.filter((file) => folder(file) === engine);
  if (engine === "xs") return all.filter((file) => !own(folder(file)) && folder(file) !== "node");
  return all.filter((file) => !own(folder(file)));
}

function typeCheck(): boolean {
  progress("type-check (tsc -b)");
  const tsc = resolve(projectRoot, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-b", "--pretty"], { cwd: projectRoot, stdio: "inherit" });
  return result.status === 0;
}

function lint(): boolean {
  progress("lint");
  const findings = lintProject();
  for (const f of findings) process.stderr.write(`${f.file}:${f.line}: ${f.rule}: ${f.message}\n`);
  process.stderr.write(`lint: ${findings.length === 0 ? "clean" : `${findings.length} finding(s)`}\n`);
  return findings.length === 0;
}

async function runMocha(files: readonly string[], timeoutMs: number): Promise<Tally> {
  await import(pathToFileURL(join(distDir, "hosts", "node", "test-setup.js")).href);
  const mocha = new Mocha({ reporter: "spec", timeout: timeoutMs });
  for (const file of files) mocha.addFile(file);
  await mocha.loadFilesAsync();
  return new Promise((done) => {
    const runner = mocha.run(() => {
      const stats = runner.stats;
      done({ passed: stats?.passes ?? 0, failed: stats?.failures ?? 0, skipped: stats?.pending ?? 0 });
    });
  });
}

function xsEntry(files: readonly string[]): string {
  const url = (path: string): string => JSON.stringify(path);
  return [
    `import { installXsEngine } from ${url(join(distDir, "hosts", "xs", "host.js"))};`,
    `import { installTestGlobals, runRegisteredTests } from ${url(join(distDir, "hosts", "xs", "test-runner.js"))};`,
    "installXsEngine();",
    "installTestGlobals();",
    ...files.map((file) => `await import(${url(file)});`),
    'const failed = await runRegisteredTests("xs");',
    'if (failed > 0) throw new Error(`${failed} test(s) failed on xs`);',
    "",
  ].join("\n");
}

const TALLY_LINE = /^(\w+): (\d+) passed, (\d+) failed, (\d+) skipped$/m;

async function runXsTests(filters: readonly string[]): Promise<Tally> {
  const { ensureXsHost, xsEngine, xsVersion } = await import("./xs-engine.js");
  const { runXs } = await import("./xs-run.js");
  const binary = await ensureXsHost();
  const engine = `${xsVersion(binary)}, from ${xsEngine().origin}`;
  process.stderr.write(`xs: ${engine}\n`);
  const entry = join(buildDir, "xs", "test-entry.js");
  mkdirSync(join(buildDir, "xs"), { recursive: true });
  writeFileSync(entry, xsEntry(testFiles("xs", filters)));
  const result = await runXs({ entry, ...XS_TEST_BUDGET, capture: true });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  const match = TALLY_LINE.exec(result.stdout);
  if (match === null) {
    process.stderr.write(`xs: the runner ended (exit ${result.exitCode}) before its tally: a test crashed the ` +
      "engine or awaited a promise that never settles\n");
    return { passed: 0, failed: 1, skipped: 0, engine };
  }
  const stack = result.report === undefined ? "" : `, deepest stack ${result.report.stackPeak} slots`;
  const tally: Tally = { passed: Number(match[2]), failed: Number(match[3]), skipped: Number(match[4]),
    engine: engine + stack };
  if (result.exitCode !== 0 && tally.failed === 0) tally.failed = 1;
  return tally;
}

async function runEngine(engine: EngineName, filters: readonly string[]): Promise<Tally | undefined> {
  progress(`tests on ${engine}`);
  if (engine === "xs") return testFiles("xs", filters).length === 0 ? undefined : runXsTests(filters);
  if (engine === "node") { // its Node-only tests start the XS host: build it here, not under a test's timeout
    const { ensureXsHost } = await import("./xs-engine.js");
    await ensureXsHost();
  }
  const files = testFiles(engine, filters);
  if (files.length === 0) return undefined;
  return runMocha(files, engine === "node" ? 10_000 : 120_000);
}

function line(name: string, tally: Tally): string {
  const engine = tally.engine === undefined ? "" : ` (${tally.engine})`;
  return `${name}: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped${engine}`;
}

interface TestArgs {
  engines: EngineName[];
  filters: string[];
}

function parseArgs(args: readonly string[]): TestArgs {
  const engines: EngineName[] = [];
  const filters: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg !== "--engine") {
      if (arg.startsWith("-")) throw new UsageError(`unknown option "${arg}"`);
      filters.push(arg);
      continue;
    }
    const value = args[++i];
    const engine = ENGINES.find((name) => name === value);
    if (engine === undefined) throw new UsageError(`unknown engine "${value ?? ""}": choose ${ENGINES.join(", ")}`);
    engines.push(engine);
  }
  return { engines: engines.length > 0 ? engines : [...ENGINES], filters };
}

export const command: Command = {
  summary: "type-check, lint and run the test suite on every engine",
  usage: `usage: stillheap test [--engine node|xs|rp2040|moddable]... [FILE]...

Type-checks (tsc -b), lints, then runs tests/**/*.test.ts on each engine:
  node     mocha on Node (tests/node/ are Node-only)
  xs       the same files on the real XS engine, built on first use from the Moddable SDK's XS when MODDABLE
           names an SDK (the engine users run), else from @agoric/xsnap's sources (XS 13.3);
           STILLHEAP_XS_ENGINE=moddable|xsnap chooses
  rp2040   tests/rp2040/: the firmware image in the rp2040js emulator (no line while that folder has no tests)
  moddable tests/moddable/: the project built by the Moddable SDK found through MODDABLE (mcconfig for lin, run
           in mcsim under xvfb-run; esp32 to mc.xs.c; pico with PICO_SDK_DIR); skipped, with the reason, without it
FILE keeps only the test files whose path under tests/ contains it (tests/app/settings.test.ts, settings, app/);
an engine with none of them prints no line.
Prints "<engine>: N passed, N failed, N skipped" per engine and a total line.
Exit status: 0 all passed, 1 a failure (or a type or lint error), 2 usage error.`,
  async run(args) {
    const { engines, filters } = parseArgs(args);
    if (!typeCheck() || !lint()) return ExitCode.failed;
    const lines: string[] = [];
    const total: Tally = { passed: 0, failed: 0, skipped: 0 };
    for (const engine of engines) {
      const tally = await runEngine(engine, filters);
      if (tally === undefined) continue;
      lines.push(line(engine, tally));
      total.passed += tally.passed;
      total.failed += tally.failed;
      total.skipped += tally.skipped;
    }
    process.stdout.write(`\n${lines.join("\n")}\n${line("total", total)}\n`);
    return total.failed === 0 && total.passed > 0 ? ExitCode.ok : ExitCode.failed;
  },
};
