import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as assert from "../support/assert.js";
import { cli, get, raw, startSim, TOKEN, type Running } from "./sim-process.js";

// Node only: starts `stillheap sim` as a process, as a user does with npm start, and talks HTTP to it.
const start = startSim;

describe("stillheap sim (the gateway over real HTTP)", function () {
  this.timeout(30_000);
  let server: Running;

  before(async () => {
    server = await start(["--request-timeout-ms", "300"]);
    await new Promise((wait) => setTimeout(wait, 1500)); // a sample or so in real time
  });
  after(async () => {
    server.child.kill("SIGINT");
    await server.exit;
  });

  it("serves readings, one sensor, health and metrics", async () => {
    const readings = await get(server.port, "/v1/readings");
    assert.ok(readings.startsWith("HTTP/1.1 200 OK"), readings);
    assert.ok(readings.includes("\"sht3x\"") && readings.includes("\"pressurePa\""), readings);
    assert.ok((await get(server.port, "/v1/readings/tmp117")).includes("\"temperatureC\""));
    assert.ok((await get(server.port, "/healthz")).startsWith("HTTP/1.1 200"));
    const metrics = await get(server.port, "/metrics");
    assert.ok(/stillheap_samples_delivered_total\{sensor="bmp280"\} [1-9]/.test(metrics), metrics);
  });

  it("answers every error status", async () => {
    assert.ok((await get(server.port, "/nope")).startsWith("HTTP/1.1 404"));
    assert.ok((await raw(server.port, "PUT /healthz HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 405"));
    assert.ok((await raw(server.port, "BROKEN\r\n\r\n")).startsWith("HTTP/1.1 400"));
    assert.ok((await get(server.port, `/${"x".repeat(300)}`)).startsWith("HTTP/1.1 414"));
    assert.ok((await raw(server.port, `GET / HTTP/1.1\r\nX: ${"y".repeat(1200)}\r\n\r\n`)).startsWith("HTTP/1.1 431"));
    assert.ok((await raw(server.port, "POST /v1/config HTTP/1.1\r\nContent-Length: 9999\r\n\r\n")).startsWith("HTTP/1.1 413"));
    assert.ok((await raw(server.port, "GET /healthz HTTP/1.1\r\n")).startsWith("HTTP/1.1 408"), "an incomplete request times out");
  });

  it("requires and checks the token for config", async () => {
    const body = "{\"bmp280PeriodMs\":2000}";
    const post = (auth: string): Promise<string> =>
      raw(server.port, `POST /v1/config HTTP/1.1\r\n${auth}Content-Length: ${body.length}\r\n\r\n${body}`);
    assert.ok((await post("")).startsWith("HTTP/1.1 401"));
    assert.ok((await post("Authorization: Bearer not-the-token\r\n")).startsWith("HTTP/1.1 401"));
    assert.ok((await post(`Authorization: Bearer ${TOKEN}\r\n`)).startsWith("HTTP/1.1 200"));
    assert.ok((await get(server.port, "/metrics")).includes("stillheap_http_unauthorized_total 2"));
  });
});

describe("stillheap sim lifecycle", function () {
  this.timeout(30_000);

  it("shuts down gracefully on Ctrl-C and exits 0", async () => {
    const server = await start();
    server.child.kill("SIGINT");
    assert.equal(await server.exit, 0);
    assert.ok(server.output().includes("shutting down"), server.output());
  });

  it("stops at once on a second Ctrl-C", async () => {
    const server = await start();
    const socket = connect(server.port, "127.0.0.1"); // an open connection keeps the graceful close waiting
    await new Promise((wait) => socket.on("connect", wait));
    server.child.kill("SIGINT");
    await new Promise((wait) => setTimeout(wait, 200));
    server.child.kill("SIGINT");
    assert.equal(await server.exit, 130);
    socket.destroy();
  });

  it("sheds a connection beyond its slots with 503 and Retry-After, and serves again once a slot frees", async () => {
    const server = await start(["--slots", "1", "--request-timeout-ms", "2000"]);
    try {
      const holder = connect(server.port, "127.0.0.1"); // takes the only slot with a request still being sent
      await new Promise((wait) => holder.on("connect", wait));
      holder.write("GET /healthz HTTP/1.1\r\n");
      await new Promise((wait) => setTimeout(wait, 100));
      const shed = await get(server.port, "/v1/readings");
      assert.ok(shed.startsWith("HTTP/1.1 503 Service Unavailable"), shed);
      assert.ok(shed.includes("Retry-After: 1\r\n"), shed);
      holder.destroy();
      await new Promise((wait) => setTimeout(wait, 100));
      assert.ok((await get(server.port, "/v1/readings")).startsWith("HTTP/1.1 200 OK"));
      const metrics = await get(server.port, "/metrics");
      assert.ok(metrics.includes("stillheap_http_connections_refused_total 1\n"), metrics);
    } finally {
      server.child.kill("SIGINT");
      await server.exit;
    }
  });

  it("shows a fault scenario's faults in /metrics, with nothing lost", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stillheap-sim-"));
    try {
      const scenario = join(dir, "faults.json");
      writeFileSync(scenario, JSON.stringify({
        devices: [{ type: "sht3x" }, { type: "bmp280" }, { type: "tmp117", alertPin: 16 }, { type: "lis3dh", int1Pin: 17 }],
        faults: [{ kind: "crc-corruption", address: 68, atMs: 500, untilMs: 100000 }],
      }));
      const server = await start(["--scenario", scenario]);
      await new Promise((wait) => setTimeout(wait, 2500));
      const metrics = await get(server.port, "/metrics");
      server.child.kill("SIGINT");
      await server.exit;
      assert.ok(/stillheap_samples_dropped_total\{sensor="sht3x",reason="crc"\} [1-9]/.test(metrics), metrics);
      assert.ok(/stillheap_sensor_faults_total\{reason="crc"\} [1-9]/.test(metrics), metrics);
      const produced = Number(/stillheap_samples_produced_total\{sensor="sht3x"\} (\d+)/.exec(metrics)?.[1]);
      const delivered = Number(/stillheap_samples_delivered_total\{sensor="sht3x"\} (\d+)/.exec(metrics)?.[1]);
      let dropped = 0;
      for (const match of metrics.matchAll(/stillheap_samples_dropped_total\{sensor="sht3x",reason="[a-z-]+"\} (\d+)/g)) dropped += Number(match[1]);
      assert.equal(produced, delivered + dropped, "every sample delivered or dropped with a reason");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs virtual seconds without a server and refuses a bad scenario with exit 2", () => {
    const run = spawnSync(process.execPath, [cli, "sim", "--seconds", "3"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.stdout.includes("\"uptimeMs\":3"), run.stdout);
    const dir = mkdtempSync(join(tmpdir(), "stillheap-sim-"));
    try {
      const file = join(dir, "bad.json");
      writeFileSync(file, JSON.stringify({ devices: [{ type: "sht3x", address: "x" }] }));
      const bad = spawnSync(process.execPath, [cli, "sim", "--scenario", file, "--seconds", "1"], { encoding: "utf8" });
      assert.equal(bad.status, 2);
      assert.ok(bad.stderr.includes("$.devices[0].address: expected a number"), bad.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
