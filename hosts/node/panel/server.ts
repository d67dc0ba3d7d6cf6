/**
 * The panel's web server on the Node host: the page, its plotting library from node_modules, frames as Server-Sent
 * Events (streams.ts), and (where a simulation runs) POST /v1/inject to start a fault window. node:http only; bound
 * to 127.0.0.1. Its sockets are capped (MAX_CONNECTIONS, beyond them closed and counted) and a request must arrive
 * whole within REQUEST_TIMEOUT_MS, so this port cannot take the descriptors or the time the API's port needs.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EventStreams } from "./streams.js";
import type { Frame, Hello, InjectRequest } from "./web/protocol.js";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
/** Static sources live beside the TypeScript (hosts/node/panel/web), compiled page code under dist. */
const projectRoot = join(here, "..", "..", "..", "..");
const WEB_SOURCE = join(projectRoot, "hosts", "node", "panel", "web");
const WEB_BUILT = join(projectRoot, "dist", "hosts", "node", "panel", "web");
const UPLOT = dirname(require.resolve("uplot/dist/uPlot.esm.js"));
const MAX_BODY_BYTES = 1024;
/** Sockets open at once on the panel's port; one more is closed unanswered (counted in `dropped`). */
export const MAX_CONNECTIONS = 64;
/** Time a client has to send a whole request (headers and body) before its socket is closed. */
export const REQUEST_TIMEOUT_MS = 5000;

const FILES: Readonly<Record<string, readonly [string, string]>> = Object.freeze({
  "/": [join(WEB_SOURCE, "index.html"), "text/html; charset=utf-8"],
  "/panel.css": [join(WEB_SOURCE, "panel.css"), "text/css; charset=utf-8"],
  "/app.js": [join(WEB_BUILT, "app.js"), "text/javascript; charset=utf-8"],
  "/plots.js": [join(WEB_BUILT, "plots.js"), "text/javascript; charset=utf-8"],
  "/view.js": [join(WEB_BUILT, "view.js"), "text/javascript; charset=utf-8"],
  "/vendor/uPlot.esm.js": [join(UPLOT, "uPlot.esm.js"), "text/javascript; charset=utf-8"],
  "/vendor/uPlot.min.css": [join(UPLOT, "uPlot.min.css"), "text/css; charset=utf-8"],
});

/** Why a fault was not started: 404 for a sensor not declared, 400 for a bad kind or window, 503 when the plan is full. */
export interface InjectRefusal {
  readonly status: 400 | 404 | 503;
  readonly error: string;
}

export interface PanelStats {
  readonly streams: number;
  readonly streamsDropped: number;
  readonly streamsRefused: number;
  readonly pages: number;
  readonly framesSent: number;
  readonly connectionsDropped: number;
}

export interface PanelSource {
  readonly title: string;
  /** Fault kinds `inject` accepts; empty when the watched target takes none. */
  readonly injectable: readonly string[];
  /** Starts a fault window; returns why not, or undefined when done. */
  inject?(request: InjectRequest): InjectRefusal | undefined;
}

export class PanelServer {
  readonly #server: Server;
  readonly streams = new EventStreams();
  readonly #run = `${Date.now().toString(36)}-${process.pid}`;
  /** Connections closed unanswered because MAX_CONNECTIONS were open. */
  dropped = 0;

  constructor(readonly source: PanelSource, readonly port: number) {
    this.#server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 500 },
      (request, response) => this.#handle(request, response));
    this.#server.maxConnections = MAX_CONNECTIONS;
    this.#server.on("drop", () => this.dropped++);
  }

  /** Frames sent, and pages that connected, for the host's own checks. */
  get framesSent(): number {
    return this.streams.framesSent;
  }

  get connections(): number {
    return this.streams.connections;
  }

  /** The panel's own counters (GET /v1/stats): streams open, dropped for not reading, refused; sockets dropped. */
  stats(): PanelStats {
    const streams = this.streams;
    return { streams: streams.count, streamsDropped: streams.dropped, streamsRefused: streams.refused, pages: streams.connections,
      framesSent: streams.framesSent, connectionsDropped: this.dropped };
  }

