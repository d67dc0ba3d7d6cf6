/**
 * HTTP on a Moddable build over ECMA-419 sockets (embedded:io/socket/listener, embedded:io/socket/tcp), as the Node
 * host does over node:net: the bytes a connection sends go straight into the host-neutral ConnectionService, which
 * parses, limits, queues and frames; its response goes out from the slot's own buffer in writes the socket accepts
 * (onWritable's count: 1536 bytes a turn on the desktop). A slot is given back only once its last byte is written,
 * so a new connection cannot overwrite a response still draining. A request not complete by its deadline is answered
 * 408, a response not drained by the linger deadline is cut, and a connection beyond the slots is answered 503 by
 * one of a few spare connections (framed once, here) or closed unanswered when none is free. Nothing is allocated
 * per request except the SDK's two socket objects per connection (listener.read() and the `from` handover).
 */
import Listener from "embedded:io/socket/listener";
import type TCP from "embedded:io/socket/tcp";
import Timer from "timer";
import { ascii } from "../../src/net/ascii.js";
import type { ConnectionService, ResponseSink } from "../../src/net/connections.js";
import { Response } from "../../src/net/http.js";
import { HttpSocket } from "./http-socket.js";
import { SocketPieces } from "./socket-pieces.js";

export interface ModdableHttpOptions {
  readonly port: number;
  /** The connection service's slots (its `slots` option). */
  readonly slots: number;
  readonly nowMs: () => number;
  /** Milliseconds a client has to send a complete request before 408 (default 5000). */
  readonly requestTimeoutMs?: number;
  /** Milliseconds an answer may take to drain, and a written one may linger for a client still sending (2000). */
  readonly lingerMs?: number;
  /** Sockets beyond the slots, for 503 refusals and answers lingering until the client is done (default: slots). */
  readonly spare?: number;
}

/** A slow sender's slot goes to a new connection once it has been open this long, when every slot is busy (as `stillheap sim`). */
export const EVICT_AFTER_MS = 1000;
/** How often deadlines are checked: no timer per connection, so none is allocated. */
const CHECK_MS = 100;
const BUSY = "all connections in use";
/** The largest piece a socket write or read moves; the desktop socket takes 1536 bytes a turn. */
const PIECE_BYTES = 1024;

export class ModdableHttpServer implements ResponseSink {
  readonly #sockets: HttpSocket[] = [];
  readonly #bySlot: Array<HttpSocket | undefined> = [];
  readonly #pieces = new SocketPieces(PIECE_BYTES);
  readonly #busy: Uint8Array;
  readonly #busyLength: number;
  readonly #check = (): void => this.#deadlines();
  #listener: Listener | undefined;
  #timer: Timer | undefined;
  #service: ConnectionService | undefined;
  /** True while the service picks a slot: an answer sent then is an eviction's, for a slot about to be reused. */
  #opening = false;
  /** Connections closed unanswered because no spare socket was free. */
  dropped = 0;
  /** Answers cut at the linger deadline (the client did not read them). */
  cut = 0;

  constructor(readonly options: ModdableHttpOptions) {
    const count = options.slots + (options.spare ?? options.slots);
    for (let i = 0; i < count; i++) this.#sockets.push(new HttpSocket(this.#pieces, options.lingerMs ?? 2000, options.nowMs));
    for (let i = 0; i < options.slots; i++) this.#bySlot.push(undefined);
    const response = new Response();
    const bytes = new Uint8Array(512);
    response.begin(bytes).status = 503;
    response.retryAfterS = 1;
    response.json.reset().beginObject().key(ascii("error")).text(BUSY).endObject();
    this.#busyLength = response.finish();
    this.#busy = bytes;
  }

  get port(): number {
    return this.options.port;
  }

  listen(service: ConnectionService): void {
    this.#service = service;
    this.#listener = new Listener({ port: this.options.port, target: this, onReadable: accepted });
    this.#timer = Timer.repeat(this.#check, CHECK_MS);
  }

  /** The listener has `count` connections waiting. */
  accept(count: number): void {
    const listener = this.#listener;
    const service = this.#service;
    for (let i = 0; i < count && listener !== undefined && service !== undefined; i++) {
      const socket = listener.read();
      if (socket === undefined) return;
      const free = this.#free();
      if (free === undefined) {
        this.dropped++;
        socket.close();
        continue;
      }
      this.#opening = true;
      const slot = service.open();
      this.#opening = false;
      const now = this.options.nowMs();
      if (slot < 0) {
        free.refuse(socket, this.#busy, this.#busyLength, now);
        continue;
      }
      this.#bySlot[slot] = free;
      free.serve(socket, slot, service, now);
    }
  }

  #free(): HttpSocket | undefined {
    for (let i = 0; i < this.#sockets.length; i++) if ((this.#sockets[i] as HttpSocket).free) return this.#sockets[i];
    return undefined;
  }

  /**
   * The slot's response is framed: it drains from bytes[0 .. length) as the socket takes it. An answer given while
   * a new connection takes the slot (an eviction's 408) goes out at once or is cut: the slot's buffer is the new
   * connection's from here on.
   */
  send(slot: number, bytes: Uint8Array, length: number): void {
    const socket = this.#bySlot[slot];
    this.#bySlot[slot] = undefined;
    if (socket === undefined || !socket.answer(slot, bytes, length, this.options.nowMs(), this.#opening)) this.#service?.sent(slot);
  }

  #deadlines(): void {
    const now = this.options.nowMs();
    const timeoutMs = this.options.requestTimeoutMs ?? 5000;
    for (let i = 0; i < this.#sockets.length; i++) {
      const socket = this.#sockets[i] as HttpSocket;
      if (socket.expired(now, timeoutMs)) this.cut++;
    }
  }

  close(): void {
    if (this.#timer !== undefined) Timer.clear(this.#timer);
    this.#timer = undefined;
    (this.#listener as unknown as { close(): void } | undefined)?.close(); // the SDK's declaration omits close()
    this.#listener = undefined;
    for (let i = 0; i < this.#sockets.length; i++) (this.#sockets[i] as HttpSocket).abort();
  }
}

function accepted(this: Listener, count: number): void {
  (this as unknown as { readonly target: ModdableHttpServer }).target.accept(count);
}
