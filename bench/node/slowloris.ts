/**
 * Slow senders against `stillheap sim` as a process, on Node: 50 sockets that each send part of a request, drip a
 * byte every 500 ms and reconnect 10 ms after being closed, while a legitimate client (127.0.0.1) sends a whole
 * request every 100 ms for 10 s. The attackers connect from other loopback addresses — one, eight, or one each —
 * since a client address holds at most half the slots; with the default eviction (the longest-open sender yields its
 * slot after 1 s) and, from one address, without.
 */
import { spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../../../bin/stillheap.js", import.meta.url));
const ATTACKERS = 50;
const DURATION_MS = 10_000;

export interface SlowlorisRun {
  readonly eviction: string;
  /** Loopback addresses the attackers connect from (127.0.0.2 and up). */
  readonly attackerAddresses: number;
  readonly legitimate: number;
  readonly served: number;
  readonly refused: number;
  readonly other: number;
}

function startSim(evict: string): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, [cli, "sim", "--port", "0", "--evict-after-ms", evict], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  return new Promise((ready, fail) => {
    const deadline = setTimeout(() => fail(new Error("stillheap sim did not start within 10 s")), 10_000);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const match = /127\.0\.0\.1:(\d+)\//.exec(out);
      if (match === null) return;
      clearTimeout(deadline);
      ready({ port: Number(match[1]), stop: () => child.kill("SIGKILL") });
    });
  });
}

/** One whole request; resolves with its status ("none" when closed unanswered), deadline 5 s. */
function legitimate(port: number): Promise<string> {
  return new Promise((done) => {
    let answer = "";
    const socket = connect(port, "127.0.0.1", () => socket.write("GET /healthz HTTP/1.1\r\nHost: stillheap\r\n\r\n"));
    const deadline = setTimeout(() => socket.destroy(), 5000);
    socket.setEncoding("latin1").on("data", (chunk: string) => (answer += chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      clearTimeout(deadline);
      done(answer.slice(9, 12) || "none");
    });
  });
}

async function run(evict: string, addresses: number): Promise<SlowlorisRun> {
  const { port, stop } = await startSim(evict);
  let stopping = false;
  const sockets = new Set<Socket>();
  const attacker = (n: number): void => {
    if (stopping) return;
    const localAddress = `127.0.${Math.floor(n / 250)}.${2 + (n % 250)}`;
    const socket = connect({ port, host: "127.0.0.1", localAddress }, () => socket.write("GET /healthz HTTP/1.1\r\nHost: stillheap\r\nX-Slow: "));
    sockets.add(socket);
    const drip = setInterval(() => socket.write("a"), 500);
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      clearInterval(drip);
      sockets.delete(socket);
      setTimeout(() => attacker(n), 10);
    });
  };
  for (let i = 0; i < ATTACKERS; i++) attacker(i % addresses);
  const counts = { legitimate: 0, served: 0, refused: 0, other: 0 };
  const started = Date.now();
  while (Date.now() - started < DURATION_MS) {
    const status = await legitimate(port);
    counts.legitimate++;
    if (status === "200") counts.served++;
    else if (status === "503") counts.refused++;
    else counts.other++;
    await new Promise((wait) => setTimeout(wait, 100));
  }
  stopping = true;
  for (const socket of sockets) socket.destroy();
  stop();
  const from = `, attackers from ${addresses === 1 ? "one address" : `${addresses} addresses`}`;
  return { eviction: `${evict === "off" ? "off" : `after ${evict} ms`}${from}`, attackerAddresses: addresses, ...counts };
}

export async function runSlowlorisBench(log: (line: string) => void): Promise<SlowlorisRun[]> {
  const runs: SlowlorisRun[] = [];
  for (const [evict, addresses] of [["1000", 1], ["1000", 8], ["1000", ATTACKERS], ["off", 1]] as const) {
    const result = await run(evict, addresses);
    log(`slowloris: eviction ${result.eviction}: ${result.served} of ${result.legitimate} served`);
    runs.push(result);
  }
  return runs;
}
