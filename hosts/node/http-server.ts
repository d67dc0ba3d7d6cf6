/**
 * The gateway's HTTP API on Node: a node:net server that moves bytes between sockets and the host-neutral
 * ConnectionService (which owns parsing, limits, the work queue and responses). Each connection gets a request deadline,
 * and every socket — served or refused — an error handler and a deadline to be gone after its answer, so a client
 * that resets, half-closes or never reads can neither crash the process nor hold a file descriptor.
 */
import { createServer, type Server, type Socket } from "node:net";
import type { ConnectionService, ResponseSink } from "../../src/net/connections.js";

const BUSY = Buffer.from("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 34\r\n" +
  "Connection: close\r\nRetry-After: 1\r\n\r\n{\"error\":\"all connections in use\"}");

export interface NodeHttpOptions {
  readonly host: string;
  readonly port: number;
  /** Milliseconds a client has to send a complete request before 408. */
  readonly requestTimeoutMs: number;
  /** Milliseconds an answered or refused socket may take to drain before it is destroyed (default 2000). */
  readonly lingerMs?: number;
}

export class NodeHttpServer implements ResponseSink {
  readonly #sockets: Array<Socket | undefined> = [];
  readonly #deadlines: Array<NodeJS.Timeout | undefined> = [];
  readonly #server: Server;
  #service: ConnectionService | undefined;
  /** Socket errors (resets, broken pipes), served and refused connections alike; counted, never thrown. */
  resets = 0;
  /** Sockets open now, served, refused or draining. */
  open = 0;

  constructor(readonly options: NodeHttpOptions) {
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
    this.#release(slot);
    this.#service?.sent(slot);
    if (socket !== undefined) this.#finish(socket, Buffer.from(bytes.subarray(0, length)));
  }

  /** Sends the last bytes and closes; whatever the client does next, the socket is destroyed by the linger deadline. */
  #finish(socket: Socket, bytes: Buffer): void {
    socket.resume(); // read and discard what still arrives, so the client's close is seen
    if (!socket.destroyed) socket.end(bytes);
    setTimeout(() => socket.destroy(), this.options.lingerMs ?? 2000).unref();
  }

  #release(slot: number): void {
    clearTimeout(this.#deadlines[slot]);
    this.#deadlines[slot] = undefined;
    this.#sockets[slot] = undefined;
  }

  #connected(socket: Socket): void {
    this.open++;
    socket.on("error", () => {
      this.resets++; // a reset by the client: counted; the close handler frees the slot
      socket.destroy();
    });
    socket.on("close", () => this.open--);
    const service = this.#service;
    const slot = service === undefined ? -1 : service.open();
    if (service === undefined || slot < 0) {
      this.#finish(socket, BUSY);
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

  /** Stops accepting; resolves once open connections have closed. */
  close(): Promise<void> {
    return new Promise((done) => this.#server.close(() => done()));
  }

  /** Drops every connection at once (escalated shutdown). */
  kill(): void {
    for (const socket of this.#sockets) socket?.destroy();
    this.#server.close();
  }
}
