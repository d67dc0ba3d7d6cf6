/**
 * A measuring port for instrumented (`-i`) desktop builds (`mcconfig … probePort=…`): a connection that sends one
 * command byte is answered with Moddable's Instrumentation figures, "XS Slot Heap Used" and "XS Chunk Heap Used" in
 * bytes, as `slots chunks\n`, and closed. `c` collects first, `r` reads as the heap stands, `d` collects and then
 * turns the collector off (so what a window allocates stays counted), `e` turns it on again. Answers are written
 * into a buffer made once and sent byte by byte, and the socket options are made once, so a probe allocates what any accepted connection
 * does (the SDK's two socket objects) and nothing more.
 */
import Debug from "debug";
import Listener from "embedded:io/socket/listener";
import TCP from "embedded:io/socket/tcp";
import Instrumentation from "instrumentation";
import { ByteWriter } from "../../src/net/writer.js";

const COLLECT = 0x63;
const READ = 0x72;
const DISABLE = 0x64;
const ENABLE = 0x65;

interface Targeted {
  readonly target: MemoryProbe;
}

function accepted(this: Listener, count: number): void {
  (this as unknown as Targeted).target.accept(count);
}

function readable(this: TCP, count: number): void {
  (this as unknown as Targeted).target.command(this, count);
}

function failed(this: TCP): void {
  this.close();
}

export class MemoryProbe {
  /** The options `new TCP` reads for each probe connection. */
  from: TCP | undefined = undefined;
  readonly format = "buffer";
  readonly target: MemoryProbe = this;
  readonly onReadable = readable;
  readonly onError = failed;
  readonly #listener: Listener;
  readonly #answer = new Uint8Array(64);
  readonly #command = new Uint8Array(1);
  readonly #writer = new ByteWriter();
  readonly #slots: number;
  readonly #chunks: number;

  constructor(port: number) {
    this.#slots = Instrumentation.map("XS Slot Heap Used") ?? -1;
    this.#chunks = Instrumentation.map("XS Chunk Heap Used") ?? -1;
    this.#listener = new Listener({ port, target: this, onReadable: accepted });
  }

  accept(count: number): void {
    for (let i = 0; i < count; i++) {
      const socket = this.#listener.read();
      if (socket === undefined) return;
      this.from = socket;
      new TCP(this as unknown as ConstructorParameters<typeof TCP>[0]); // kept alive by the SDK until closed
      this.from = undefined;
    }
  }

  command(socket: TCP, count: number): void {
    socket.read(this.#command);
    const command = this.#command[0] ?? 0;
    if (command === COLLECT || command === DISABLE) Debug.gc();
    if (command === DISABLE) Debug.gc(false);
    if (command === ENABLE) Debug.gc(true);
    const out = this.#writer.reset(this.#answer);
    out.integer(this.#counter(this.#slots)).byte(32).integer(this.#counter(this.#chunks)).byte(10);
    for (let left = count - 1; left > 0; left--) socket.read(this.#command); // anything more is not a command
    socket.format = "number"; // byte by byte: a view of the answer's length would be an allocation
    for (let i = 0; i < out.position; i++) socket.write(this.#answer[i] ?? 0);
    socket.close();
  }

  #counter(index: number): number {
    return index < 0 ? -1 : Instrumentation.get(index) ?? -1;
  }
}

/** The probe on `config.probePort` when the build names one (tests of instrumented builds do), else none. */
export function startMemoryProbe(port: unknown): MemoryProbe | undefined {
  return port === undefined || port === null || String(port) === "" ? undefined : new MemoryProbe(Number(port));
}
