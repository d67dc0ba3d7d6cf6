/** Node only: `stillheap sim` as a child process, as a user runs it, and raw HTTP over real sockets to it. */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync } from "node:fs";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";

export const cli = fileURLToPath(new URL("../../../bin/stillheap.js", import.meta.url));
export const TOKEN = "e2e-token-5678";

export interface Running {
  child: ChildProcess;
  port: number;
  output: () => string;
  errors: () => string;
  exit: Promise<number | null>;
}

/** Spawns `stillheap sim` without waiting for it; `exit` resolves with the exit code (null when killed by a signal). */
export function spawnSim(extra: readonly string[] = []): Omit<Running, "port"> {
  const child = spawn(process.execPath, [cli, "sim", "--token", TOKEN, ...extra], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const exit = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  return { child, output: () => out, errors: () => err, exit };
}

/** Starts `stillheap sim --port 0` and resolves once it prints its URL (deadline 10 s). */
export async function startSim(extra: readonly string[] = []): Promise<Running> {
  const started = spawnSim(["--port", "0", ...extra]);
  const port = await new Promise<number>((ready, fail) => {
    const deadline = setTimeout(() => fail(new Error(`no URL within 10 s: ${started.output()} ${started.errors()}`)), 10_000);
    const look = (): void => {
      const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(started.output());
      if (match === null) return;
      clearTimeout(deadline);
      ready(Number(match[1]));
    };
    started.child.stdout?.on("data", look);
  });
  return { ...started, port };
}

/** Sends raw bytes, resolves with everything the server answered before closing (deadline 10 s). */
export function raw(port: number, request: string | Buffer): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    const deadline = setTimeout(() => {
      socket.destroy();
      fail(new Error(`no complete answer within 10 s from port ${port}: ${answer}`));
    }, 10_000);
    socket.setEncoding("utf8").on("data", (chunk: string) => (answer += chunk));
    socket.on("close", () => {
      clearTimeout(deadline);
      done(answer);
    });
    socket.on("error", fail);
    socket.write(request);
  });
}

export const get = (port: number, path: string): Promise<string> => raw(port, `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);

/** Open file descriptors of a process (Linux /proc). */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Resolves once `check()` is true, polling every 50 ms; rejects with `what` after `deadlineMs`. */
export function eventually(check: () => boolean, deadlineMs: number, what: () => string): Promise<void> {
  return new Promise((done, fail) => {
    const started = Date.now();
    const poll = (): void => {
      if (check()) return done();
      if (Date.now() - started > deadlineMs) return fail(new Error(what()));
      setTimeout(poll, 50);
    };
    poll();
  });
}

export const pause = (ms: number): Promise<void> => new Promise((wait) => setTimeout(wait, ms));
