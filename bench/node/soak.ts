/**
 * A hostile soak of `stillheap sim` as a process, bounded in time (SOAK_SECONDS, or $STILLHEAP_SOAK_SECONDS): API
 * clients that want answers, 200 slow senders reconnecting within 50 ms, panel pages that read and pages that never
 * do, fault injections (valid and hostile), idle panel connections, and MQTT telemetry to mosquitto when it is
 * installed. RSS, V8 heap and file descriptors are sampled every 2 s. All traffic goes to 127.0.0.1; the attackers
 * connect from 127.0.0.2 (loopback is a whole /8), the legitimate clients from 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../../../bin/stillheap.js", import.meta.url));
export const SOAK_SECONDS = 180;
const SLOW_SENDERS = 200;
const LEGITIMATE_CLIENTS = 4;
const SAMPLE_EVERY_MS = 2000;
const PATHS = ["/v1/readings", "/healthz", "/metrics", "/v1/readings/sht3x"];
const SENSORS = ["sht3x", "bmp280", "tmp117", "lis3dh"];
const KINDS = ["nack-address", "crc-corruption", "bus-stuck", "vanish"];
const HOSTILE = ['{"sensor":"__proto__","kind":"vanish","durationMs":100}', '{"sensor":"constructor","kind":"nack-address","durationMs":1}',
  '{"sensor":"sht3x","kind":"constructor","durationMs":5}', "{", '{"sensor":"sht3x","kind":"vanish","durationMs":0}', "x".repeat(4000)];

export interface SoakSample {
  readonly s: number;
  readonly rssMiB: number;
  readonly heapMiB: number;
  readonly fds: number;
}

export interface SoakResult {
  readonly seconds: number;
  readonly legitimate: { readonly sent: number; readonly served: number; readonly byStatus: Record<string, number> };
  readonly slowSenders: { readonly count: number; readonly from: string; readonly connections: number };
  readonly injections: { readonly sent: number; readonly byStatus: Record<string, number> };
  readonly pages: { readonly readers: number; readonly framesRead: number; readonly neverReading: number; readonly reconnects: number };
  readonly panel: Record<string, number>;
  readonly mqtt: { readonly broker: string; readonly messages: number };
  readonly samples: readonly SoakSample[];
  readonly rssMiB: { readonly first: number; readonly max: number; readonly last: number };
  readonly heapFloorMiB: { readonly firstThird: number; readonly lastThird: number };
  readonly fds: { readonly min: number; readonly max: number };
  readonly shutdown: { readonly code: number | null; readonly ms: number };
}

const pause = (ms: number): Promise<void> => new Promise((wait) => setTimeout(wait, ms));
const count = (into: Record<string, number>, key: string): void => void (into[key] = (into[key] ?? 0) + 1);

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => done(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** mosquitto on a free loopback port, or why not. */
async function startBroker(): Promise<{ url: string; stop: () => void; dir: string } | string> {
  if (spawnSync("mosquitto", ["-h"]).error !== undefined) return "mosquitto is not installed";
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "stillheap-soak-"));
  writeFileSync(join(dir, "mosquitto.conf"), `listener ${port} 127.0.0.1\nallow_anonymous true\n`);
  const broker = spawn("mosquitto", ["-c", join(dir, "mosquitto.conf")], { stdio: "ignore" });
  await pause(500);
  return { url: `mqtt://127.0.0.1:${port}`, dir, stop: () => void broker.kill("SIGTERM") };
}

async function startSim(extra: readonly string[]): Promise<{ child: ChildProcess; api: number; panel: number }> {
  const child = spawn(process.execPath, [cli, "sim", "--port", "0", "--panel-port", "0", ...extra], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  const started = Date.now();
  while (!/panel http:/.test(out)) {
    if (Date.now() - started > 15_000 || child.exitCode !== null) throw new Error(`stillheap sim did not start within 15 s: ${out}`);
    await pause(50);
  }
  const port = (pattern: RegExp): number => Number(pattern.exec(out)?.[1]);
  return { child, api: port(/http:\/\/127\.0\.0\.1:(\d+)\/v1/), panel: port(/panel http:\/\/127\.0\.0\.1:(\d+)\//) };
}

/** One request on its own connection; its status, or "none" (closed unanswered) / "timeout" (5 s). */
function request(port: number, text: string): Promise<string> {
  return new Promise((done) => {
    let answer = "";
    const socket = connect({ port, host: "127.0.0.1" }, () => socket.write(text));
    const deadline = setTimeout(() => {
      socket.destroy();
      done("timeout");
    }, 5000);
    socket.setEncoding("latin1").on("data", (chunk: string) => (answer += chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      clearTimeout(deadline);
      done(answer.startsWith("HTTP/1.1 ") ? answer.slice(9, 12) : "none");
    });
  });
}

/** Clients that keep connecting while `running()`: `open` makes one; each closed one is replaced after `againMs`. */
function keep(running: () => boolean, howMany: number, againMs: number, open: () => Socket): { connections: () => number; stop: () => void } {
  const sockets = new Set<Socket>();
  let connections = 0;
  const one = (): void => {
    if (!running()) return;
    connections++;
    const socket = open();
    sockets.add(socket);
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      sockets.delete(socket);
      setTimeout(one, againMs);
    });
  };
  for (let i = 0; i < howMany; i++) one();
  return { connections: () => connections, stop: () => sockets.forEach((s) => s.destroy()) };
}

function sample(pid: number, api: number, startedMs: number): Promise<SoakSample> {
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;
  const fds = readdirSync(`/proc/${pid}/fd`).length;
  return new Promise((done) => {
    let text = "";
    const socket = connect(api, "127.0.0.1", () => socket.write("GET /metrics HTTP/1.1\r\nHost: stillheap\r\n\r\n"));
    socket.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    socket.setTimeout(5000, () => socket.destroy());
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      const heap = Number(/^stillheap_memory_host_heap_bytes (\d+)$/m.exec(text)?.[1] ?? Number.NaN) / 1048576;
      const round = (x: number): number => Math.round(x * 10) / 10;
      done({ s: Math.round((performance.now() - startedMs) / 1000), rssMiB: round(rss), heapMiB: round(heap), fds });
    });
  });
}

