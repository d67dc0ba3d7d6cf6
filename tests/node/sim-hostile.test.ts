import { connect, type Socket } from "node:net";
import * as assert from "../support/assert.js";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cli, eventually, get, openFds, pause, raw, spawnSim, startSim, TOKEN } from "./sim-process.js";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { FAULT_KINDS } from "../../simulator/faults.js";

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
      const head = `POST /v1/config HTTP/1.1\r\nHost: stillheap\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${body.length}\r\n\r\n`;
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
        socket.write("GET /healthz HTTP/1.1\r\nHost: stillheap\r\nX-Slow: "); // and never more
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

  it("takes SIGINT and SIGTERM from the first line it runs: exit 0 wherever a bare Node program with handlers exits 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stillheap-signals-"));
    const bare = join(dir, "bare.mjs");
    writeFileSync(bare, 'process.on("SIGINT", () => process.exit(0)).on("SIGTERM", () => process.exit(0)); setTimeout(() => {}, 5000);\n');
    /** The exit code, or the signal that ended it, when `signal` comes `delayMs` after the spawn. */
    const outcome = async (args: readonly string[], delayMs: number, signal: NodeJS.Signals): Promise<string> => {
      const child = spawn(process.execPath, args, { stdio: "ignore" });
      await pause(delayMs);
      child.kill(signal);
      const deadline = setTimeout(() => child.kill("SIGKILL"), 10_000);
      const [code, by] = await new Promise<[number | null, string | null]>((done) => child.on("close", (c, s) => done([c, s])));
      clearTimeout(deadline);
      return by ?? String(code);
    };
    /** The earliest delay from which every later signal was caught (exit 0). */
    const caughtFrom = (row: ReadonlyArray<readonly [number, string]>): number => {
      let from = Infinity;
      for (let i = row.length - 1; i >= 0 && row[i]?.[1] === "0"; i--) from = row[i]?.[0] ?? from;
      return from;
    };
    try {
      const rows: Record<string, Array<readonly [number, string]>> = { bare: [], sim: [] };
      for (let delay = 0; delay <= 240; delay += 10) {
        const signal = delay % 20 === 0 ? "SIGINT" : "SIGTERM";
        rows["bare"]?.push([delay, await outcome([bare], delay, signal)]);
        rows["sim"]?.push([delay, await outcome([cli, "sim", "--port", "0", "--panel-port", "0"], delay, signal)]);
      }
      const bareFrom = caughtFrom(rows["bare"] ?? []);
      const simFrom = caughtFrom(rows["sim"] ?? []);
      const line = (name: string): string => (rows[name] ?? []).map(([d, o]) => `${d}:${o}`).join(" ");
      assert.ok(simFrom <= 240 && simFrom <= bareFrom + 30, `sim ${line("sim")}\nbare ${line("bare")}`);
      assert.ok((rows["sim"] ?? []).every(([, o]) => o === "0" || o === "SIGINT" || o === "SIGTERM"), line("sim"));
      process.stdout.write(`      → caught from ${simFrom} ms after the spawn; a bare Node program with handlers from ${bareFrom} ms\n        sim  ${line("sim")}\n        bare ${line("bare")}\n`);
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

describe("stillheap sim checks every fault window of a scenario alike", function () {
  this.timeout(60_000);
  const scenario = JSON.parse(readFileSync(join(fileURLToPath(new URL("../../../simulator/scenarios/", import.meta.url)), "default.json"), "utf8")) as Record<string, unknown>;
  const aimed: Readonly<Record<string, Record<string, unknown>>> = {
    "interrupt-storm": { pin: 17, edgesPerMs: 1 }, "spurious-edge": { pin: "button" }, "clock-stretch": { address: 118, latencyMs: 5 },
    "nack-after-bytes": { address: 118, bytes: 1 }, "out-of-range": { address: 118, value: 300 },
  };

  /** Runs sim on the default scenario with these faults; resolves with its exit code and what it said on stderr. */
  const runWith = (dir: string, faults: unknown[]): { status: number | null; stderr: string } => {
    const file = join(dir, "faults.json");
    writeFileSync(file, JSON.stringify({ ...scenario, faults }));
    const result = spawnSync(process.execPath, [cli, "sim", "--scenario", file, "--seconds", "1"], { encoding: "utf8", timeout: 20_000 });
    return { status: result.status, stderr: result.stderr };
  };

  it("rejects, for every kind, a window that ends when or before it starts, and a device or pin that is not there, by JSON path", () => {
    const dir = mkdtempSync(join(tmpdir(), "stillheap-faults-"));
    try {
      for (const kind of FAULT_KINDS) {
        const fault = { kind, address: 118, ...aimed[kind] };
        const backwards = runWith(dir, [{ ...fault, atMs: 2000, untilMs: 1000 }]);
        assert.equal(backwards.status, 2, `${kind}: ${backwards.stderr}`);
        assert.ok(backwards.stderr.includes("$.faults[0]: untilMs 1000 must be after atMs 2000"), `${kind}: ${backwards.stderr}`);
        const pinFault = kind === "interrupt-storm" || kind === "spurious-edge";
        const absent = runWith(dir, [{ kind: "vanish", address: 118, atMs: 0, untilMs: 10 }, { ...fault, ...(pinFault ? { pin: 3 } : { address: 0x45 }), atMs: 0, untilMs: 10 }]);
        assert.equal(absent.status, 2, `${kind}: ${absent.stderr}`);
        assert.ok(absent.stderr.includes(pinFault ? `$.faults[1]: ${kind} fault names pin 3, which nothing is wired to` :
          `$.faults[1]: ${kind} fault names I2C address 0x45 on bus default, where no device is attached`), `${kind}: ${absent.stderr}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
