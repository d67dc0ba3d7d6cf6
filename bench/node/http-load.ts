/**
 * The gateway under overload on Node: `stillheap sim` runs as its own process (as `npm start` does) and the loadtest
 * package loads it, all in one run: first unloaded (one client, one request at a time: the latency to compare
 * against), then closed loop to measure the rate it sustains, then open loop at four times that rate (requests leave
 * on schedule whether or not earlier ones were answered), once with shedding on and once with it off. Reports the rate
 * the generator actually delivered beside the rate offered, and fails when it delivered under 90% of it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadTest, type LoadTestOptions } from "loadtest";
import { cliPath } from "../../tools/cli/paths.js";

export interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface LoadRun {
  readonly mode: "shedding on" | "shedding off";
  readonly slots: number;
  readonly offeredPerSecond: number;
  /** Requests the generator started per second: what it delivered of the offered rate. */
  readonly deliveredPerSecond: number;
  readonly seconds: number;
  /** Requests the schedule called for (rate × seconds), those started, and those answered or failed by the end. */
  readonly scheduled: number;
  readonly started: number;
  readonly finished: number;
  /** Started requests still unanswered when the run ended (queued in the gateway). */
  readonly unansweredAtEnd: number;
  readonly accepted: number;
  readonly shed: number;
  /** Requests that failed without an HTTP answer (reset, timeout). */
  readonly failed: number;
  readonly shedRate: number;
  readonly acceptedPerSecond: number;
  readonly acceptedLatencyMs: Latency;
  /** Accepted p99 ÷ the unloaded p99 of the same run (goal with shedding: ≤ 2). */
  readonly p99OverUnloaded: number;
  /**
   * The gateway's resident set, sampled every 250 ms from before the load until it ends; `warm` one second into the
   * load (Node's first allocations for sockets and compiled code are behind it).
   * Node's collector makes it a sawtooth that climbs for ten seconds or more before a major collection drops it, so
   * no single figure says "flat": the run reports the band after warming up (min, max) and the drops of 3 MiB or more
   * between samples (major collections giving memory back), and keeps the series.
   */
  readonly rssMiB: { readonly before: number; readonly warm: number; readonly min: number; readonly max: number;
    readonly after: number; readonly drops: number; readonly series: number[] };
}

export interface LoadReport {
  readonly generator: string;
  readonly path: string;
  readonly workMsPerRequest: number;
  readonly workers: number;
  readonly unloadedLatencyMs: Latency;
  readonly unloadedRequests: number;
  readonly sustainablePerSecond: number;
  readonly runs: LoadRun[];
  /** Empty when the generator delivered what each run claims; otherwise why the results cannot be trusted. */
  readonly problems: string[];
  readonly machine: string;
}

const PATH = "/v1/readings";
/** The HTTP service's workers in `stillheap sim` (HttpService's default concurrency). */
const WORKERS = 2;
/**
 * Shedding on: two slots per worker, so an admitted request waits behind at most one other on its worker and is
 * answered within about two service times; every connection beyond them is answered 503 at once. (The earlier 8 slots
 * let three wait per worker: four service times, whatever the shedding.)
 */
const SHEDDING_SLOTS = 2 * WORKERS;
const UNSHED_SLOTS = 4096;
/**
 * Device-class work per request (`stillheap sim --work-ms`), so that the gateway, not the generator, saturates: long
 * against the simulator's 10 ms clock tick (the work timer's resolution), and slow enough that four times the
 * sustainable rate is one a single Node generator sharing the machine can deliver.
 */
const WORK_MS = 50;
/** Under this share of the offered rate the generator, not the gateway, set the result: the run fails. */
const MIN_DELIVERED = 0.9;
/** How often the gateway's resident set is read during a load run. */
const RSS_SAMPLE_MS = 250;

interface Gateway {
  readonly child: ChildProcess;
  readonly url: string;
  stop(): Promise<void>;
}

