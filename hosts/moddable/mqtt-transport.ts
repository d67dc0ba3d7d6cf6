/**
 * MQTT over the Moddable SDK's ECMA-419 TCP socket (embedded:io/socket/tcp): the host side of src/net/mqtt's client.
 * The socket reports it is writable once connected; received bytes are read on onReadable and handed to the client.
 */
import TCP from "embedded:io/socket/tcp";
import type { MqttClient, MqttTransport } from "../../src/net/mqtt/client.js";

export class ModdableMqttTransport implements MqttTransport {
  client: MqttClient | undefined;
  /** Socket errors (refused, reset): each closes the connection, which the client is told. */
  errors = 0;
  #socket: TCP | undefined;
  #connected = false;

  constructor(readonly address: string, readonly port: number, readonly nowMs: () => number) {}

  open(): void {
    const transport = this;
    this.#connected = false;
    const socket: TCP = new TCP({
      address: this.address, port: this.port, nodelay: true, format: "buffer",
      onWritable(this: TCP) {
        if (transport.#socket !== this || transport.#connected) return;
        transport.#connected = true; // the first writable is the connection made
        transport.client?.connected(transport.nowMs());
      },
      onReadable(this: TCP, count: number) {
        if (transport.#socket !== this) return;
        const bytes = this.read(count);
        if (bytes instanceof ArrayBuffer) transport.client?.receive(new Uint8Array(bytes), 0, bytes.byteLength, transport.nowMs());
      },
      onError(this: TCP) {
        if (transport.#socket !== this) return;
        transport.errors++;
        transport.#drop();
        transport.client?.closed(transport.nowMs());
      },
    });
    this.#socket = socket;
  }

  write(bytes: Uint8Array, start: number, length: number): boolean {
    const socket = this.#socket;
    if (socket === undefined || !this.#connected) return false;
    try {
      socket.write(bytes.slice(start, start + length)); // copied: the client reuses its buffers
      return true;
    } catch {
      this.errors++; // the socket's buffer is full, or it has gone: the client keeps the packet and tries again
      return false;
    }
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
