import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as assert from "../support/assert.js";
import { cli, get, startSim, type Running } from "./sim-process.js";

// Node only: runs `stillheap sim` as a process on a board of one's own, as the README's "Your own board" shows.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const MYBOARD = join(root, "simulator", "scenarios", "myboard.json");
const NAMES = ["outdoor", "pressure", "door"];

function body(response: string): string {
  return response.slice(response.indexOf("\r\n\r\n") + 4);
}

/** Polls `path` until `check` holds (deadline 10 s): the process runs in real time. */
async function until(port: number, path: string, check: (answer: string) => boolean): Promise<string> {
  const end = Date.now() + 10_000;
  for (;;) {
    const answer = await get(port, path);
    if (check(answer) || Date.now() > end) return answer;
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

describe("your board, your sensors (stillheap sim on a declared board)", function () {
  this.timeout(30_000);

  it("runs the README's worked example: its declaration is simulator/scenarios/myboard.json", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Your own board"));
    const example = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    assert.ok(example !== undefined, "the section has a JSON example");
    assert.deepEqual(JSON.parse(example) as unknown, (JSON.parse(readFileSync(MYBOARD, "utf8")) as { sensors: unknown }).sensors);
    const run = spawnSync(process.execPath, [cli, "sim", "--scenario", MYBOARD, "--seconds", "10"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const readings = JSON.parse(run.stdout) as { sensors: Record<string, { delivered: number }> };
    assert.deepEqual(Object.keys(readings.sensors), NAMES);
    // 2 s periods from the declaration: at 0, 2, 4, 6, 8 and 10 s.
    for (const name of NAMES) assert.equal(readings.sensors[name]?.delivered, 6, name);
  });

  describe("served", () => {
    let server: Running;
    before(async () => {
      server = await startSim(["--scenario", MYBOARD, "--panel-port", "off"]);
    });
    after(async () => {
      server.child.kill("SIGINT");
      await server.exit;
    });

    it("serves every declared sensor by name in /v1/readings and /metrics, health ok", async () => {
      const readings = await until(server.port, "/v1/readings", (answer) => answer.includes("\"door\""));
      assert.deepEqual(Object.keys((JSON.parse(body(readings)) as { sensors: object }).sensors), NAMES);
      assert.ok((await get(server.port, "/v1/readings/outdoor")).includes("\"humidityRH\""));
      const metrics = await get(server.port, "/metrics");
      for (const name of NAMES) assert.ok(metrics.includes(`stillheap_sensor_up{sensor="${name}"} 1\n`), metrics);
      assert.ok(body(await get(server.port, "/healthz")).includes("\"status\":\"ok\""));
      assert.equal(server.errors(), "", "nothing reported as not open");
    });
  });

  it("refuses every bad declaration with its path and exit status 2, opening nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "stillheap-sensors-"));
    try {
      const cases: ReadonlyArray<readonly [unknown, string]> = [
        [[{ name: "a", type: "bme680" }], "$[0].type: unknown sensor type"],
        [[{ name: "a", type: "sht3x", address: 0x46 }], "$[0].address: a sht3x answers at 0x44 or 0x45"],
        [[{ name: "a", type: "sht3x" }, { name: "b", type: "sht3x" }], "$[1].address: 0x44 on this bus is already"],
        [[{ name: "a", type: "button", pins: { input: 15 } }, { name: "b", type: "tmp117", pins: { alert: 15 } }], "$[1].pins.alert: GPIO 15 is already used"],
        [[{ name: "a", type: "button", pins: { input: 31 } }], "$[0].pins.input: expected a whole number 0–29"],
        [[{ name: "a", type: "sht3x", bus: "i2c2" }], "$[0].bus: the board has no I2C bus \"i2c2\""],
        [[{ name: "a", type: "sht3x", periodMs: 10 }], "$[0].periodMs: expected a whole number 100–3600000"],
        [[{ name: "a", type: "tmp117", settings: { highLimitC: 151 } }], "$[0].settings.highLimitC: expected a number -55–150"],
        [[{ name: "a", type: "sht3x" }, { name: "a", type: "bmp280" }], "$[1].name: \"a\" is declared twice"],
        [{ sensors: [{ name: "a", type: "sht3x", adress: 0x45 }] }, "$.sensors[0].adress: unknown key"],
      ];
      cases.forEach(([declaration, expected], i) => {
        const file = join(dir, `sensors-${i}.json`);
        writeFileSync(file, JSON.stringify(declaration));
        const run = spawnSync(process.execPath, [cli, "sim", "--sensors", file, "--seconds", "1"], { encoding: "utf8" });
        assert.equal(run.status, 2, `${expected}: ${run.stderr}`);
        assert.ok(run.stderr.includes(`${file}: ${expected}`), run.stderr);
        assert.equal(run.stdout, "", "no readings: nothing ran");
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