function startGateway(slots: number): Promise<Gateway> {
  const child = spawn(process.execPath, [cliPath, "sim", "--port", "0", "--panel-port", "off", "--slots", String(slots),
    "--work-ms", String(WORK_MS), "--request-timeout-ms", "10000"], { stdio: ["ignore", "pipe", "inherit"] });
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
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function latency(values: number[]): Latency {
  values.sort((a, b) => a - b);
  return { p50: percentile(values, 50), p99: percentile(values, 99), max: values.at(-1) ?? Number.NaN };
}

interface Tally {
  started: number;
  finished: number;
  shed: number;
  failed: number;
  readonly latencies: number[];
}

/** loadtest options that count each request as it leaves and each answer as it comes. */
function counted(url: string, tally: Tally): Pick<LoadTestOptions, "url" | "quiet" | "requestGenerator" | "statusCallback"> {
  return {
    url, quiet: true,
    requestGenerator: (_options, params, request, connect) => {
      tally.started++;
      return request(params, connect);
    },
    statusCallback: (error, result) => {
      tally.finished++;
      if (result?.statusCode === 200) tally.latencies.push(result.requestElapsed);
      else if (result?.statusCode === 503) tally.shed++;
      else if (error !== undefined && error !== null) tally.failed++;
    },
  };
}

function tally(): Tally {
  return { started: 0, finished: 0, shed: 0, failed: 0, latencies: [] };
}

/** One client, each request after the last is answered: the latency with nothing queued. */
async function unloaded(seconds: number): Promise<{ latency: Latency; requests: number }> {
  const gateway = await startGateway(SHEDDING_SLOTS);
  try {
    const counts = tally();
    await loadTest({ ...counted(gateway.url, counts), concurrency: 1, maxSeconds: seconds });
    return { latency: latency(counts.latencies), requests: counts.latencies.length };
  } finally {
    await gateway.stop();
  }
}

/**
 * The sustainable rate, measured: closed loop with as many clients as the shedding configuration has slots, so every
 * worker always has a request waiting and none is refused; the answers per second are what the gateway completes
 * when saturated (workers ÷ service time, whatever the service time turns out to be on this machine).
 */
async function sustainableRate(seconds: number): Promise<number> {
  const gateway = await startGateway(SHEDDING_SLOTS);
  try {
    const counts = tally();
    const result = await loadTest({ ...counted(gateway.url, counts), concurrency: SHEDDING_SLOTS, maxSeconds: seconds });
    return Math.round(counts.latencies.length / result.totalTimeSeconds);
  } finally {
    await gateway.stop();
  }
}

async function overload(mode: LoadRun["mode"], slots: number, rate: number, seconds: number, unloadedP99: number): Promise<LoadRun> {
  const gateway = await startGateway(slots);
  const pid = gateway.child.pid ?? 0;
  const series = [rssMiB(pid)];
  const sampler = setInterval(() => series.push(rssMiB(pid)), RSS_SAMPLE_MS);
  const counts = tally();
  let elapsedS = seconds;
  try {
    const result = await loadTest({ ...counted(gateway.url, counts), requestsPerSecond: rate, maxSeconds: seconds, timeout: 10_000 });
    elapsedS = result.totalTimeSeconds;
  } finally {
    clearInterval(sampler);
    series.push(rssMiB(pid));
    await gateway.stop();
  }
  const accepted = latency(counts.latencies);
  return {
    mode, slots, offeredPerSecond: rate, deliveredPerSecond: Math.round(counts.started / seconds), seconds,
    scheduled: rate * seconds, started: counts.started, finished: counts.finished,
    unansweredAtEnd: Math.max(0, counts.started - counts.finished), accepted: counts.latencies.length, shed: counts.shed,
    failed: counts.failed, shedRate: counts.finished === 0 ? 0 : Math.round((counts.shed / counts.finished) * 1000) / 1000,
    acceptedPerSecond: Math.round(counts.latencies.length / elapsedS), acceptedLatencyMs: accepted,
    p99OverUnloaded: Math.round((accepted.p99 / unloadedP99) * 100) / 100,
    rssMiB: rss(series),
  };
}

function rss(series: number[]): LoadRun["rssMiB"] {
  const warmAt = Math.min(4, series.length - 1);
  const band = series.slice(warmAt);
  const drops = band.filter((value, i) => i > 0 && (band[i - 1] ?? value) - value >= 3).length;
  return { before: series[0] ?? Number.NaN, warm: series[warmAt] ?? Number.NaN, min: Math.min(...band), max: Math.max(...band),
    after: series.at(-1) ?? Number.NaN, drops, series };
}

/** Why a run's figures cannot be trusted, if they cannot. */
function problems(unloadedP99: number, runs: readonly LoadRun[]): string[] {
  const found: string[] = [];
  if (!Number.isFinite(unloadedP99)) found.push("no unloaded request was answered, so there is nothing to compare against");
  for (const run of runs) {
    if (run.deliveredPerSecond < MIN_DELIVERED * run.offeredPerSecond) {
      found.push(`${run.mode}: the generator delivered ${run.deliveredPerSecond} of the ${run.offeredPerSecond} req/s offered ` +
        `(under ${MIN_DELIVERED * 100}%): the machine is too busy for this load; rerun on an idle machine`);
    }
  }
  return found;
}

/** Runs the whole load benchmark; `progress` gets a line per step. */
export async function runLoadBench(progress: (line: string) => void, seconds = 30): Promise<LoadReport> {
  progress("bench: http load on Node — unloaded latency (one client, closed loop)…");
  const still = await unloaded(6);
  progress(`bench: unloaded p50 ${still.latency.p50} ms, p99 ${still.latency.p99} ms; measuring the sustainable rate…`);
  const sustainable = await sustainableRate(4);
  const offered = sustainable * 4;
  progress(`bench: sustainable ≈ ${sustainable} req/s; offering ${offered} req/s for ${seconds} s with shedding on (${SHEDDING_SLOTS} slots)…`);
  const on = await overload("shedding on", SHEDDING_SLOTS, offered, seconds, still.latency.p99);
  progress(`bench: … and with shedding off (${UNSHED_SLOTS} slots)…`);
  const off = await overload("shedding off", UNSHED_SLOTS, offered, seconds, still.latency.p99);
  return {
    generator: "loadtest (open loop, a new connection per request, as the gateway closes after each response)",
    path: PATH, workMsPerRequest: WORK_MS, workers: WORKERS, unloadedLatencyMs: still.latency, unloadedRequests: still.requests,
    sustainablePerSecond: sustainable, runs: [on, off], problems: problems(still.latency.p99, [on, off]),
    machine: "load generator and gateway share this machine's cores",
  };
}

/** The Node load run of the http suite, a row per mode (the `stillheap bench http` table). */
export function loadTable(load: LoadReport): string {
  const header = ["gateway on Node", "slots", "offered/s", "delivered/s", "accepted/s", "shed", "failed", "p50 ms", "p99 ms",
    "p99 ÷ unloaded", "unanswered at end", "RSS MiB after 1 s: min–max (drops ≥ 3 MiB)"];
  const rows = load.runs.map((run) => [run.mode, String(run.slots), String(run.offeredPerSecond), String(run.deliveredPerSecond),
    String(run.acceptedPerSecond), `${Math.round(run.shedRate * 1000) / 10}%`, String(run.failed), String(run.acceptedLatencyMs.p50),
    String(run.acceptedLatencyMs.p99), `${run.p99OverUnloaded}×`, String(run.unansweredAtEnd),
    `${run.rssMiB.min}–${run.rssMiB.max} (${run.rssMiB.drops})`]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) :
    cell.padStart(widths[i] ?? 0))).join("  ");
  const u = load.unloadedLatencyMs;
  return [`http load (${load.generator}); ${load.workers} workers, ${load.workMsPerRequest} ms of work per request`,
    `unloaded (one client): p50 ${u.p50} ms, p99 ${u.p99} ms over ${load.unloadedRequests} requests; sustainable ` +
    `(closed loop, measured) ≈ ${load.sustainablePerSecond} req/s; offered 4× that, open loop (latencies are of the ` +
    `requests answered; those unanswered at the end waited longer)`,
    line(header), ...rows.map(line), ...load.problems.map((problem) => `FAILED: ${problem}`)].join("\n");
}
