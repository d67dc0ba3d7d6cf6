/**
 * Moddable's desktop simulator running a lin build (mc.so) under a virtual X display, as a test or a user on a
 * headless machine runs it: `xvfb-run -a mcsim mc.so`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import type { Sdk } from "./sdk.js";

export class McsimError extends Error {
  override name = "McsimError";
}

/** Whether xvfb-run is here (mcsim is a GTK application and needs a display). */
export function hasXvfb(): boolean {
  return spawnSync("xvfb-run", ["--help"]).error === undefined;
}

/** A TCP port nobody listens on right now, for a build's `httpPort`. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new McsimError("no free port"))));
    });
  });
}

export class Mcsim {
  readonly #child: ChildProcess;
  #output = "";
  #exit: number | null | undefined;

  /** `env` is added to the SDK's (a debug build's XSBUG_HOST/XSBUG_PORT, say). */
  constructor(sdk: Sdk, library: string, env: NodeJS.ProcessEnv = {}) {
    // Its own process group, so stopping it also stops the Xvfb server xvfb-run started.
    // stdbuf: mcsim's stdout (trace lines and an instrumented build's per-second figures) line by line, not in 4 KB bursts.
    this.#child = spawn("xvfb-run", ["-a", "stdbuf", "-oL", "mcsim", library], { env: { ...sdk.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const keep = (chunk: Buffer): void => {
      this.#output += chunk.toString("utf8");
    };
    this.#child.stdout?.on("data", keep);
    this.#child.stderr?.on("data", keep);
    this.#child.on("exit", (code) => (this.#exit = code));
  }

  get output(): string {
    return this.#output;
  }

  /** Whether mcsim has exited (a crashed app ends it). */
  get exited(): boolean {
    return this.#exit !== undefined;
  }

  /** Resolves once `url` answers, or rejects at the deadline (or when mcsim has exited) with its output. */
  async waitFor(url: string, deadlineMs: number): Promise<void> {
    const end = Date.now() + deadlineMs;
    while (Date.now() < end) {
      if (this.#exit !== undefined) throw new McsimError(`mcsim exited (${String(this.#exit)}) before answering:\n${this.#output}`);
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        return;
      } catch (error: unknown) {
        if (!(error instanceof Error)) throw error; // not yet listening: try again shortly
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new McsimError(`${url} did not answer within ${deadlineMs} ms; mcsim printed:\n${this.#output}`);
  }

  /** Stops mcsim and its display server; resolves when they are gone (at most 5 s). */
  stop(): Promise<void> {
    const pid = this.#child.pid;
    if (pid === undefined || this.#exit !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const done = setTimeout(() => {
        signalGroup(pid, "SIGKILL");
        resolve();
      }, 5000);
      this.#child.once("exit", () => {
        clearTimeout(done);
        resolve();
      });
      signalGroup(pid, "SIGTERM");
    });
  }
}

/** Signals a process group; one that has already gone (ESRCH) is what stopping it wanted. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error: unknown) {
    if (!(error instanceof Error && "code" in error && error.code === "ESRCH")) throw error;
  }
}
