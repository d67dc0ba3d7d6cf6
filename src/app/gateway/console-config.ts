/**
 * The console's `config` commands, for boards whose serial console is their only way in (the bare-metal RP2040
 * image's UART, Moddable's Pico build's USB serial): POST /v1/config, POST /v1/config/reset and GET /v1/config on
 * a line, under the same bearer token (built in: `stillheap build --target rp2040 --token T`, `mcconfig …
 * apiToken=T`) and the same validation (readConfigBody), applied whole or not at all:
 *
 *     config Bearer <token> {"sensors": {"sht3x": {"periodMs": 2000}}}   → config applied | config rejected: <why>
 *     config reset Bearer <token>                                         → config reset: …
 *     config Bearer <token>                                               → settings {…}
 *
 * A wrong or missing token is answered "config unauthorized", an image built without a token "config disabled" and
 * the host's line on how to build one with a token.
 * The settings keeper writes applied settings to flash (at most once per interval). A command allocates (its
 * messages, the body's keys, the parsed changes, the settings reply's buffer) as an HTTP config request does, and
 * holds nothing between commands, so an idle console costs only its line buffer.
 */
import { ascii, codeAt, constantTimeEqual } from "../../net/ascii.js";
import { ByteWriter, JsonWriter } from "../../net/writer.js";
import { ConfigChanges, readConfigBody } from "./config-body.js";
import type { ConsoleOutput } from "./console.js";
import type { GatewayDocuments } from "./documents.js";
import type { Gateway } from "./gateway.js";

const SPACE = 32;

export interface ConsoleConfigOptions {
  readonly gateway: Gateway;
  readonly documents: GatewayDocuments;
  /** Where a factory reset goes (the settings keeper, which also writes it). */
  readonly settings: { reset(): void };
  /** The built-in token: at least 8 characters, or empty to disable the commands. */
  readonly token: string;
  /** Writes a line of text (the answers: string literals, which cost no heap on XS). */
  readonly print: (text: string) => void;
  /** Where the settings document's bytes go. */
  readonly output: ConsoleOutput;
  /** Room for the settings document (the settings record's payload bound). */
  readonly replyBytes: number;
  /** How to build the image with a token, printed after "config disabled" (a string literal). */
  readonly tokenHelp: string;
}

export class ConsoleConfig {
  /** Commands applied (settings or a reset), refused for their token, rejected for their body. */
  applied = 0;
  unauthorized = 0;
  rejected = 0;
  readonly #options: ConsoleConfigOptions;
  readonly #token: Uint8Array;

  constructor(options: ConsoleConfigOptions) {
    if (options.token.length > 0 && options.token.length < 8) throw new RangeError("the console token must have at least 8 characters, or be empty");
    this.#options = options;
    this.#token = ascii(options.token);
  }

  /** One console line, bytes[0 .. length). */
  handle(bytes: Uint8Array, length: number): void {
    const start = this.#skip(bytes, 0, length);
    if (start === length) return;
    if (!this.#word(bytes, start, length, "config")) {
      return this.#options.print("console: unknown command; try config Bearer <token> {\"sensors\": {\"<name>\": " +
        "{\"periodMs\": 2000}}}, config Bearer <token> (the settings), config reset Bearer <token>");
    }
    let at = this.#skip(bytes, start + 6, length);
    const reset = this.#word(bytes, at, length, "reset");
    if (reset) at = this.#skip(bytes, at + 5, length);
    const tokenStart = this.#word(bytes, at, length, "Bearer") ? this.#skip(bytes, at + 6, length) : -1;
    let tokenEnd = tokenStart;
    while (tokenEnd >= 0 && tokenEnd < length && bytes[tokenEnd] !== SPACE) tokenEnd++;
    if (!this.#authorized(bytes, tokenStart, tokenEnd - tokenStart)) return;
    const body = this.#skip(bytes, tokenEnd, length);
    if (reset) this.#reset();
    else if (body === length) this.printSettings();
    else this.#apply(bytes, body, length - body);
  }

  /** True if bytes[at ..] begins with the ASCII `expected` followed by a space or the end. */
  #word(bytes: Uint8Array, at: number, end: number, expected: string): boolean {
    const next = at + expected.length;
    if (next > end || (next < end && bytes[next] !== SPACE)) return false;
    for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== codeAt(expected, i)) return false;
    return true;
  }

  #skip(bytes: Uint8Array, at: number, end: number): number {
    while (at < end && bytes[at] === SPACE) at++;
    return at;
  }

  #authorized(bytes: Uint8Array, tokenStart: number, tokenLength: number): boolean {
    if (this.#token.length === 0) {
      this.#options.print("config disabled: this image was built without a token");
      this.#options.print(this.#options.tokenHelp);
      return false;
    }
    if (tokenStart < 0 || !constantTimeEqual(bytes, tokenStart, tokenLength, this.#token)) {
      this.unauthorized++;
      this.#options.print("config unauthorized: a valid bearer token is required (config [reset] Bearer <token> [{settings}])");
      return false;
    }
    return true;
  }

  #reset(): void {
    this.#options.settings.reset();
    this.applied++;
    this.#options.print("config reset: every setting is the declaration's again");
  }

  #apply(bytes: Uint8Array, start: number, length: number): void {
    const changes = new ConfigChanges(this.#options.gateway.channels);
    const problem = readConfigBody(bytes, start, length, changes);
    if (problem !== undefined) {
      this.rejected++;
      return this.#options.print(`config rejected: ${problem}`);
    }
    this.#options.gateway.apply(changes);
    this.applied++;
    this.#options.print("config applied");
  }

  /** Writes `settings {…}` (GET /v1/config's document) as a line; returns the document's length in bytes (0: too long). */
  printSettings(): number {
    const reply = new Uint8Array(this.#options.replyBytes);
    const out = new ByteWriter().reset(reply).ascii("settings ");
    this.#options.documents.settings(new JsonWriter(out));
    const length = out.overflowed ? 0 : out.position;
    if (length === 0) out.reset(reply).ascii("settings: the document is longer than the console's buffer");
    this.#options.output.write(reply, 0, out.position);
    this.#options.print("");
    return length === 0 ? 0 : length - 9;
  }
}
