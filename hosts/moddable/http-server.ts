/**
 * HTTP on a Moddable board. The `http` module's Server reads the request line and headers; this adapter re-frames
 * them into the connection slot's pooled buffer for the host-neutral ConnectionService (the same limits, handler,
 * token check and work queue as on every host) and hands the service's framed response back to the Server as
 * status, headers and a body sent in fragments: the Server writes a whole body in one socket write, and a socket's
 * transmit buffer is smaller than a readings response (1 KB on the desktop), so larger bodies would be cut.
 */
import { Server, type HTTPServerCallback, type Request } from "http";
import type { ConnectionService, ResponseSink } from "../../src/net/connections.js";
import { ascii } from "../../src/net/ascii.js";
import { unframe } from "../../src/net/unframe.js";

const MESSAGE = Object.freeze({ error: -1, connection: 1, status: 2, header: 3, headersComplete: 4, requestComplete: 6,
  prepareResponse: 8, responseFragment: 9, responseComplete: 10 });
const END_OF_HEADERS = ascii("\r\n");
/** Headers the Server writes itself (Content-Length is written by us, so the Server sends the body in fragments). */
const SERVER_HEADERS: readonly string[] = Object.freeze(["content-length", "connection"]);
const BUSY_HEADERS = Object.freeze(["Retry-After", "1", "Content-Type", "application/json"]);
const NOT_READY = "{\"error\":\"busy: the work queue is full, retry shortly\"}";
const NO_SLOT = "{\"error\":\"all connections in use\"}";

interface ServerResponse {
  status: number;
  headers: string[];
  body: true | string;
}

/** The Server's per-connection object, which the callback receives as `this`. */
interface Connection extends Request {
  slot?: number;
}

export class ModdableHttpServer implements ResponseSink {
  /** Each slot's framed response, kept until the Server has written it (responseComplete). */
  readonly #ready: Array<Uint8Array | undefined> = [];
  readonly #lengths: Int32Array;
  /** Next body byte to hand the Server, and the body's end, per slot. */
  readonly #bodyAt: Int32Array;
  readonly #bodyEnd: Int32Array;
  #server: Server | undefined;

  constructor(readonly port: number, slots: number) {
    this.#lengths = new Int32Array(slots);
    this.#bodyAt = new Int32Array(slots);
    this.#bodyEnd = new Int32Array(slots);
  }

  send(slot: number, bytes: Uint8Array, length: number): void {
    this.#ready[slot] = bytes;
    this.#lengths[slot] = length;
  }

  listen(service: ConnectionService): void {
    const server = new Server({ port: this.port });
    const adapter = this;
    const feed = (slot: number, text: string): void => {
      const bytes = ascii(text);
      service.receive(slot, bytes, 0, bytes.length);
    };
    const callback = function (this: Connection, message: number, value?: unknown, etc?: unknown) {
      if (message === MESSAGE.connection) {
        this.slot = service.open();
        return undefined;
      }
      const slot = this.slot ?? -1;
      if (slot < 0) return message === MESSAGE.prepareResponse ? busy(NO_SLOT) : undefined;
      if (message === MESSAGE.status) feed(slot, `${String(etc)} ${String(value)} HTTP/1.1\r\n`);
      else if (message === MESSAGE.header) feed(slot, `${String(value)}: ${String(etc)}\r\n`);
      else if (message === MESSAGE.headersComplete) {
        service.receive(slot, END_OF_HEADERS, 0, END_OF_HEADERS.length);
        return ArrayBuffer; // a body, if any, arrives whole with requestComplete
      } else if (message === MESSAGE.requestComplete && value instanceof ArrayBuffer) {
        service.receive(slot, new Uint8Array(value), 0, value.byteLength);
      } else if (message === MESSAGE.prepareResponse) {
        const response = adapter.#respond(service, slot);
        if (response === undefined) this.slot = -1;
        return response ?? busy(NOT_READY);
      } else if (message === MESSAGE.responseFragment) {
        return adapter.#fragment(slot, Number(value));
      } else if (message === MESSAGE.responseComplete || message === MESSAGE.error) {
        this.slot = -1; // a later message must not free a slot another connection may hold by then
        adapter.#finish(service, slot);
      }
      return undefined;
    };
    // The SDK's declaration omits the ArrayBuffer constructor headersComplete returns to get the body as an
    // ArrayBuffer (modules/network/http/http.js accepts String, ArrayBuffer, true or false there).
    server.callback = callback as HTTPServerCallback;
    this.#server = server;
  }

  /** Status and headers of the slot's framed response; its body follows in fragments. */
  #respond(service: ConnectionService, slot: number): ServerResponse | undefined {
    const bytes = this.#ready[slot];
    if (bytes === undefined) {
      service.close(slot); // still queued behind a busy worker: the job's answer is dropped when it finishes
      return undefined;
    }
    const parts = unframe(bytes, this.#lengths[slot] ?? 0, SERVER_HEADERS);
    this.#bodyAt[slot] = parts.bodyStart;
    this.#bodyEnd[slot] = parts.bodyEnd;
    parts.headers.push("Content-Length", String(parts.bodyEnd - parts.bodyStart));
    return { status: parts.status, headers: parts.headers, body: true };
  }

  /** Up to `room` bytes of the body, or undefined when it has all been handed over. */
  #fragment(slot: number, room: number): ArrayBuffer | undefined {
    const bytes = this.#ready[slot];
    const at = this.#bodyAt[slot] ?? 0;
    const end = Math.min(this.#bodyEnd[slot] ?? 0, at + Math.max(room, 0));
    if (bytes === undefined || end <= at) return undefined;
    this.#bodyAt[slot] = end;
    return bytes.slice(at, end).buffer; // the Server keeps it until written
  }

  #finish(service: ConnectionService, slot: number): void {
    if (this.#ready[slot] !== undefined) service.sent(slot);
    this.#ready[slot] = undefined;
    service.close(slot);
  }

  close(): void {
    this.#server?.close();
    this.#server = undefined;
  }
}

function busy(body: string): ServerResponse & { body: string } {
  return { status: 503, headers: [...BUSY_HEADERS], body };
}
