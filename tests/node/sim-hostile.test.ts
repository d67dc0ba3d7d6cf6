import { connect, type Socket } from "node:net";
import * as assert from "../support/assert.js";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventually, get, openFds, pause, raw, spawnSim, startSim, TOKEN } from "./sim-process.js";

// Node only: hostile clients and signals against `stillheap sim` as a process, over real sockets.

function idle(port: number): Promise<Socket> {
  return new Promise((ready, fail) => {
    const socket = connect(port, "127.0.0.1", () => ready(socket));
    socket.on("error", fail);
  });
}

/** Connects and resets at once (RST, not FIN), as an impatient client behind a timeout does. */
function connectAndReset(port: number): Promise<void> {
  return new Promise((done) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.resetAndDestroy();
      done();
    });
    socket.on("error", () => done()); // the reset itself may surface here: it is what the test does
  });
}

describe("stillheap sim under hostile clients", function () {
  this.timeout(60_000);

  it("survives refused connections that reset, and gives back every file descriptor", async () => {
    const server = await startSim(["--slots", "2", "--request-timeout-ms", "20000"]);
    const pid = server.child.pid ?? -1;
    try {
      assert.ok((await get(server.port, "/healthz")).startsWith("HTTP/1.1 200"));
      await pause(300);
      const baseline = openFds(pid);
      const holders = [await idle(server.port), await idle(server.port)]; // every slot taken
      for (let i = 0; i < 200; i++) await connectAndReset(server.port);
      const refusedWhileFull = await get(server.port, "/healthz");
      assert.ok(refusedWhileFull.startsWith("HTTP/1.1 503"), refusedWhileFull);
      for (const holder of holders) holder.destroy();
      await eventually(() => openFds(pid) <= baseline, 10_000, () => `fds: ${openFds(pid)} open, ${baseline} at the start`);
      assert.ok((await get(server.port, "/healthz")).startsWith("HTTP/1.1 200"), "still serving");
      assert.equal(server.child.exitCode, null, server.errors());
    } finally {
      server.child.kill("SIGINT");
      await server.exit;
    }
  });

  it("answers an authenticated config with a non-ASCII key with 400 and keeps serving", async () => {
    const server = await startSim();
    try {
      const body = Buffer.from("{\"é\":1}", "utf8");
      const head = `POST /v1/config HTTP/1.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${body.length}\r\n\r\n`;
      const answer = await raw(server.port, Buffer.concat([Buffer.from(head), body]));
      assert.ok(answer.startsWith("HTTP/1.1 400"), answer);
      const json = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) as { error: string };
      assert.ok(json.error.startsWith("unknown setting"), json.error);
      assert.ok((await get(server.port, "/healthz")).startsWith("HTTP/1.1 200"));
    } finally {
      server.child.kill("SIGINT");
      await server.exit;
    }
  });

  it("serves a request while slow senders hold every slot: the longest-open one is evicted with 408", async () => {
    const server = await startSim(["--slots", "2", "--request-timeout-ms", "20000"]);
    try {
      const slow: Socket[] = [];
      const answers: string[] = [];
      for (let i = 0; i < 6; i++) {
        const socket = await idle(server.port);
        socket.setEncoding("utf8").on("data", (chunk: string) => answers.push(chunk));
        socket.write("GET /healthz HTTP/1.1\r\nX-Slow: "); // and never more
        slow.push(socket);
      }
      await pause(1500); // older than the eviction age, with room for a loaded machine
      const served = await get(server.port, "/healthz");
      assert.ok(served.startsWith("HTTP/1.1 200"), served);
      await eventually(() => answers.some((a) => a.startsWith("HTTP/1.1 408")), 5000, () => answers.join("|"));
      const metrics = await get(server.port, "/metrics");
      assert.ok(/stillheap_http_connections_evicted_total [1-9]/.test(metrics), metrics);
      for (const socket of slow) socket.destroy();
    } finally {
      server.child.kill("SIGINT");
      await server.exit;
    }
  });
});

describe("stillheap sim signals and start-up failures", function () {
  this.timeout(60_000);

  it("shuts down gracefully on SIGTERM, answering the request in flight, and exits 0", async () => {
    const server = await startSim(["--work-ms", "1500"]);
    const inFlight = get(server.port, "/healthz");
    await pause(300);
    server.child.kill("SIGTERM");
    const answer = await inFlight;
    assert.ok(answer.startsWith("HTTP/1.1 200"), answer);
    assert.equal(await server.exit, 0, server.errors());
    assert.ok(server.output().includes("SIGTERM: shutting down"), server.output());
  });

  it("shuts down gracefully on a Ctrl-C during start-up", async () => {
    // The scenario is a FIFO: opening it for writing waits until sim reads it, mid start-up, so the Ctrl-C is sent
    // while the command is still loading its board and before it has said it is serving.
    const dir = mkdtempSync(join(tmpdir(), "stillheap-fifo-"));
    const fifo = join(dir, "scenario.json");
    try {
      assert.equal(spawnSync("mkfifo", [fifo]).status, 0, "mkfifo");
      const started = spawnSim(["--port", "0", "--scenario", fifo]);
      const writer = await open(fifo, "w");
      started.child.kill("SIGINT");
      await pause(100);
      await writer.writeFile(readFileSync(join(fileURLToPath(new URL("../../../simulator/scenarios/", import.meta.url)), "default.json")));
      await writer.close();
      assert.equal(await started.exit, 0, `${started.output()}\n${started.errors()}`);
      assert.ok(started.output().includes("SIGINT: shutting down"), started.output());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stops a long --seconds run at once on Ctrl-C, whenever it comes", async () => {
    const run = spawnSim(["--seconds", "1000000"]);
    await pause(1000); // loading or already running virtual time: either way the signal must end it
    run.child.kill("SIGINT");
    const deadline = setTimeout(() => run.child.kill("SIGKILL"), 10_000);
    await run.exit;
    clearTimeout(deadline);
    assert.equal(run.child.signalCode, "SIGINT", "ended by the Ctrl-C, not by the deadline");
  });

  it("exits 1 with a clear message when the port is in use", async () => {
    const server = await startSim();
    try {
      const second = spawnSim(["--port", String(server.port)]);
      const deadline = setTimeout(() => second.child.kill("SIGKILL"), 10_000);
      const code = await second.exit;
      clearTimeout(deadline);
      assert.equal(code, 1, second.errors());
      assert.ok(second.errors().includes(`port ${server.port} on 127.0.0.1 is in use`), second.errors());
    } finally {
      server.child.kill("SIGINT");
      await server.exit;
    }
  });
});
