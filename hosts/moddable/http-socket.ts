/**
 * One accepted ECMA-419 TCP socket of the Moddable HTTP server, and its state: reading a request into its slot,
 * draining the slot's answer (or the 503 refusal) as the socket takes it, then lingering — reading and discarding —
 * until the client closes or stops sending (or the linger deadline passes), so it is not reset while it still sends. Made once
 * per place in the server's pool; the object is itself the options the SDK's `new TCP({from, …})` reads.
 */
import TCP from "embedded:io/socket/tcp";
import type { ConnectionService } from "../../src/net/connections.js";
import type { PieceReceiver, SocketPieces } from "./socket-pieces.js";

const STATE = Object.freeze({ free: 0, reading: 1, draining: 2, lingering: 3 });
/** A lingering socket that has received nothing for this long is closed: the client has stopped sending. */
const QUIET_MS = 200;

/** The socket as the SDK hands it to callbacks: `target` is the HttpSocket that opened it. */
interface Targeted {
  readonly target: HttpSocket;
}

function readable(this: TCP, count: number): void {
  (this as unknown as Targeted).target.readable(this, count);
}

function writable(this: TCP, count: number): void {
  (this as unknown as Targeted).target.writable(this, count);
}

function failed(this: TCP): void {
  (this as unknown as Targeted).target.failed(this);
}

export class HttpSocket implements PieceReceiver {
  /** The options `new TCP` reads: `from` is set only for the handover. */
  from: TCP | undefined = undefined;
  readonly format = "buffer";
  readonly nodelay = true;
  readonly target: HttpSocket = this;
  readonly onReadable = readable;
  readonly onWritable = writable;
  readonly onError = failed;
  #socket: TCP | undefined = undefined;
  #state: number = STATE.free;
  /** The connection service's slot while reading or draining its answer; -1 for a refusal or when lingering. */
  #slot = -1;
  #service: ConnectionService | undefined = undefined;
  #bytes: Uint8Array | undefined = undefined;
  #at = 0;
  #end = 0;
  /** Bytes the socket takes now (onWritable's count, then what each write leaves). */
  #room = 0;
  /** When the current state began, and when a lingering socket last received something. */
  #sinceMs = 0;
  #heardMs = 0;

  constructor(readonly pieces: SocketPieces, readonly lingerMs: number, readonly nowMs: () => number) {}

  get free(): boolean {
    return this.#state === STATE.free;
  }

  /** Serves `socket` (just accepted) on the service's `slot`. */
  serve(socket: TCP, slot: number, service: ConnectionService, nowMs: number): void {
    this.#attach(socket, nowMs);
    this.#slot = slot;
    this.#service = service;
    this.#state = STATE.reading;
  }

  /** Answers `socket` with bytes[0 .. length) (the 503 refusal) and lets it go. */
  refuse(socket: TCP, bytes: Uint8Array, length: number, nowMs: number): void {
    this.#attach(socket, nowMs);
    this.#slot = -1;
    this.#drain(bytes, length, nowMs);
  }

  /**
   * The slot's answer is framed in bytes[0 .. length): true when it drains from there and the service is told
   * (`sent`) once it has; false when this socket no longer serves `slot` (the caller tells the service at once).
   */
  answer(slot: number, bytes: Uint8Array, length: number, nowMs: number, atOnce: boolean): boolean {
    if (this.#state !== STATE.reading || this.#slot !== slot) return false;
    this.#drain(bytes, length, nowMs);
    if (!atOnce || this.#state !== STATE.draining) return true;
    this.#slot = -1; // what did not fit now is cut: the slot's buffer belongs to a new connection from here on
    this.#close();
    return false;
  }

  #attach(socket: TCP, nowMs: number): void {
    this.from = socket;
    this.#socket = new TCP(this as unknown as ConstructorParameters<typeof TCP>[0]);
    this.from = undefined;
    this.#room = 0;
    this.#sinceMs = nowMs;
  }

  #drain(bytes: Uint8Array, length: number, nowMs: number): void {
    this.#bytes = bytes;
    this.#at = 0;
    this.#end = length;
    this.#state = STATE.draining;
    this.#sinceMs = nowMs;
    this.#pump(nowMs);
  }

  #pump(nowMs: number): void {
    const socket = this.#socket;
    const bytes = this.#bytes;
    if (socket === undefined || bytes === undefined || this.#room <= 0) return;
    this.#at += this.pieces.write(socket, bytes, this.#at, this.#end - this.#at, this.#room);
    this.#room = this.pieces.writable;
    if (this.#at < this.#end) return;
    this.#bytes = undefined;
    this.#release();
    this.#state = STATE.lingering;
    this.#sinceMs = nowMs;
    this.#heardMs = nowMs;
  }

  /** Gives the slot back to the service: its buffer is free for a new connection. */
  #release(): void {
    const slot = this.#slot;
    this.#slot = -1;
    if (slot >= 0) this.#service?.sent(slot);
  }

  readable(socket: TCP, count: number): void {
    if (socket !== this.#socket) return;
    if (this.#state === STATE.reading) this.pieces.read(socket, count, this);
    else this.pieces.discard(socket, count);
    if (this.#state === STATE.lingering) this.#heardMs = this.nowMs(); // still sending: not quiet yet
  }

  receivePiece(bytes: Uint8Array, length: number): void {
    if (this.#state === STATE.reading) this.#service?.receive(this.#slot, bytes, 0, length);
  }

  writable(socket: TCP, count: number): void {
    if (socket !== this.#socket) return;
    this.#room = count;
    if (this.#state === STATE.draining) this.#pump(this.nowMs());
  }

  /** The client closed or reset: a request still being read frees its slot; an answer still draining is cut. */
  failed(socket: TCP): void {
    if (socket !== this.#socket) return;
    if (this.#state === STATE.reading && this.#slot >= 0) this.#service?.close(this.#slot);
    else this.#release();
    this.#slot = -1;
    this.#close();
  }

  /**
   * Deadlines: a request not complete within `timeoutMs` is answered 408 by the service; an answer not drained within
   * `lingerMs` is cut; a lingering socket is closed once nothing has arrived for QUIET_MS (or at `lingerMs`). True when an answer was cut.
   */
  expired(nowMs: number, timeoutMs: number): boolean {
    const age = nowMs - this.#sinceMs;
    if (this.#state === STATE.reading) {
      if (age > timeoutMs && this.#slot >= 0) this.#service?.timeout(this.#slot);
      return false;
    }
    if (this.#state !== STATE.draining && this.#state !== STATE.lingering) return false;
    if (age <= this.lingerMs && (this.#state === STATE.draining || nowMs - this.#heardMs <= QUIET_MS)) return false;
    const cut = this.#state === STATE.draining;
    this.#release();
    this.#close();
    return cut;
  }

  /** Closes the socket at once, whatever it was doing (the server is stopping). */
  abort(): void {
    this.#release();
    this.#close();
  }

  #close(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#bytes = undefined;
    this.#state = STATE.free;
    socket?.close();
  }
}
