import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as assert from "../support/assert.js";

// Node only: starts `stillheap sim` as a process, as a user does with npm start.
const cli = fileURLToPath(new URL("../../../bin/stillheap.js", import.meta.url));

describe("stillheap sim", function () {
  this.timeout(20_000);

  it("runs the app for a number of virtual seconds and exits 0", () => {
    const run = spawnSync(process.execPath, [cli, "sim", "--seconds", "3"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.stdout.includes("uptime 3.0 s"), run.stdout);
    assert.ok(run.stdout.includes("stopped after 3 virtual seconds"), run.stdout);
  });

  it("refuses a bad scenario with the JSON path and exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "stillheap-sim-"));
    try {
      const file = join(dir, "bad.json");
      writeFileSync(file, JSON.stringify({ devices: [{ type: "sht3x", address: "x" }] }));
      const run = spawnSync(process.execPath, [cli, "sim", "--scenario", file, "--seconds", "1"], { encoding: "utf8" });
      assert.equal(run.status, 2);
      assert.ok(run.stderr.includes("$.devices[0].address: expected a number"), run.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stops gracefully on Ctrl-C in real time and exits 0", async () => {
    const child = spawn(process.execPath, [cli, "sim"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const exit = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
    await new Promise<void>((ready, fail) => {
      const deadline = setTimeout(() => fail(new Error(`no report within 10 s: ${out}`)), 10_000);
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        out += chunk;
        if (out.includes("uptime 1.0 s")) {
          clearTimeout(deadline);
          ready();
        }
      });
    });
    child.kill("SIGINT");
    assert.equal(await exit, 0);
    assert.ok(out.includes("stopping"), out);
  });
});
