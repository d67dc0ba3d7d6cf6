import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildDir, distDir, projectRoot } from "../../tools/cli/paths.js";
import { runXs } from "../../tools/cli/xs-run.js";
import * as assert from "../support/assert.js";

// Node only: compiles examples/driver with tsc as a user project would (against the package's exports, from outside
// src/), runs its tests with mocha, and starts the XS host as a process to run them there.
const example = join(projectRoot, "examples", "driver");
const work = join(buildDir, "driver-example");
const out = join(work, "out");
const compiledTest = join(out, "mcp9808.test.js");
const TESTS = 5;

describe("examples/driver, a driver, its model and its sensor type outside stillheap", function () {
  this.timeout(120_000);

  before(() => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
  });

  it("compiles with tsc --strict against the package's exports", () => {
    // Inside the package, so `stillheap/…` resolves through package.json "exports" as in a dependant's project.
    writeFileSync(join(work, "tsconfig.json"), JSON.stringify({
      compilerOptions: {
        strict: true, noUncheckedIndexedAccess: true, target: "ES2022", lib: ["ES2022"], module: "NodeNext",
        moduleResolution: "NodeNext", types: ["mocha"], rootDir: example, outDir: out,
      },
      include: [join(example, "*.ts")],
      exclude: [join(example, "main.ts")], // the Moddable build's entry (tests/moddable/driver-example.test.ts)
    }));
    const tsc = join(projectRoot, "node_modules", "typescript", "bin", "tsc");
    const run = spawnSync(process.execPath, [tsc, "-p", work], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.deepEqual(readdirSync(out).sort(), ["mcp9808-model.js", "mcp9808-type.js", "mcp9808.js", "mcp9808.test.js"]);
  });

  it("passes its tests on Node", () => {
    const mocha = join(projectRoot, "node_modules", "mocha", "bin", "mocha.js");
    const setup = join(distDir, "hosts", "node", "test-setup.js"); // installs the Node engine, as `stillheap test` does
    const run = spawnSync(process.execPath, [mocha, "--require", setup, "--reporter", "dot", compiledTest], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.ok(run.stdout.includes(`${TESTS - 1} passing`) && run.stdout.includes("1 pending"), `four pass, the allocation check is XS's:\n${run.stdout}`);
  });

  it("passes them on the XS engine, the allocation check measured there", async () => {
    const url = (path: string): string => JSON.stringify(path);
    const entry = join(work, "xs-entry.js");
    writeFileSync(entry, [
      `import { installXsEngine } from ${url(join(distDir, "hosts", "xs", "host.js"))};`,
      `import { installTestGlobals, runRegisteredTests } from ${url(join(distDir, "hosts", "xs", "test-runner.js"))};`,
      "installXsEngine();",
      "installTestGlobals();",
      `await import(${url(compiledTest)});`,
      'const failed = await runRegisteredTests("xs");',
      'if (failed > 0) throw new Error(`${failed} test(s) failed on xs`);',
      "",
    ].join("\n"));
    const result = await runXs({ entry, capture: true });
    const tally = /^xs: (\d+) passed, (\d+) failed, (\d+) skipped$/m.exec(result.stdout);
    assert.ok(tally !== null, `no tally (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
    assert.equal(`${tally[1]} passed, ${tally[2]} failed, ${tally[3]} skipped`, `${TESTS} passed, 0 failed, 0 skipped`, result.stdout);
  });
});
