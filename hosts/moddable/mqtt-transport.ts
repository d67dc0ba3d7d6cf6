/**
 * MQTT over the Moddable SDK's ECMA-419 TCP socket (embedded:io/socket/tcp): the host side of src/net/mqtt's client.
 * The socket reports it is writable once connected, and how much it takes: a packet goes out whole or waits (the
 * client keeps it and tries again). Bytes move through pieces made once (socket-pieces.ts), so nothing is allocated
 * per packet either way.
 */
import TCP from "embedded:io/socket/tcp";
import type { MqttClient, MqttTransport } from "../../src/net/mqtt/client.js";
import { SocketPieces, type PieceReceiver } from "./socket-pieces.js";

/** The largest piece: a 1 KiB packet goes in one write where the socket takes it (the desktop's takes 1536 bytes). */
const PIECE_BYTES = 1024;

/** What the SDK calls on the socket, with `this` the socket and its `target` this transport. */
interface Connection {
  readonly target: ModdableMqttTransport;
}

function writable(this: TCP, count: number): void {
  (this as unknown as Connection).target.writable(this, count);
}

function readable(this: TCP, count: number): void {
  (this as unknown as Connection).target.readable(this, count);
}

function failed(this: TCP): void {
  (this as unknown as Connection).target.failed(this);
}

export class ModdableMqttTransport implements MqttTransport, PieceReceiver {
  client: MqttClient | undefined;
  /** Socket errors (refused, reset): each closes the connection, which the client is told. */
  errors = 0;
  /** Packets that waited because the socket had no room for them yet. */
  waits = 0;
  #socket: TCP | undefined;
  #connected = false;
  /** Bytes the socket takes now. */
  #room = 0;
  readonly #pieces = new SocketPieces(PIECE_BYTES);

  constructor(readonly address: string, readonly port: number, readonly nowMs: () => number) {}

  open(): void {
    this.#connected = false;
    this.#room = 0;
    this.#socket = new TCP({ address: this.address, port: this.port, nodelay: true, format: "buffer", target: this,
      onWritable: writable, onReadable: readable, onError: failed });
  }

  writable(socket: TCP, count: number): void {
    if (this.#socket !== socket) return;
    this.#room = count;
    if (this.#connected) return;
    this.#connected = true; // the first writable is the connection made
    this.client?.connected(this.nowMs());
  }

  readable(socket: TCP, count: number): void {
    if (this.#socket !== socket) return;
    this.#pieces.read(socket, count, this);
  }

  receivePiece(bytes: Uint8Array, length: number): void {
    this.client?.receive(bytes, 0, length, this.nowMs());
  }

  failed(socket: TCP): void {
    if (this.#socket !== socket) return;
    this.errors++;
    this.#drop();
    this.client?.closed(this.nowMs());
  }

  write(bytes: Uint8Array, start: number, length: number): boolean {
    const socket = this.#socket;
    if (socket === undefined || !this.#connected) return false;
    if (length > this.#room) {
      this.waits++;
      return false;
    }
    this.#pieces.write(socket, bytes, start, length, this.#room);
    this.#room = this.#pieces.writable;
    return true;
  }

  close(): void {
    this.#drop();
  }

  #drop(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#connected = false;
    socket?.close();
  }
}
