import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildDir, projectRoot } from "../../tools/cli/paths.js";
import { runXs } from "../../tools/cli/xs-run.js";
import * as assert from "../support/assert.js";

// Node only: reads the README, runs tsc on the example as a user project would, and starts the XS host as a process.
const source = join(projectRoot, "examples", "library", "app.ts");
const work = join(buildDir, "library-example");
const compiled = join(work, "out", "app.js");

interface Result {
  readonly readings: number;
  readonly nacks: number;
  readonly meanC: number;
}

/** What the example prints and returns on one engine, as the lines it printed and the summary as the last line. */
function check(lines: readonly string[], result: Result): void {
  assert.ok(result.nacks >= 2, `the NACK window (4.5–6.5 s) hit at least two samplings: ${result.nacks}`);
  assert.ok(result.readings >= 7 && result.readings + result.nacks <= 10, `ten samplings: ${result.readings} + ${result.nacks}`);
  assert.ok(result.meanC > 19 && result.meanC < 25, `the sine's 22 ± 3 °C: ${result.meanC}`);
  assert.equal(lines.length, result.readings + 1);
  assert.equal(lines[lines.length - 1], `${result.readings} readings, ${result.nacks} NACKs counted, mean ${result.meanC.toFixed(2)} °C`);
}

describe("the README's library example", function () {
  this.timeout(120_000);
  let nodeLines: string[] = [];

  before(() => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
  });

  it("is the file the README shows, verbatim", () => {
    const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
    assert.ok(readme.includes(`\`\`\`ts\n${readFileSync(source, "utf8")}\`\`\``), "README.md must show examples/library/app.ts as it is");
  });

  it("compiles with tsc --strict against the package's exports", () => {
    // Inside the package, so `stillheap/…` resolves through package.json "exports" as it does in a dependant's project.
    writeFileSync(join(work, "tsconfig.json"), JSON.stringify({
      compilerOptions: {
        strict: true, target: "ES2022", lib: ["ES2022"], module: "NodeNext", moduleResolution: "NodeNext", types: [],
        rootDir: join(projectRoot, "examples", "library"), outDir: join(work, "out"),
      },
      files: [source],
    }));
    const tsc = join(projectRoot, "node_modules", "typescript", "bin", "tsc");
    const run = spawnSync(process.execPath, [tsc, "-p", work], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });

  it("runs on Node", async () => {
    const module = (await import(pathToFileURL(compiled).href)) as { run: (print: (line: string) => void) => Result };
    const lines: string[] = [];
    check(lines, module.run((line) => lines.push(line)));
    nodeLines = lines;
  });

  it("runs on the XS engine and prints the same lines there", async () => {
    const entry = join(work, "xs-entry.js");
    writeFileSync(entry, [
      `import { run } from ${JSON.stringify(compiled)};`,
      "const result = run((line) => xshost.print(line));",
      "xshost.print(JSON.stringify(result));",
      "",
    ].join("\n"));
    const xs = await runXs({ entry, capture: true });
    assert.equal(xs.exitCode, 0, xs.stderr);
    const lines = xs.stdout.trimEnd().split("\n");
    const result = JSON.parse(lines.pop() ?? "{}") as Result;
    check(lines, result);
    assert.deepEqual(lines, nodeLines, "virtual time makes both engines print the same readings");
  });
});
