/**
 * The debugger end of a debug (`-d`) Moddable build, just enough to read what the app traces: a debug build
 * connects to xsbug (on lin, at XSBUG_HOST:XSBUG_PORT), logs in, and waits for a command; this answers `go` at
 * login and at every break (an exception, a `debugger` statement) and keeps the text of each `<log>`. Moddable's
 * own tools/xsbug-log does the same with more, but needs npm packages the SDK does not ship.
 */
import { createServer, type Server, type Socket } from "node:net";

const GO = "\r\n<xsbug><go/></xsbug>\r\n";
const ENTITIES: Readonly<Record<string, string>> = Object.freeze({ lt: "<", gt: ">", quot: "\"", apos: "'", amp: "&" });

/** Decodes the XML character references xsbug's protocol uses (`&lt;`, `&#10;`). */
function decode(text: string): string {
  return text.replace(/&(#\d+|[a-z]+);/g, (whole, name: string) =>
    name.startsWith("#") ? String.fromCharCode(Number(name.slice(1))) : ENTITIES[name] ?? whole);
}

export class XsbugLog {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #output = "";
  /** Bytes received but not yet parsed: a message may arrive in pieces. */
  #pending = "";
  #port = 0;

  constructor() {
    this.#server = createServer((socket) => this.#attach(socket));
  }

  /** Starts listening on a free port of 127.0.0.1; resolves with the port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(0, "127.0.0.1", () => {
        const address = this.#server.address();
        this.#port = typeof address === "object" && address !== null ? address.port : 0;
        resolve(this.#port);
      });
    });
  }

  /** The environment a lin build (mcsim) needs to connect here. */
  get env(): NodeJS.ProcessEnv {
    return { XSBUG_HOST: "127.0.0.1", XSBUG_PORT: String(this.#port) };
  }

  /** Everything traced so far, and the breaks (as `[break] message`), in order. */
  get output(): string {
    return this.#output;
  }

  #attach(socket: Socket): void {
    this.#sockets.add(socket);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => this.#receive(socket, chunk));
    socket.on("error", () => socket.destroy()); // the app went away: what it logged is kept
    socket.on("close", () => this.#sockets.delete(socket));
  }

  #receive(socket: Socket, chunk: string): void {
    this.#pending += chunk;
    for (;;) {
      const end = this.#pending.indexOf("</xsbug>");
      if (end < 0) return;
      const message = this.#pending.slice(0, end);
      this.#pending = this.#pending.slice(end + "</xsbug>".length);
      for (const log of message.matchAll(/<log[^>]*>([\s\S]*?)<\/log>/g)) this.#output += decode(log[1] ?? "");
      for (const stop of message.matchAll(/<break[^>]*>([\s\S]*?)<\/break>/g)) this.#output += `[break] ${decode(stop[1] ?? "")}\n`;
      if (/<login|<break/.test(message)) socket.write(GO);
    }
  }

  /** Resolves once `text` has been logged, or rejects at the deadline with what was logged. */
  async waitFor(text: string | RegExp, deadlineMs: number): Promise<void> {
    const end = Date.now() + deadlineMs;
    const seen = (): boolean => (typeof text === "string" ? this.#output.includes(text) : text.test(this.#output));
    while (!seen()) {
      if (Date.now() > end) throw new Error(`xsbug: ${String(text)} not logged within ${deadlineMs} ms; logged:\n${this.#output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
