/**
 * Moddable's own ECMA-419 IO tests — tests/modules/io/{digital,digitalBank,i2c}, 42 test262-style files with
 * Moddable's test262 harness — run unmodified against the simulator's `device`, one test per file, on Node and on the
 * XS engine. They are unpacked at test time from Moddable's tarball beside the project (../shared/moddable), never
 * copied into it. Node only: the files are unpacked with tar, and the XS half starts the XS host as a process with
 * `timer` mapped to the simulator's (the suite's own XS run maps only this package).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { buildDir, distDir, projectRoot } from "../../tools/cli/paths.js";
import { runXs } from "../../tools/cli/xs-run.js";
import * as assert from "../support/assert.js";
import { skipBecause } from "../support/engines.js";
import { describeModdableIoTests, type ModdableIoTest } from "../support/moddable-io.js";

const SUITES = ["digital", "digitalBank", "i2c"];
/** How many files Moddable 8.2.3 has in those folders: another count means another tarball than these results are for. */
const EXPECTED_FILES = 42;
const outDir = join(buildDir, "moddable-io-tests");
const ioDir = join(outDir, "moddable", "tests", "modules", "io");
const harnessDir = join(outDir, "moddable", "tools", "test262");
const simulatorTimer = join(distDir, "simulator", "timer.js");

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
  // The module tests `import Timer from "timer"`: for Node, a package here re-exporting the simulator's.
  const shim = join(outDir, "node_modules", "timer");
  mkdirSync(shim, { recursive: true });
  writeFileSync(join(shim, "package.json"), `${JSON.stringify({ name: "timer", type: "module", main: "index.js" })}\n`);
  writeFileSync(join(shim, "index.js"), `export { default } from ${JSON.stringify(pathToFileURL(simulatorTimer).href)};\n`);
}

/** The test files, each with its text, and the harness files by name. */
function load(): { tests: ModdableIoTest[]; harness: string; includes: Record<string, string> } {
  const tests = SUITES.flatMap((suite) => readdirSync(join(ioDir, suite)).filter((file) => file.endsWith(".js")).sort().map((file) => {
    const path = join(ioDir, suite, file);
    return { name: relative(ioDir, path), source: readFileSync(path, "utf8"), module: path };
  }));
  const includes = Object.fromEntries(readdirSync(harnessDir).map((file) => [file, readFileSync(join(harnessDir, file), "utf8")]));
  return { tests, harness: includes["harness.js"] ?? "", includes };
}

const tarball = findTarball();
if (typeof tarball !== "string") {
  describe("Moddable's IO tests on the simulator", () => {
    it("run unmodified on Node and on XS", function () {
      skipBecause(this, tarball.reason);
    });
  });
} else {
  unpack(tarball);
  const { tests, harness, includes } = load();
  const title = `Moddable's IO tests (${SUITES.join(", ")}) on the simulator, unmodified`;

  describe(`Moddable's IO tests from ${relative(projectRoot, tarball)}`, () => {
    it(`are all ${EXPECTED_FILES} files`, () => {
      assert.equal(tests.length, EXPECTED_FILES, tests.map((test) => test.name).join(", "));
    });
  });

  describeModdableIoTests(title, tests, {
    harness, includes, importModule: (path) => import(pathToFileURL(path).href),
  }, (line) => void process.stdout.write(`      ${line}\n`));

  describe(`${title}, on the XS engine`, function () {
    this.timeout(120_000);

    it(`pass there too, all ${EXPECTED_FILES}`, async () => {
      const url = (path: string): string => JSON.stringify(path);
      const data = join(outDir, "xs-tests.js");
      writeFileSync(data, `export default ${JSON.stringify({ tests, harness, includes })};\n`);
      const entry = join(outDir, "xs-entry.js");
      writeFileSync(entry, [
        `import { installXsEngine } from ${url(join(distDir, "hosts", "xs", "host.js"))};`,
        `import { installTestGlobals, runRegisteredTests } from ${url(join(distDir, "hosts", "xs", "test-runner.js"))};`,
        `import { engine } from ${url(join(distDir, "src", "engine", "index.js"))};`,
        `import { describeModdableIoTests } from ${url(join(distDir, "tests", "support", "moddable-io.js"))};`,
        `import data from ${url(data)};`,
        "installXsEngine();",
        "installTestGlobals();",
        `describeModdableIoTests(${url(title)}, data.tests, { harness: data.harness, includes: data.includes, importModule: (path) => import(path) }, (line) => engine().print(line));`,
        'const failed = await runRegisteredTests("xs");',
        'if (failed > 0) throw new Error(`${failed} test(s) failed on xs`);',
        "",
      ].join("\n"));
      const result = await runXs({ entry, maps: { timer: simulatorTimer }, capture: true });
      const output = `${result.stdout}\n${result.stderr}`;
      const tally = /^xs: (\d+) passed, (\d+) failed, (\d+) skipped$/m.exec(output);
      assert.ok(tally !== null, `no tally from the XS host (exit ${result.exitCode}):\n${output}`);
      assert.equal(`${tally[2]} failed, ${tally[3]} skipped`, "0 failed, 0 skipped", output);
      assert.equal(Number(tally[1]), EXPECTED_FILES, output);
      assert.equal(result.exitCode, 0, output);
    });
  });
}
