/**
 * The gateway under overload on Node: `stillheap sim` runs as its own process (as `npm start` does) and the loadtest
 * package offers it four times the rate it sustains, open loop (requests leave on schedule whether or not earlier
 * ones were answered), once with shedding on (the default 8 connection slots, 503 beyond them) and once with it off
 * (slots raised so that nothing is refused). Reports accepted p50/p99 latency, the shed rate and the gateway's RSS.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadTest } from "loadtest";
import { cliPath } from "../../tools/cli/paths.js";

export interface LoadRun {
  readonly mode: "shedding on" | "shedding off";
  readonly slots: number;
  readonly offeredPerSecond: number;
  readonly seconds: number;
  /** Requests the schedule called for (rate × seconds) and those answered or failed before the run ended. */
  readonly scheduled: number;
  readonly sent: number;
  /** Scheduled requests still unanswered when the run ended (queued in the gateway or never sent). */
  readonly unansweredAtEnd: number;
  readonly accepted: number;
  readonly shed: number;
  /** Requests that failed without an HTTP answer (reset, timeout). */
  readonly failed: number;
  readonly shedRate: number;
  readonly acceptedPerSecond: number;
  readonly acceptedLatencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** The gateway's resident set, sampled every 250 ms from before the load until it ends. */
  readonly rssMiB: { readonly before: number; readonly peak: number; readonly after: number; readonly series: number[] };
}

export interface LoadReport {
  readonly generator: string;
  readonly path: string;
  readonly workMsPerRequest: number;
  readonly sustainablePerSecond: number;
  readonly runs: LoadRun[];
  readonly machine: string;
}

const PATH = "/v1/readings";
const SHEDDING_SLOTS = 8;
const UNSHED_SLOTS = 4096;
/**
 * Device-class work per request (`stillheap sim --work-ms`): on this host the gateway answers faster than one Node
 * process can generate requests, so without it the generator, not the gateway, would saturate.
 */
const WORK_MS = 10;

interface Gateway {
  readonly child: ChildProcess;
  readonly url: string;
  stop(): Promise<void>;
}

function startGateway(slots: number): Promise<Gateway> {
  const child = spawn(process.execPath, [cliPath, "sim", "--port", "0", "--slots", String(slots), "--work-ms", String(WORK_MS),
    "--request-timeout-ms", "10000"],
    { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((done) => child.on("close", () => done()));
  let out = "";
  return new Promise((ready, fail) => {
    const deadline = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`the gateway printed no URL within 15 s: ${out}`));
    }, 15_000);
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (match === null) return;
      clearTimeout(deadline);
      ready({ child, url: `http://127.0.0.1:${match[1]}${PATH}`, stop: async () => {
        child.kill("SIGINT");
        const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(killer);
      } });
    });
  });
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kib === undefined ? Number.NaN : Math.round(Number(kib) / 102.4) / 10;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Closed loop, as many clients as the gateway has slots: what it sustains without refusing anything. */
async function sustainableRate(seconds: number): Promise<number> {
  const gateway = await startGateway(SHEDDING_SLOTS);
  try {
    let ok = 0;
    const result = await loadTest({ url: gateway.url, concurrency: SHEDDING_SLOTS / 2, maxSeconds: seconds, quiet: true,
      statusCallback: (_error, result) => { if (result?.statusCode === 200) ok++; } });
    return Math.round(ok / result.totalTimeSeconds);
  } finally {
    await gateway.stop();
  }
}

async function overload(mode: LoadRun["mode"], slots: number, rate: number, seconds: number): Promise<LoadRun> {
  const gateway = await startGateway(slots);
  const pid = gateway.child.pid ?? 0;
  const series = [rssMiB(pid)];
  const sampler = setInterval(() => series.push(rssMiB(pid)), 250);
  const latencies: number[] = [];
  let sent = 0;
  let shed = 0;
  let failed = 0;
  try {
    await loadTest({ url: gateway.url, requestsPerSecond: rate, maxSeconds: seconds, timeout: 10_000, quiet: true,
      statusCallback: (error, result) => {
        sent++;
        if (result?.statusCode === 200) latencies.push(result.requestElapsed);
        else if (result?.statusCode === 503) shed++;
        else if (error !== undefined && error !== null) failed++;
      } });
  } finally {
    clearInterval(sampler);
    series.push(rssMiB(pid));
    await gateway.stop();
  }
  latencies.sort((a, b) => a - b);
  return {
    mode, slots, offeredPerSecond: rate, seconds, scheduled: rate * seconds, sent,
    unansweredAtEnd: Math.max(0, rate * seconds - sent), accepted: latencies.length, shed, failed,
    shedRate: sent === 0 ? 0 : Math.round((shed / sent) * 1000) / 1000,
    acceptedPerSecond: Math.round(latencies.length / seconds),
    acceptedLatencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? Number.NaN },
    rssMiB: { before: series[0] ?? Number.NaN, peak: Math.max(...series), after: series.at(-1) ?? Number.NaN, series },
  };
}

/** Runs the whole load benchmark; `progress` gets a line per step. */
export async function runLoadBench(progress: (line: string) => void, seconds = 5): Promise<LoadReport> {
  progress("bench: http load on Node — measuring the sustainable rate (closed loop)…");
  const sustainable = await sustainableRate(3);
  const offered = sustainable * 4;
  progress(`bench: sustainable ≈ ${sustainable} req/s; offering ${offered} req/s for ${seconds} s with shedding on…`);
  const on = await overload("shedding on", SHEDDING_SLOTS, offered, seconds);
  progress(`bench: … and with shedding off (${UNSHED_SLOTS} slots)…`);
  const off = await overload("shedding off", UNSHED_SLOTS, offered, seconds);
  return {
    generator: "loadtest (open loop, a new connection per request, as the gateway closes after each response)",
    path: PATH, workMsPerRequest: WORK_MS, sustainablePerSecond: sustainable, runs: [on, off],
    machine: "load generator and gateway share this machine's cores",
  };
}

/** The Node load run of the http suite, a row per mode (the `stillheap bench http` table). */
export function loadTable(load: LoadReport): string {
  const header = ["gateway on Node", "offered/s", "accepted/s", "shed", "failed", "p50 ms", "p99 ms", "RSS MiB peak"];
  const rows = load.runs.map((run) => [run.mode, String(run.offeredPerSecond), String(run.acceptedPerSecond),
    `${Math.round(run.shedRate * 1000) / 10}%`, String(run.failed), String(run.acceptedLatencyMs.p50),
    String(run.acceptedLatencyMs.p99), String(run.rssMiB.peak)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) :
    cell.padStart(widths[i] ?? 0))).join("  ");
  return [`http load (${load.generator}); sustainable ≈ ${load.sustainablePerSecond} req/s, offered 4×`, line(header),
    ...rows.map(line)].join("\n");
}
