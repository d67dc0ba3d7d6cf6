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
  /** From the URL's userinfo (percent-decoded), when it has one. */
  readonly username?: string;
  readonly password?: string;
}

/**
 * mqtt://[user[:password]@]host[:port] → host, port (1883 by default) and the credentials; throws a RangeError
 * naming what is wrong, with any password in the text masked.
 */
export function parseBrokerUrl(text: string): BrokerAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError(`not a URL: "${maskUrl(text)}"; expected mqtt://[user[:password]@]host[:port]`);
  }
  if (url.protocol !== "mqtt:") throw new RangeError(`"${maskUrl(text)}": only mqtt:// is supported (no TLS)`);
  if (url.hostname === "") throw new RangeError(`"${maskUrl(text)}": no host`);
  if (url.pathname !== "" && url.pathname !== "/") throw new RangeError(`"${maskUrl(text)}": a broker URL has no path`);
  const port = url.port === "" ? 1883 : Number(url.port);
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  if (password !== "" && username === "") throw new RangeError(`"${maskUrl(text)}": a password needs a user name (MQTT 3.1.1 §3.1.2.9)`);
  return { host: url.hostname, port, ...(username === "" ? {} : { username }), ...(password === "" ? {} : { password }) };
}

/** The URL as it may be shown: a password in its userinfo replaced by "***" (also in text that is no URL). */
export function maskUrl(text: string): string {
  // Up to the last "@": a password holding "@" or "/" unencoded still never shows.
  return text.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/@:]*:).*@/, "$1***@");
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