  /** The kept frames, oldest first (parsed again: for checks, not for serving). */
  history(): Frame[] {
    return this.streams.history().map((text) => JSON.parse(text) as Frame);
  }

  listen(): Promise<number> {
    return new Promise((done, fail) => {
      this.#server.once("error", fail);
      this.#server.listen(this.port, "127.0.0.1", () => {
        const address = this.#server.address();
        done(typeof address === "object" && address !== null ? address.port : this.port);
      });
    });
  }

  /** Keeps a frame and sends it to every open page that keeps up. */
  broadcast(frame: Frame): void {
    this.streams.push(frame);
  }

  /** Ends the event streams (pages reconnect to whatever serves next) and stops listening. */
  close(): Promise<void> {
    this.streams.end();
    const closed = new Promise<void>((done) => this.#server.close(() => done()));
    this.#server.closeAllConnections();
    return closed;
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (request.method === "GET" && path === "/events") return this.#stream(response);
    if (request.method === "POST" && path === "/v1/inject") return this.#inject(request, response);
    if (request.method === "GET" && path === "/v1/stats") return answer(response, 200, this.stats());
    const file = FILES[path];
    if (request.method !== "GET" || file === undefined) return answer(response, 404, { error: `no ${request.method ?? "?"} ${path} here` });
    let body: Buffer;
    try {
      body = readFileSync(file[0]);
    } catch (error: unknown) {
      const hint = path.endsWith(".js") ? " (run npm install, which compiles the page)" : "";
      return answer(response, 500, { error: `cannot read ${file[0]}${hint}: ${error instanceof Error ? error.message : String(error)}` });
    }
    response.writeHead(200, { "Content-Type": file[1], "Content-Length": body.length, "Cache-Control": "no-cache" });
    response.end(body);
  }

  #stream(response: ServerResponse): void {
    const hello = (backlog: number): string => {
      const said: Hello = { run: this.#run, title: this.source.title, injectable: this.source.injectable, backlog };
      return `retry: 1000\nevent: hello\ndata: ${JSON.stringify(said)}\n\n`;
    };
    if (!this.streams.open(response, hello)) {
      answer(response, 503, { error: `${this.streams.maxStreams} event streams are open: close a page` }, { "Retry-After": "5" });
    }
  }

  /** JSON only: a cross-origin page cannot send that without a preflight, which this server never approves. */
  #inject(request: IncomingMessage, response: ServerResponse): void {
    if (this.source.inject === undefined) return answer(response, 405, { error: "this target takes no injected faults" });
    if (!isJson(request.headers["content-type"])) return answer(response, 415, { error: "send Content-Type: application/json" });
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (!response.headersSent) answer(response, 413, { error: `a body of at most ${MAX_BODY_BYTES} bytes` }, { Connection: "close" });
    });
    request.on("end", () => {
      if (size > MAX_BODY_BYTES) return;
      const parsed = parseInject(Buffer.concat(chunks).toString("utf8"));
      if (typeof parsed === "string") return answer(response, 400, { error: parsed });
      const refusal = this.source.inject?.(parsed);
      if (refusal !== undefined) return answer(response, refusal.status, { error: refusal.error });
      answer(response, 200, { injected: parsed });
    });
  }
}

/** The media type is application/json exactly (parameters such as charset allowed), in any case. */
export function isJson(contentType: string | undefined): boolean {
  return (contentType ?? "").split(";", 1)[0]?.trim().toLowerCase() === "application/json";
}

function answer(response: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** The request, or what is wrong with it. */
export function parseInject(text: string): InjectRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    return `not JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (typeof value !== "object" || value === null) return "expected an object {sensor, kind, durationMs}";
  const { sensor, kind, durationMs } = value as Record<string, unknown>;
  if (typeof sensor !== "string" || typeof kind !== "string") return "sensor and kind must be strings";
  if (typeof durationMs !== "number" || !(durationMs > 0 && durationMs <= 600_000)) return "durationMs must be a number in (0, 600000]";
  return { sensor, kind, durationMs };
}
