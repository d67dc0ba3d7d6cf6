/**
 * Node only: Debian's mosquitto broker for the MQTT tests — installed with apt-get when missing and this is root (as
 * CI runs), started on a free loopback port with a generated config, and restartable on the same port.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PACKAGES = ["mosquitto", "mosquitto-clients"];

function present(): boolean {
  return spawnSync("mosquitto", ["-h"]).error === undefined && spawnSync("mosquitto_sub", ["--help"]).error === undefined;
}

/** undefined when mosquitto is ready; otherwise why the tests must skip. */
export function ensureMosquitto(): string | undefined {
  if (present()) return undefined;
  if (process.getuid?.() !== 0) return `mosquitto is missing and this is not root: install the Debian packages ${PACKAGES.join(" ")}`;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update", "-qq"], { stdio: "ignore", env, timeout: 300_000 });
  const result = spawnSync("apt-get", ["install", "-y", "-qq", ...PACKAGES], { encoding: "utf8", env, timeout: 300_000 });
  if (result.status !== 0 || !present()) return `apt-get install ${PACKAGES.join(" ")} failed: ${result.stderr ?? ""}`;
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** Resolves once something accepts connections on `port`; rejects after `deadlineMs`. */
export function waitForPort(port: number, deadlineMs: number): Promise<void> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const attempt = (): void => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        done();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() - started > deadlineMs) fail(new Error(`nothing listens on ${port} after ${deadlineMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** What a broker is configured with beyond the defaults. */
export interface MosquittoOptions {
  /** Users and their passwords: with them, `allow_anonymous false` and a password file made by mosquitto_passwd. */
  readonly users?: Readonly<Record<string, string>>;
  /** mosquitto's max_packet_size: a client sending a larger packet is disconnected. */
  readonly maxPacketSize?: number;
  /** An acl_file's text. */
  readonly acl?: string;
}

export class Mosquitto {
  readonly dir = mkdtempSync(join(tmpdir(), "stillheap-mosquitto-"));
  #child: ChildProcess | undefined;
  log = "";

  constructor(readonly port: number, options: MosquittoOptions = {}) {
    chmodSync(this.dir, 0o777); // started as root, mosquitto drops to its own user, which must write its database here
    const users = Object.entries(options.users ?? {});
    const passwords = join(this.dir, "passwords");
    for (const [index, [user, password]] of users.entries()) {
      const made = spawnSync("mosquitto_passwd", [...(index === 0 ? ["-c"] : []), "-b", passwords, user, password], { encoding: "utf8", timeout: 10_000 });
      if (made.status !== 0) throw new Error(`mosquitto_passwd failed: ${made.stderr}`);
    }
    if (users.length > 0) chmodSync(passwords, 0o644);
    if (options.acl !== undefined) writeFileSync(join(this.dir, "acl"), options.acl, { mode: 0o644 });
    // Persistence keeps a durable subscriber's session (QoS 0 included) across a restart and while it reconnects.
    writeFileSync(join(this.dir, "mosquitto.conf"), [`listener ${port} 127.0.0.1`, `allow_anonymous ${users.length === 0}`,
      ...(users.length > 0 ? [`password_file ${passwords}`] : []), ...(options.acl !== undefined ? [`acl_file ${join(this.dir, "acl")}`] : []),
      ...(options.maxPacketSize !== undefined ? [`max_packet_size ${options.maxPacketSize}`] : []),
      "persistence true", `persistence_location ${this.dir}/`, "max_queued_messages 10000",
      "queue_qos0_messages true", ""].join("\n"));
  }

  get pid(): number {
    return this.#child?.pid ?? -1;
  }

  async start(): Promise<void> {
    const child = spawn("mosquitto", ["-c", join(this.dir, "mosquitto.conf")], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.setEncoding("utf8").on("data", (text: string) => (this.log += text));
    child.stderr?.setEncoding("utf8").on("data", (text: string) => (this.log += text));
    this.#child = child;
    await waitForPort(this.port, 10_000);
  }

  /** Stops the broker (SIGTERM, so it saves its sessions, or SIGKILL, a crash); resolves once it has exited (deadline 10 s). */
  stop(signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null) return Promise.resolve();
    return new Promise((done, fail) => {
      const deadline = setTimeout(() => {
        child.kill("SIGKILL");
        fail(new Error(`mosquitto did not stop within 10 s: ${this.log}`));
      }, 10_000);
      child.once("exit", () => {
        clearTimeout(deadline);
        done();
      });
      child.kill(signal);
    });
  }

  /** Freezes or resumes the broker process: a broker that stops answering without closing anything. */
  signal(name: "SIGSTOP" | "SIGCONT"): void {
    this.#child?.kill(name);
  }
}

/** A user name and password for mosquitto_sub and mosquitto_pub. */
export interface Credentials {
  readonly user: string;
  readonly password: string;
}

/**
 * The environment that gives mosquitto_sub/pub credentials through their config file ($XDG_CONFIG_HOME/mosquitto_sub,
 * …_pub), so no password is on a command line; `cleanup` removes it.
 */
export function clientEnvironment(credentials: Credentials | undefined): { env: NodeJS.ProcessEnv; cleanup: () => void } {
  if (credentials === undefined) return { env: process.env, cleanup: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), "stillheap-mqtt-client-"));
  for (const tool of ["mosquitto_sub", "mosquitto_pub"]) writeFileSync(join(dir, tool), `-u ${credentials.user}\n-P ${credentials.password}\n`, { mode: 0o600 });
  return { env: { ...process.env, XDG_CONFIG_HOME: dir }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** mosquitto_sub as a durable QoS 1 subscriber printing "topic payload" lines; retained messages included. */
export class Subscriber {
  readonly lines: string[] = [];
  #rest = "";
  readonly child: ChildProcess;
  readonly #cleanup: () => void;

  constructor(port: number, topic: string | readonly string[], id: string, credentials?: Credentials) {
    const { env, cleanup } = clientEnvironment(credentials);
    this.#cleanup = cleanup;
    const topics = (typeof topic === "string" ? [topic] : topic).flatMap((t) => ["-t", t]);
    this.child = spawn("mosquitto_sub", ["-h", "127.0.0.1", "-p", String(port), ...topics, "-q", "1", "-v", "-c", "-i", id],
      { stdio: ["ignore", "pipe", "pipe"], env });
    this.child.stdout?.setEncoding("utf8").on("data", (text: string) => {
      const parts = (this.#rest + text).split("\n");
      this.#rest = parts.pop() ?? "";
      this.lines.push(...parts);
    });
  }

  stop(): void {
    this.child.kill("SIGTERM");
    this.#cleanup();
  }
}

/** Publishes one message with mosquitto_pub (retained with `retain`); its exit status (deadline 10 s). */
export function mosquittoPub(port: number, topic: string, message: string, options: { retain?: boolean; credentials?: Credentials } = {}): number | null {
  const { env, cleanup } = clientEnvironment(options.credentials);
  try {
    return spawnSync("mosquitto_pub", ["-h", "127.0.0.1", "-p", String(port), "-t", topic, "-m", message, "-q", "1", ...(options.retain === true ? ["-r"] : [])],
      { timeout: 10_000, env }).status;
  } finally {
    cleanup();
  }
}

/**
 * The retained message on `topic` as a subscriber connecting now sees it ("" when there is none within `waitS`),
 * with mosquitto_sub in its own process.
 */
export function retainedOn(port: number, topic: string, credentials?: Credentials, waitS = 3): string {
  const { env, cleanup } = clientEnvironment(credentials);
  try {
    const run = spawnSync("mosquitto_sub", ["-h", "127.0.0.1", "-p", String(port), "-t", topic, "-C", "1", "-W", String(waitS), "--retained-only"],
      { encoding: "utf8", timeout: (waitS + 5) * 1000, env });
    return run.stdout.trim();
  } finally {
    cleanup();
  }
}
