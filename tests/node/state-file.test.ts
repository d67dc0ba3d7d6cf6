import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as assert from "../support/assert.js";
import { cli, raw, startSim, TOKEN } from "./sim-process.js";

// Node only: `stillheap sim --state FILE` as a process, restarted as a user restarts it.
function produced(state: string, seconds: number): { sht3x: number; stderr: string; status: number | null } {
  const run = spawnSync(process.execPath, [cli, "sim", "--state", state, "--seconds", String(seconds)], { encoding: "utf8" });
  const readings = run.status === 0 ? JSON.parse(run.stdout) as { sensors: { sht3x: { produced: number } } } : undefined;
  return { sht3x: readings?.sensors.sht3x.produced ?? -1, stderr: run.stderr, status: run.status };
}

describe("stillheap sim --state (settings kept in a file)", function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "stillheap-state-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps a setting applied with POST /v1/config across a restart, and a factory reset clears it", async () => {
    const state = join(dir, "settings.bin");
    const post = async (port: number, path: string, body: string): Promise<string> => raw(port, `POST ${path} HTTP/1.1\r\nHost: stillheap\r\n` +
      `Authorization: Bearer ${TOKEN}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    let server = await startSim(["--state", state, "--panel-port", "off"]);
    assert.ok((await post(server.port, "/v1/config", "{\"sensors\":{\"sht3x\":{\"periodMs\":2500}}}")).startsWith("HTTP/1.1 200"));
    server.child.kill("SIGTERM");
    assert.equal(await server.exit, 0);
    assert.equal(produced(state, 6).sht3x, 3, "every 2.5 s after the restart: at 0, 2.5 and 5 s");
    server = await startSim(["--state", state, "--panel-port", "off"]);
    assert.ok((await post(server.port, "/v1/config/reset", "")).includes("\"reset\":true"));
    server.child.kill("SIGTERM");
    await server.exit;
    assert.equal(produced(state, 6).sht3x, 7, "every second again, as declared");
  });

  it("refuses a truncated or corrupt state file with a message naming it, and runs with the defaults", async () => {
    const state = join(dir, "settings.bin");
    const server = await startSim(["--state", state, "--panel-port", "off"]);
    const body = "{\"sensors\":{\"sht3x\":{\"periodMs\":2500}}}";
    await raw(server.port, `POST /v1/config HTTP/1.1\r\nHost: stillheap\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    server.child.kill("SIGTERM");
    await server.exit;
    const whole = readFileSync(state);
    for (const [name, bytes] of [["truncated", whole.subarray(0, whole.length - 3)], ["corrupt", Buffer.from(whole).fill(0x41, 20, 21)],
      ["foreign", Buffer.from("not a settings record")]] as const) {
      const file = join(dir, `${name}.bin`);
      writeFileSync(file, bytes);
      const run = produced(file, 6);
      assert.equal(run.status, 0, run.stderr);
      assert.ok(run.stderr.includes(`state file ${file}: 1 settings record(s) failed their check`), run.stderr);
      assert.ok(run.stderr.includes("using the declaration's settings"), run.stderr);
      assert.equal(run.sht3x, 7, `${name}: the declared period`);
    }
  });
});
