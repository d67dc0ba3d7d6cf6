/**
 * The panel's web server on the Node host: the page, its plotting library from node_modules, frames as Server-Sent
 * Events, and (where a simulation runs) POST /v1/inject to start a fault window. node:http only; bound to 127.0.0.1.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Frame, Hello, InjectRequest } from "./web/protocol.js";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
/** Static sources live beside the TypeScript (hosts/node/panel/web), compiled page code under dist. */
const projectRoot = join(here, "..", "..", "..", "..");
const WEB_SOURCE = join(projectRoot, "hosts", "node", "panel", "web");
const WEB_BUILT = join(projectRoot, "dist", "hosts", "node", "panel", "web");
const UPLOT = dirname(require.resolve("uplot/dist/uPlot.esm.js"));
const MAX_BODY_BYTES = 1024;

const FILES: Readonly<Record<string, readonly [string, string]>> = Object.freeze({
  "/": [join(WEB_SOURCE, "index.html"), "text/html; charset=utf-8"],
  "/panel.css": [join(WEB_SOURCE, "panel.css"), "text/css; charset=utf-8"],
  "/app.js": [join(WEB_BUILT, "app.js"), "text/javascript; charset=utf-8"],
  "/plots.js": [join(WEB_BUILT, "plots.js"), "text/javascript; charset=utf-8"],
  "/view.js": [join(WEB_BUILT, "view.js"), "text/javascript; charset=utf-8"],
  "/vendor/uPlot.esm.js": [join(UPLOT, "uPlot.esm.js"), "text/javascript; charset=utf-8"],
  "/vendor/uPlot.min.css": [join(UPLOT, "uPlot.min.css"), "text/css; charset=utf-8"],
});

export interface PanelSource {
  readonly title: string;
  /** Fault kinds `inject` accepts; empty when the watched target takes none. */
  readonly injectable: readonly string[];
  history(): readonly Frame[];
  /** Starts a fault window; returns an error message for the client, or undefined when done. */
  inject?(request: InjectRequest): string | undefined;
}

export class PanelServer {
  readonly #server: Server;
  readonly #streams = new Set<ServerResponse>();
  readonly #run = `${Date.now().toString(36)}-${process.pid}`;
  /** Frames sent, and clients that connected, for the host's own checks. */
  framesSent = 0;
  connections = 0;

  constructor(readonly source: PanelSource, readonly port: number) {
    this.#server = createServer((request, response) => this.#handle(request, response));
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

  /** Sends a frame to every open page. */
  broadcast(frame: Frame): void {
    const text = `event: frame\ndata: ${JSON.stringify(frame)}\n\n`;
    for (const stream of this.#streams) stream.write(text);
    this.framesSent++;
  }

  /** Ends the event streams (pages reconnect to whatever serves next) and stops listening. */
  close(): Promise<void> {
    for (const stream of this.#streams) stream.end();
    this.#streams.clear();
    this.#server.closeAllConnections();
    return new Promise((done) => this.#server.close(() => done()));
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (request.method === "GET" && path === "/events") return this.#stream(response);
    if (request.method === "POST" && path === "/v1/inject") return this.#inject(request, response);
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
    response.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive" });
    const hello: Hello = { run: this.#run, title: this.source.title, injectable: this.source.injectable, history: this.source.history() };
    response.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify(hello)}\n\n`);
    this.#streams.add(response);
    this.connections++;
    response.on("close", () => this.#streams.delete(response));
    response.on("error", () => this.#streams.delete(response)); // a page that went away; close follows
  }

  /** JSON only: a cross-origin page cannot send that without a preflight, which this server never approves. */
  #inject(request: IncomingMessage, response: ServerResponse): void {
    if (this.source.inject === undefined) return answer(response, 405, { error: "this target takes no injected faults" });
    if (!(request.headers["content-type"] ?? "").startsWith("application/json")) {
      return answer(response, 415, { error: "send Content-Type: application/json" });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => {
      if (size > MAX_BODY_BYTES) return answer(response, 413, { error: `a body of at most ${MAX_BODY_BYTES} bytes` });
      const parsed = parseInject(Buffer.concat(chunks).toString("utf8"));
      if (typeof parsed === "string") return answer(response, 400, { error: parsed });
      const failure = this.source.inject?.(parsed);
      if (failure !== undefined) return answer(response, 400, { error: failure });
      answer(response, 200, { injected: parsed });
    });
  }
}

function answer(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
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
