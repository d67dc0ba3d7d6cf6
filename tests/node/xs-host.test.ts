import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as assert from "../support/assert.js";
import { ensureXsHost } from "../../tools/cli/xs-engine.js";
import { runXs, XsExit, type XsRunOptions } from "../../tools/cli/xs-run.js";

// Node only: these tests start the XS host as a process and read its exit status, output and report.
describe("XS host process", function () {
  this.timeout(60_000);
  let dir = "";

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "stillheap-host-test-"));
    await ensureXsHost({ quiet: true }); // `stillheap test` built it before the suites: this only checks it is there
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function script(name: string, source: string): string {
    const path = join(dir, name);
    writeFileSync(path, source);
    return path;
  }

  async function run(name: string, source: string, options: Partial<XsRunOptions> = {}) {
    const reportFile = join(dir, `${name}.report.json`);
    const result = await runXs({ entry: script(name, source), capture: true, reportFile, ...options });
    return { ...result, reportText: readFileSync(reportFile, "utf8") };
  }

  it("ends a script that allocates without bound under the pico budget with the out-of-memory report", async () => {
    const started = Date.now();
    const result = await run("oom.js", "const keep = []; for (;;) keep.push(new Uint8Array(64));\n", { board: "pico" });
    assert.ok(Date.now() - started < 10_000, "out of memory must end within seconds");
    assert.equal(result.exitCode, XsExit.outOfMemory, result.stderr);
    assert.ok(/not enough memory while running .*oom\.js/.test(result.stderr), result.stderr);
    assert.ok(/ran out of: (slots|chunks)/.test(result.stderr), result.stderr);
    assert.ok(/budget: 131072 bytes \(board pico\), charged \d+/.test(result.stderr), result.stderr);
    assert.equal(result.report?.abort, "not enough memory");
    assert.equal(result.report?.board, "pico");
    assert.ok((result.report?.budgetPeakBytes ?? Infinity) <= 131072, "the budget is never exceeded");
  });

  it("charges what an imported module's evaluation made only without --preloaded, and everything after xshost.preloaded()", async () => {
    // The imported module keeps ~270 KB (tables a preloaded module would keep in flash); the entry then keeps ~34 KB.
    script("tables.js", "export const tables = []; for (let i = 0; i < 1600; i++) tables.push(new Uint8Array(64));\n");
    const entry = "import { tables } from './tables.js';\nconst on = xshost.preloaded();\n" +
      "const kept = []; for (let i = 0; i < 200; i++) kept.push(new Uint8Array(64));\nxshost.print(`${on} ${tables.length} ${kept.length}`);\n";
    const plain = await run("entry-plain.js", entry, { board: "pico" });
    assert.equal(plain.exitCode, XsExit.outOfMemory, "both together exceed the Pico's 128 KB");
    const preloaded = await run("entry-preloaded.js", entry, { board: "pico", preloaded: true });
    assert.equal(preloaded.exitCode, XsExit.ok, preloaded.stderr);
    assert.equal(preloaded.stdout.trim(), "true 1600 200");
    const runaway = await run("entry-runaway.js", "import './tables.js';\nxshost.preloaded();\nconst keep = []; for (;;) keep.push(new Uint8Array(64));\n",
      { board: "pico", preloaded: true });
    assert.equal(runaway.exitCode, XsExit.outOfMemory, "what the entry makes after the imports is charged");
  });

  it("ends deep recursion with the stack report", async () => {
    const result = await run("deep.js", "function f(n) { return f(n + 1) + 1; }\nf(0);\n", { board: "pico" });
    assert.equal(result.exitCode, XsExit.stackOverflow, result.stderr);
    assert.ok(/stack overflow while running .*deep\.js/.test(result.stderr), result.stderr);
    assert.equal(result.report?.abort, "stack overflow");
  });

  it("names file:line of a syntax error", async () => {
    const result = await run("syntax.js", "const a = 1;\nconst b = ;\n");
    assert.equal(result.exitCode, XsExit.load);
    assert.ok(result.stderr.includes(`${join(dir, "syntax.js")}:2: error`), result.stderr);
  });

  it("exits non-zero on an unhandled rejection", async () => {
    const result = await run("reject.js", 'Promise.reject(new Error("nobody catches this"));\n');
    assert.equal(result.exitCode, XsExit.uncaught);
    assert.ok(result.stderr.includes("unhandled rejection: Error: nobody catches this"), result.stderr);
  });

  it("exits non-zero on an uncaught error, with its message", async () => {
    const result = await run("throw.js", 'throw new TypeError("boom");\n');
    assert.equal(result.exitCode, XsExit.uncaught);
    assert.ok(result.stderr.includes("uncaught TypeError: boom"), result.stderr);
  });

  it("resolves relative imports, this package's exports and --map entries", async () => {
    script("helper.js", 'export const word = "relative";\n');
    script("mapped.js", 'export const word = "mapped";\n');
    const source = 'import { word } from "./helper.js";\nimport { word as other } from "virtual:thing";\n' +
      'import { boardNamed } from "stillheap/boards";\nxshost.print(`${word} ${other} ${boardNamed("pico").name}`);\n';
    const result = await run("imports.js", source, { maps: { "virtual:thing": join(dir, "mapped.js") } });
    assert.equal(result.exitCode, XsExit.ok, result.stderr);
    assert.equal(result.stdout, "relative mapped pico\n");
  });

  it("names an import it cannot resolve", async () => {
    const result = await run("missing.js", 'import "./not-there.js";\n');
    assert.equal(result.exitCode, XsExit.load);
    assert.ok(result.stderr.includes('cannot resolve import "./not-there.js"'), result.stderr);
  });

  it("writes a report with every counter", async () => {
    const result = await run("ok.js", "await Promise.resolve();\nxshost.print(xshost.board);\n", { board: "esp32" });
    assert.equal(result.exitCode, XsExit.ok, result.stderr);
    assert.equal(result.stdout, "esp32\n");
    const report = JSON.parse(result.reportText) as Record<string, unknown>;
    for (const key of ["slotsUsed", "slotsPeak", "chunkBytesUsed", "chunkBytesPeak", "gcCount", "stackPeak"]) {
      assert.equal(typeof report[key], "number", `report.${key}`);
    }
    assert.equal(report["engine"], "xs");
    assert.equal(report["board"], "esp32");
    assert.equal(report["abort"], null);
  });
});
