/**
 * The gateway's HTTP API on a Moddable board. The `http` module's Server reads the request line and headers; this
 * adapter re-frames them into the connection slot's pooled buffer for the host-neutral HttpService (the same limits,
 * routes, token check and work queue as on every host) and hands the service's framed response back to the Server
 * as status, headers and body. The Server writes its own Connection and Content-Length headers, so ours are skipped.
 */
import { Server, type ServerRequest, type ServerResponse } from "http";
import type { HttpService, ResponseSink } from "../../src/app/index.js";
import { ascii, unframe } from "../../src/net/index.js";

const MESSAGE = Object.freeze({ error: -1, connection: 1, status: 2, header: 3, headersComplete: 4, requestComplete: 6,
  prepareResponse: 8 });
const END_OF_HEADERS = ascii("\r\n");
/** Headers the Server writes itself. */
const SERVER_HEADERS: readonly string[] = Object.freeze(["content-length", "connection"]);
const NOT_READY: ServerResponse = Object.freeze({ status: 503, headers: ["Retry-After", "1", "Content-Type", "application/json"],
  body: "{\"error\":\"busy: the work queue is full, retry shortly\"}" });
const NO_SLOT: ServerResponse = Object.freeze({ status: 503, headers: ["Retry-After", "1", "Content-Type", "application/json"],
  body: "{\"error\":\"all connections in use\"}" });

interface Connection extends ServerRequest {
  slot?: number;
}

export class ModdableHttpServer implements ResponseSink {
  /** Each slot's framed response, kept until the Server asks for it (prepareResponse). */
  readonly #ready: Array<Uint8Array | undefined> = [];
  readonly #lengths: Int32Array;
  #server: Server | undefined;

  constructor(readonly port: number, slots: number) {
    this.#lengths = new Int32Array(slots);
  }

  send(slot: number, bytes: Uint8Array, length: number): void {
    this.#ready[slot] = bytes;
    this.#lengths[slot] = length;
  }

  listen(service: HttpService): void {
    const server = new Server({ port: this.port });
    const adapter = this;
    const feed = (slot: number, text: string): void => {
      const bytes = ascii(text);
      service.receive(slot, bytes, 0, bytes.length);
    };
    server.callback = function (this: Connection, message: number, value?: unknown, etc?: unknown): unknown {
      if (message === MESSAGE.connection) {
        this.slot = service.open();
        return undefined;
      }
      const slot = this.slot ?? -1;
      if (slot < 0) return message === MESSAGE.prepareResponse ? NO_SLOT : undefined;
      if (message === MESSAGE.status) feed(slot, `${String(etc)} ${String(value)} HTTP/1.1\r\n`);
      else if (message === MESSAGE.header) feed(slot, `${String(value)}: ${String(etc)}\r\n`);
      else if (message === MESSAGE.headersComplete) {
        service.receive(slot, END_OF_HEADERS, 0, END_OF_HEADERS.length);
        return ArrayBuffer; // a body, if any, arrives whole with requestComplete
      } else if (message === MESSAGE.requestComplete && value instanceof ArrayBuffer) {
        service.receive(slot, new Uint8Array(value), 0, value.byteLength);
      } else if (message === MESSAGE.prepareResponse) {
        this.slot = -1; // answered: a later error message must not free a slot another connection may hold
        return adapter.#respond(service, slot);
      }
      else if (message === MESSAGE.error) {
        adapter.#ready[slot] = undefined;
        service.close(slot);
      }
      return undefined;
    };
    this.#server = server;
  }

  #respond(service: HttpService, slot: number): ServerResponse {
    const bytes = this.#ready[slot];
    if (bytes === undefined) {
      service.close(slot); // still queued behind a busy worker: the job's answer is dropped when it finishes
      return NOT_READY;
    }
    this.#ready[slot] = undefined;
    const parts = unframe(bytes, this.#lengths[slot] ?? 0, SERVER_HEADERS);
    const body = bytes.slice(parts.bodyStart, parts.bodyEnd).buffer; // the Server keeps it until written
    service.sent(slot);
    service.close(slot);
    return { status: parts.status, headers: parts.headers, body };
  }

  close(): void {
    this.#server?.close();
    this.#server = undefined;
  }
}
