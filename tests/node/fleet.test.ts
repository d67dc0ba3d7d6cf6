/** Node only: `stillheap fleet` as a user runs it, against Debian's mosquitto (processes and sockets). */
import { spawnSync } from "node:child_process";
import * as assert from "../support/assert.js";
import { skipBecause } from "../support/engines.js";
import { ensureMosquitto, freePort, Mosquitto } from "./mosquitto.js";
import { cli } from "./sim-process.js";

describe("stillheap fleet (node only: a broker process and sockets)", () => {
  it("runs boards in virtual time and accounts for every published message", async function () {
    this.timeout(120_000);
    const skip = ensureMosquitto();
    if (skip !== undefined) skipBecause(this, skip);
    const broker = new Mosquitto(await freePort());
    await broker.start();
    try {
      const run = spawnSync(process.execPath, [cli, "fleet", "--devices", "5", "--seconds", "31", "--mqtt", `mqtt://127.0.0.1:${broker.port}`],
        { encoding: "utf8", timeout: 60_000 });
      assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
      // 5 boards × (4 sensors × 6 readings periods + 1 health + presence + 6 discovery configs) in 31 virtual s.
      assert.ok(run.stdout.includes("published 160 (QoS 1), acknowledged 160, dropped 0, still queued 0"), run.stdout);
      assert.ok(run.stdout.includes("received by the subscriber 160 (published − received: 0)"), run.stdout);
      assert.ok(run.stdout.includes("discovery: 30 configs received; 5/5 boards announced every reading"), run.stdout);
      assert.ok(/memory per device: heap -?\d/.test(run.stdout), run.stdout);
      assert.ok(run.stderr.includes("5/5 connected"), run.stderr);
    } finally {
      await broker.stop();
    }
  });

  it("refuses to run without a broker URL (usage error)", () => {
    const run = spawnSync(process.execPath, [cli, "fleet", "--devices", "2"], { encoding: "utf8", timeout: 30_000 });
    assert.equal(run.status, 2);
    assert.ok(run.stderr.includes("--mqtt URL is required"), run.stderr);
  });
});
