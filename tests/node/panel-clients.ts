/** Node only: clients of `stillheap sim`'s panel and API as a hostile test drives them, over real sockets to 127.0.0.1. */
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { get, pause, startSim, type Running } from "./sim-process.js";

export interface WithPanel {
  readonly sim: Running;
  readonly panel: number;
}

/** Starts the sim and resolves once its panel's URL is printed too (deadline 10 s). */
export async function startWithPanel(extra: readonly string[] = []): Promise<WithPanel> {
  const sim = await startSim(["--panel-port", "0", ...extra]);
  const started = Date.now();
  let match: RegExpExecArray | null = null;
  while ((match = /panel http:\/\/127\.0\.0\.1:(\d+)\//.exec(sim.output())) === null) {
    if (Date.now() - started > 10_000) throw new Error(`no panel URL within 10 s: ${sim.output()} ${sim.errors()}`);
    await pause(50);
  }
  return { sim, panel: Number(match[1]) };
}

/** Stops the sim with SIGTERM; resolves with its exit code and the wall-clock ms it took. */
export async function stopSim(sim: Running): Promise<{ code: number | null; ms: number }> {
  const started = performance.now();
  if (sim.child.exitCode === null && sim.child.signalCode === null) sim.child.kill("SIGTERM");
  const code = await sim.exit;
  return { code, ms: Math.round(performance.now() - started) };
}

/** POSTs a body to the panel's /v1/inject; resolves with the status and the parsed answer. */
export async function inject(panel: number, body: string, contentType = "application/json"): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${panel}/v1/inject`, {
    method: "POST", body, headers: { "Content-Type": contentType }, signal: AbortSignal.timeout(5000),
  });
  return { status: response.status, json: await response.json() as Record<string, unknown> };
}

export interface PanelStats {
  readonly streams: number;
  readonly streamsDropped: number;
  readonly streamsRefused: number;
  readonly pages: number;
  readonly framesSent: number;
  readonly connectionsDropped: number;
}

export async function panelStats(panel: number): Promise<PanelStats> {
  const response = await fetch(`http://127.0.0.1:${panel}/v1/stats`, { signal: AbortSignal.timeout(5000) });
  return await response.json() as PanelStats;
}

export interface Events {
  readonly hello: Record<string, unknown>;
  readonly frames: Array<{ t: number; windows: unknown[] }>;
  /** Bytes received until the last frame taken. */
  readonly bytes: number;
}

/** Reads /events until `frames` frames came after the hello, counted after its backlog when `afterBacklog` (deadline 10 s). */
export function readEvents(panel: number, frames: number, afterBacklog = false): Promise<Events> {
  return new Promise((done, fail) => {
    const socket = connect(panel, "127.0.0.1", () => socket.write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
    let text = "";
    const deadline = setTimeout(() => {
      socket.destroy();
      fail(new Error(`fewer than ${frames} frames within 10 s: ${text.slice(0, 300)}`));
    }, 10_000);
    socket.setEncoding("utf8").on("data", (chunk: string) => {
      text += chunk;
      const events = text.split("\n\n").filter((e) => e.includes("data: "));
      const hello = events.find((e) => e.includes("event: hello"));
      if (hello === undefined) return;
      const data = (event: string): unknown => JSON.parse(event.slice(event.indexOf("data: ") + 6));
      const said = data(hello) as Record<string, unknown>;
      const wanted = frames + (afterBacklog ? Number(said["backlog"]) : 0);
      const found = events.filter((e) => e.includes("event: frame"));
      if (found.length < wanted) return;
      clearTimeout(deadline);
      socket.destroy();
      done({ hello: said, frames: found.slice(0, wanted).map((e) => data(e) as { t: number; windows: unknown[] }), bytes: Buffer.byteLength(text) });
    });
    socket.on("error", fail);
  });
}

/** A client that asks for `request` and never reads what comes back. */
export function neverReads(port: number, request: string, localAddress = "127.0.0.1"): Promise<Socket> {
  return new Promise((ready, fail) => {
    const socket = connect({ port, host: "127.0.0.1", localAddress }, () => {
      socket.write(request);
      socket.pause();
      ready(socket);
    });
    socket.on("error", fail);
  });
}

/** A connection opened and left idle (no byte sent); `closed` once the server closes it. */
export function idle(port: number, localAddress = "127.0.0.1"): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((ready) => {
    const socket = connect({ port, host: "127.0.0.1", localAddress });
    const closed = new Promise<void>((gone) => socket.on("close", () => gone()));
    socket.on("error", () => socket.destroy()); // a connection the server closed at once may surface as a reset
    socket.on("connect", () => ready({ socket, closed }));
    socket.on("close", () => ready({ socket, closed }));
  });
}

/** Resident memory of a process in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Math.round(Number(kb) / 102.4) / 10;
}

/** The V8 heap the gateway reports on Node (stillheap_memory_host_heap_bytes), in MiB. */
export async function heapMiB(api: number): Promise<number> {
  const metrics = await get(api, "/metrics");
  const bytes = /^stillheap_memory_host_heap_bytes (\d+)$/m.exec(metrics)?.[1];
  return Math.round(Number(bytes) / 104857.6) / 10;
}

/** A status line's code, or "none" for a connection closed unanswered. */
export function statusOf(answer: string): string {
  return answer.startsWith("HTTP/1.1 ") ? answer.slice(9, 12) : "none";
}
