/**
 * The gateway's HTTP API on Node: a node:net server that moves bytes between sockets and the host-neutral
 * ConnectionService (which owns parsing, limits, the work queue and responses). Each connection gets a request deadline,
 * and every socket — served or refused — an error handler and a deadline to be gone after its answer, so a client
 * that resets, half-closes or never reads can neither crash the process nor hold a file descriptor. Open sockets are
 * capped, in all and per client address, so a flood on this port cannot take the descriptors another port needs.
 */
import { createServer, type Server, type Socket } from "node:net";
import type { ConnectionService, ResponseSink } from "../../src/net/connections.js";

/** Sockets open at once by default, served, refused or draining; beyond it a new one is closed unanswered. */
export const MAX_SOCKETS = 256;
/** How long sockets may drain once the server is stopping before they are destroyed. */
const STOP_LINGER_MS = 500;

export interface NodeHttpOptions {
  readonly host: string;
  readonly port: number;
  /** Milliseconds a client has to send a complete request before 408. */
  readonly requestTimeoutMs: number;
  /** Milliseconds an answered or refused socket may take to drain before it is destroyed (default 2000). */
  readonly lingerMs?: number;
  /** Sockets open at once (default MAX_SOCKETS); one client address may hold half of them. */
  readonly maxSockets?: number;
}

/** A client's key for the service's per-client share: FNV-1a of its address (a collision only merges two shares). */
export function clientKey(address: string | undefined): number {
  let hash = 0x811c9dc5;
  const text = address ?? "";
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash === -1 ? 0 : hash | 0;
}

export class NodeHttpServer implements ResponseSink {
  readonly #sockets: Array<Socket | undefined> = [];
  readonly #deadlines: Array<NodeJS.Timeout | undefined> = [];
  readonly #open = new Set<Socket>();
  /** Open sockets by client address; an entry goes when its count does, so it is bounded by the open sockets. */
  readonly #perAddress = new Map<string, number>();
  readonly #server: Server;
  readonly #maxSockets: number;
  #service: ConnectionService | undefined;
  #stopping = false;
  /** Socket errors (resets, broken pipes), served and refused connections alike; counted, never thrown. */
  resets = 0;
  /** Sockets open now, served, refused or draining. */
  open = 0;
  /** Connections closed unanswered because `maxSockets` were open, or their address held half of them. */
  dropped = 0;

  constructor(readonly options: NodeHttpOptions) {
    this.#maxSockets = options.maxSockets ?? MAX_SOCKETS;
    this.#server = createServer((socket) => this.#connected(socket));
  }

  /** Binds the service (created with this server as its sink) and starts listening; resolves with the bound port. */
  listen(service: ConnectionService): Promise<number> {
    this.#service = service;
    return new Promise((done, fail) => {
      this.#server.once("error", fail);
      this.#server.listen(this.options.port, this.options.host, () => {
        const address = this.#server.address();
        done(typeof address === "object" && address !== null ? address.port : this.options.port);
      });
    });
  }

  /** The response is complete: the connection gives up its slot (which a new connection may take at once). */
  send(slot: number, bytes: Uint8Array, length: number): void {
    const socket = this.#sockets[slot];
    const copy = Buffer.from(bytes.subarray(0, length)); // before the slot (and its buffer) is given back
    this.#release(slot);
    this.#service?.sent(slot);
    if (socket !== undefined) this.#finish(socket, copy);
  }

  /** A 100 Continue: written now (node:net copies it), the socket staying open for the body. */
  interim(slot: number, bytes: Uint8Array, length: number): void {
    const socket = this.#sockets[slot];
    if (socket !== undefined && !socket.destroyed) socket.write(Buffer.from(bytes.subarray(0, length)));
  }

  /** Sends the last bytes and closes; whatever the client does next, the socket is destroyed by the linger deadline. */
  #finish(socket: Socket, bytes: Buffer): void {
    socket.resume(); // read and discard what still arrives, so the client's close is seen
    if (!socket.destroyed) socket.end(bytes);
    setTimeout(() => socket.destroy(), this.#stopping ? STOP_LINGER_MS : this.options.lingerMs ?? 2000).unref();
  }

  #release(slot: number): void {
    clearTimeout(this.#deadlines[slot]);
    this.#deadlines[slot] = undefined;
    this.#sockets[slot] = undefined;
  }

  /** Counts the socket against the caps; false (and the socket destroyed, counted) when over one. */
  #admit(socket: Socket, address: string): boolean {
    const fromAddress = this.#perAddress.get(address) ?? 0;
    if (this.open >= this.#maxSockets || fromAddress >= Math.max(1, this.#maxSockets >> 1)) {
      this.dropped++;
      socket.on("error", () => this.resets++);
      socket.destroy();
      return false;
    }
    this.open++;
    this.#open.add(socket);
    this.#perAddress.set(address, fromAddress + 1);
    socket.on("close", () => {
      this.open--;
      this.#open.delete(socket);
      const left = (this.#perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.#perAddress.set(address, left);
      else this.#perAddress.delete(address);
    });
    return true;
  }

  #connected(socket: Socket): void {
    const address = socket.remoteAddress ?? "";
    if (!this.#admit(socket, address)) return;
    socket.on("error", () => {
      this.resets++; // a reset by the client: counted; the close handler frees the slot
      socket.destroy();
    });
    const service = this.#service;
    if (service === undefined) { // not listening yet: no connection can arrive before listen()
      socket.destroy();
      return;
    }
    const slot = this.#stopping ? -1 : service.open(clientKey(address));
    if (slot < 0) {
      this.#finish(socket, Buffer.from(service.refusal)); // the service's 503, framed once
      return;
    }
    this.#sockets[slot] = socket;
    this.#deadlines[slot] = setTimeout(() => service.timeout(slot), this.options.requestTimeoutMs);
    socket.on("data", (chunk: Buffer) => {
      if (this.#sockets[slot] === socket) service.receive(slot, chunk, 0, chunk.length);
    });
    socket.on("close", () => {
      if (this.#sockets[slot] !== socket) return; // answered already: the slot may belong to another connection now
      this.#release(slot);
      service.close(slot);
    });
  }

  /**
   * Stops accepting and answers every connection still sending its request with 503 at once; requests already
   * complete are answered. Every socket is gone within STOP_LINGER_MS of its answer, whatever the client does;
   * resolves once all have closed.
   */
  close(): Promise<void> {
    this.#stopping = true;
    const closed = new Promise<void>((done) => this.#server.close(() => done()));
    this.#service?.refuseReading();
    for (const socket of this.#open) if (this.#sockets.indexOf(socket) < 0) setTimeout(() => socket.destroy(), STOP_LINGER_MS).unref();
    return closed;
  }

  /** Drops every connection at once (escalated shutdown). */
  kill(): void {
    this.#stopping = true;
    for (const socket of this.#open) socket.destroy();
    this.#server.close();
  }
}
