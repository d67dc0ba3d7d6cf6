/**
 * The MQTT client's transport on Node: one node:net socket at a time. Events of a socket the client has already
 * closed are ignored, so a late close of an old connection cannot disturb the new one.
 */
import { connect, type Socket } from "node:net";
import type { MqttClient, MqttTransport } from "../../src/net/mqtt/client.js";

/** How long a closing socket may take to flush its last bytes (DISCONNECT) before it is destroyed. */
const LINGER_MS = 1000;

export interface BrokerAddress {
  readonly host: string;
  readonly port: number;
}

/** mqtt://host[:port] → host and port (1883 by default); throws a RangeError naming what is wrong. */
export function parseBrokerUrl(text: string): BrokerAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error: unknown) {
    throw new RangeError(`not a URL: "${text}" (${error instanceof Error ? error.message : String(error)}); expected mqtt://host:port`);
  }
  if (url.protocol !== "mqtt:") throw new RangeError(`"${text}": only mqtt:// is supported (no TLS)`);
  const port = url.port === "" ? 1883 : Number(url.port);
  return { host: url.hostname, port };
}

export class NodeMqttTransport implements MqttTransport {
  client: MqttClient | undefined;
  /** Socket errors (refused, reset); each is followed by a close the client sees. */
  errors = 0;
  #socket: Socket | undefined;

  constructor(readonly address: BrokerAddress, readonly nowMs: () => number) {}

  open(): void {
    const socket = connect({ host: this.address.host, port: this.address.port });
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on("connect", () => {
      if (this.#socket === socket) this.client?.connected(this.nowMs());
    });
    socket.on("data", (chunk: Buffer) => {
      if (this.#socket === socket) this.client?.receive(chunk, 0, chunk.length, this.nowMs());
    });
    socket.on("error", () => {
      this.errors++; // "close" follows and tells the client
    });
    socket.on("close", () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.client?.closed(this.nowMs());
    });
  }

  write(bytes: Uint8Array, start: number, length: number): boolean {
    const socket = this.#socket;
    if (socket === undefined || socket.destroyed || !socket.writable) return false;
    socket.write(Buffer.from(bytes.subarray(start, start + length))); // copied: the client reuses its buffers
    return true;
  }

  close(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket === undefined) return;
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  }
}