export async function runSoakBench(log: (line: string) => void, seconds = Number(process.env["STILLHEAP_SOAK_SECONDS"] ?? SOAK_SECONDS)):
Promise<SoakResult> {
  const broker = await startBroker();
  const sim = await startSim(typeof broker === "string" ? [] : ["--mqtt", broker.url]);
  const pid = sim.child.pid ?? -1;
  const startedMs = performance.now();
  const endsAt = startedMs + seconds * 1000;
  const running = (): boolean => performance.now() < endsAt;
  log(`soak: ${seconds} s against pid ${pid} (API ${sim.api}, panel ${sim.panel}, MQTT ${typeof broker === "string" ? broker : broker.url})`);

  const slow = keep(running, SLOW_SENDERS, 50, () => {
    const socket = connect({ port: sim.api, host: "127.0.0.1", localAddress: "127.0.0.2" }, () => socket.write("GET /healthz HTTP/1.1\r\nHost: stillheap\r\nX-Slow: "));
    const drip = setInterval(() => socket.write("a"), 1000);
    socket.on("close", () => clearInterval(drip));
    return socket;
  });
  let framesRead = 0;
  const readers = keep(running, 3, 1000, () => {
    const socket = connect(sim.panel, "127.0.0.1", () => socket.write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
    socket.setEncoding("utf8").on("data", (chunk: string) => (framesRead += chunk.split("event: frame").length - 1));
    return socket;
  });
  const neverReading = keep(running, 10, 1000, () => {
    const socket = connect(sim.panel, "127.0.0.1", () => socket.write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
    socket.pause();
    return socket;
  });
  const idlePanel = keep(running, 20, 100, () => connect(sim.panel, "127.0.0.1"));
  const messages = { count: 0 };
  const subscriber = typeof broker === "string" ? undefined
    : spawn("mosquitto_sub", ["-h", "127.0.0.1", "-p", broker.url.split(":")[2] ?? "", "-t", "stillheap/#", "-v"], { stdio: ["ignore", "pipe", "ignore"] });
  subscriber?.stdout?.setEncoding("utf8").on("data", (chunk: string) => (messages.count += chunk.split("\n").length - 1));

  const legitimate = { sent: 0, served: 0, byStatus: {} as Record<string, number> };
  const clients = Array.from({ length: LEGITIMATE_CLIENTS }, async (_, client) => {
    for (let i = 0; running(); i++) {
      const status = await request(sim.api, `GET ${PATHS[(i + client) % PATHS.length] ?? "/healthz"} HTTP/1.1\r\nHost: x\r\n\r\n`);
      legitimate.sent++;
      if (status === "200") legitimate.served++;
      count(legitimate.byStatus, status);
      await pause(50);
    }
  });
  const injections = { sent: 0, byStatus: {} as Record<string, number> };
  const injecting = (async () => {
    for (let i = 0; running(); i++) {
      const hostile = i % 10 === 9;
      const which = Math.floor(i / 10) % (HOSTILE.length + 1);
      const body = hostile ? HOSTILE[which] ?? "{}" : JSON.stringify({ sensor: SENSORS[i % SENSORS.length],
        kind: KINDS[(i >> 2) % KINDS.length], durationMs: 50 + (i * 37) % 1950 });
      const type = hostile && which === HOSTILE.length ? "application/jsonx" : "application/json";
      const status = await request(sim.panel, `POST /v1/inject HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      injections.sent++;
      count(injections.byStatus, status);
      await pause(100);
    }
  })();
  const samples: SoakSample[] = [];
  while (running()) {
    samples.push(await sample(pid, sim.api, startedMs));
    const last = samples[samples.length - 1];
    if (samples.length % 15 === 1 && last !== undefined) log(`soak: ${last.s} s  RSS ${last.rssMiB} MiB  heap ${last.heapMiB} MiB  fds ${last.fds}  served ${legitimate.served}/${legitimate.sent}`);
    await pause(Math.min(SAMPLE_EVERY_MS, Math.max(0, endsAt - performance.now())));
  }
  await Promise.all([...clients, injecting]);
  const panelStats = JSON.parse(await new Promise<string>((done) => {
    let text = "";
    const socket = connect(sim.panel, "127.0.0.1", () => socket.write("GET /v1/stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    socket.setEncoding("utf8").on("data", (chunk: string) => (text += chunk)).on("close", () => done(text.slice(text.indexOf("\r\n\r\n") + 4) || "{}"));
    socket.on("error", () => socket.destroy());
  })) as Record<string, number>;
  for (const group of [slow, readers, neverReading, idlePanel]) group.stop();
  subscriber?.kill("SIGTERM");
  await pause(2500); // what the attack left drains: lingering sockets are gone by their 2 s deadline
  samples.push(await sample(pid, sim.api, startedMs));
  const stopStarted = performance.now();
  sim.child.kill("SIGTERM");
  const code = await new Promise<number | null>((done) => sim.child.on("close", (c) => done(c)));
  const shutdown = { code, ms: Math.round(performance.now() - stopStarted) };
  if (typeof broker !== "string") {
    broker.stop();
    rmSync(broker.dir, { recursive: true, force: true });
  }
  return summarise(seconds, samples, { legitimate, injections, panelStats, shutdown, framesRead, messages: messages.count,
    broker: typeof broker === "string" ? `none (${broker})` : "mosquitto", slowConnections: slow.connections(), reconnects: neverReading.connections() - 10 });
}

interface Tallies {
  readonly legitimate: SoakResult["legitimate"];
  readonly injections: SoakResult["injections"];
  readonly panelStats: Record<string, number>;
  readonly shutdown: SoakResult["shutdown"];
  readonly framesRead: number;
  readonly messages: number;
  readonly broker: string;
  readonly slowConnections: number;
  readonly reconnects: number;
}

function summarise(seconds: number, samples: readonly SoakSample[], t: Tallies): SoakResult {
  const third = Math.max(1, Math.floor(samples.length / 3));
  const floor = (part: readonly SoakSample[]): number => Math.min(...part.map((s) => s.heapMiB).filter(Number.isFinite));
  return {
    seconds, legitimate: t.legitimate, injections: t.injections, panel: t.panelStats, shutdown: t.shutdown, samples,
    slowSenders: { count: SLOW_SENDERS, from: "127.0.0.2", connections: t.slowConnections },
    pages: { readers: 3, framesRead: t.framesRead, neverReading: 10, reconnects: t.reconnects },
    mqtt: { broker: t.broker, messages: t.messages },
    rssMiB: { first: samples[0]?.rssMiB ?? Number.NaN, max: Math.max(...samples.map((s) => s.rssMiB)), last: samples[samples.length - 1]?.rssMiB ?? Number.NaN },
    heapFloorMiB: { firstThird: floor(samples.slice(0, third)), lastThird: floor(samples.slice(-third)) },
    fds: { min: Math.min(...samples.map((s) => s.fds)), max: Math.max(...samples.map((s) => s.fds)) },
  };
}

/** The lines `stillheap bench soak` prints. */
export function soakTable(r: SoakResult): string {
  const percent = (r.legitimate.served / Math.max(1, r.legitimate.sent) * 100).toFixed(1);
  return [`soak on node: stillheap sim for ${r.seconds} s under mixed hostile load`,
    `  legitimate API requests (127.0.0.1): ${r.legitimate.served} of ${r.legitimate.sent} served (${percent}%; goal ≥ 90%)  ${JSON.stringify(r.legitimate.byStatus)}`,
    `  ${r.slowSenders.count} slow senders from ${r.slowSenders.from}, reconnecting within 50 ms: ${r.slowSenders.connections} connections`,
    `  fault injections through the panel: ${r.injections.sent} ${JSON.stringify(r.injections.byStatus)} (every 10th hostile)`,
    `  pages: 3 reading (${r.pages.framesRead} frames read), 10 never reading (${r.panel["streamsDropped"] ?? "?"} dropped, ` +
      `${r.pages.reconnects} reconnections), 20 idle connections; panel ${JSON.stringify(r.panel)}`,
    `  MQTT: ${r.mqtt.broker}, ${r.mqtt.messages} messages seen by a subscriber`,
    `  RSS ${r.rssMiB.first} → max ${r.rssMiB.max} → ${r.rssMiB.last} MiB; V8 heap floor ${r.heapFloorMiB.firstThird} MiB (first third) → ` +
      `${r.heapFloorMiB.lastThird} MiB (last third); fds ${r.fds.min}–${r.fds.max}`,
    `  stopped by SIGTERM in ${r.shutdown.ms} ms, exit ${r.shutdown.code}`].join("\n");
}
