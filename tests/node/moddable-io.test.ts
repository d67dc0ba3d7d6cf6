/**
 * Moddable's own ECMA-419 IO tests — tests/modules/io/{digital,digitalBank,i2c}, 42 test262-style files with
 * Moddable's test262 harness — run unmodified against the simulator's `device`, one test per file. They are unpacked
 * at test time from Moddable's tarball beside the project (../shared/moddable), never copied into it.
 * Node only: the files are found and unpacked with tar, and evaluated as test262 runners do (a script in a function of
 * its own, "use strict" first for onlyStrict; a module imported, its `timer` resolved to the simulator's).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { buildDir, distDir, projectRoot } from "../../tools/cli/paths.js";
import { skipBecause } from "../support/engines.js";
import { describeError, testRun } from "../support/moddable-io-env.js";

const SUITES = ["digital", "digitalBank", "i2c"];
/** How many files Moddable 8.2.3 has in those folders: fewer means the tarball is not the one these results are for. */
const EXPECTED_FILES = 42;
/** Virtual time an async test may take before it fails (its own timeouts are 100 ms). */
const ASYNC_DEADLINE_MS = 5_000;
const outDir = join(buildDir, "moddable-io-tests");

/** The tarball, from ../shared/moddable beside the project (as .ci/run finds the SDK), or why there is none. */
function findTarball(): string | { readonly reason: string } {
  const places = [resolve(projectRoot, "..", "shared", "moddable"), "/work/shared/moddable"];
  for (const dir of places) {
    if (!existsSync(dir)) continue;
    const name = readdirSync(dir).filter((file) => file.startsWith("moddable-") && file.endsWith("-io-tests.tar.gz")).sort().pop();
    if (name !== undefined) return join(dir, name);
  }
  return { reason: `no moddable-*-io-tests.tar.gz in ${places.join(" or ")}: Moddable's IO tests cannot run` };
}

function unpack(tarball: string): void {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const run = spawnSync("tar", ["-xzf", tarball, "-C", outDir], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`tar could not unpack ${tarball}: ${run.stderr.trim()}`);
  // The module tests `import Timer from "timer"`: resolve it, for Node, to the simulator's.
  const shim = join(outDir, "node_modules", "timer");
  mkdirSync(shim, { recursive: true });
  writeFileSync(join(shim, "package.json"), `${JSON.stringify({ name: "timer", type: "module", main: "index.js" })}\n`);
  writeFileSync(join(shim, "index.js"), `export { default } from ${JSON.stringify(pathToFileURL(join(distDir, "simulator", "timer.js")).href)};\n`);
}

interface FrontMatter {
  readonly flags: readonly string[];
  readonly includes: readonly string[];
}

/** The test262 front matter's `flags` and `includes` lists. */
function frontMatter(source: string): FrontMatter {
  const start = source.indexOf("/*---");
  const end = source.indexOf("---*/", start);
  const yaml = start < 0 || end < 0 ? "" : source.slice(start + 5, end);
  const list = (key: string): string[] => {
    const line = yaml.split("\n").find((text) => text.trimStart().startsWith(`${key}:`));
    const open = line?.indexOf("[") ?? -1;
    const close = line?.lastIndexOf("]") ?? -1;
    if (line === undefined || open < 0 || close < open) return [];
    return line.slice(open + 1, close).split(",").map((item) => item.trim()).filter((item) => item !== "");
  };
  return { flags: list("flags"), includes: list("includes") };
}

function testFiles(): string[] {
  const root = join(outDir, "moddable", "tests", "modules", "io");
  return SUITES.flatMap((suite) => readdirSync(join(root, suite)).filter((file) => file.endsWith(".js")).sort().map((file) => join(root, suite, file)));
}

/** Sets the runner's globals for one test and takes them away after, leaving what was there before. */
async function withGlobals<T>(globals: Readonly<Record<string, unknown>>, body: () => Promise<T>): Promise<T> {
  const scope = globalThis as unknown as Record<string, unknown>;
  const names = [...Object.keys(globals), "assert", "Test262Error", "$DONOTEVALUATE"];
  const before = new Map(names.map((name) => [name, Object.getOwnPropertyDescriptor(scope, name)]));
  Object.assign(scope, globals);
  try {
    return await body();
  } finally {
    for (const [name, descriptor] of before) {
      if (descriptor === undefined) Reflect.deleteProperty(scope, name);
      else Object.defineProperty(scope, name, descriptor);
    }
  }
}

/** Runs one file as Moddable's runner would; resolves to null when it passed, else why it failed. */
async function runFile(file: string, harness: string): Promise<string | null> {
  const source = readFileSync(file, "utf8");
  const { flags, includes } = frontMatter(source);
  const missing = includes.filter((name) => !existsSync(join(outDir, "moddable", "tools", "test262", name)));
  if (missing.length > 0) return `includes ${missing.join(", ")}, which the tarball does not have`;
  const run = testRun();
  return withGlobals(run.globals, async () => {
    try {
      new Function(harness)();
      for (const name of includes) new Function(readFileSync(join(outDir, "moddable", "tools", "test262", name), "utf8"))();
      if (flags.includes("module")) await import(pathToFileURL(file).href);
      else new Function(`${flags.includes("onlyStrict") ? '"use strict";\n' : ""}${source}`)();
      if (!flags.includes("async")) return null;
      for (let ms = 0; ms < ASYNC_DEADLINE_MS && run.outcome() === undefined; ms++) {
        run.sim.clock.advance(1);
        await Promise.resolve();
      }
      const outcome = run.outcome();
      return outcome === undefined ? `$DONE was not called within ${ASYNC_DEADLINE_MS} ms of virtual time` : outcome;
    } catch (error: unknown) {
      return describeError(error);
    }
  });
}

const tarball = findTarball();
if (typeof tarball !== "string") {
  describe("Moddable's IO tests on the simulator", () => {
    it("run unmodified", function () {
      skipBecause(this, tarball.reason);
    });
  });
} else {
  unpack(tarball);
  const harness = readFileSync(join(outDir, "moddable", "tools", "test262", "harness.js"), "utf8");
  const files = testFiles();
  const results = new Map<string, string | null>();

  describe(`Moddable's IO tests (${SUITES.join(", ")}) on the simulator, unmodified`, () => {
    it(`finds all ${EXPECTED_FILES} files in ${relative(projectRoot, tarball)}`, () => {
      if (files.length !== EXPECTED_FILES) throw new Error(`found ${files.length} test files, expected ${EXPECTED_FILES}`);
    });

    for (const file of files) {
      const name = relative(join(outDir, "moddable", "tests", "modules", "io"), file);
      it(name, async () => {
        const failure = await runFile(file, harness);
        results.set(name, failure);
        if (failure !== null) throw new Error(failure);
      });
    }

    after(() => {
      const passed = [...results.values()].filter((failure) => failure === null).length;
      process.stdout.write(`      Moddable IO tests: ${passed} of ${files.length} pass on the simulator\n`);
    });
  });
}
