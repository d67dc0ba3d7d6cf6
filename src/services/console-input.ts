/**
 * Lines typed on a serial console (the bare-metal RP2040 image's UART, Moddable's Pico USB serial): the bytes the
 * host's `read` gives (from its C ring or USB FIFO), read into one preallocated line buffer when the host says some
 * arrived or polls, and handed over a line at a time (the "\n" and a "\r" before it left out). A line longer than the buffer is refused whole: its bytes are skipped up to its end and
 * the console says so. Reading, scanning and skipping allocate nothing.
 */
/** The longest line taken: `config Bearer <token> ` and a settings body of some 900 bytes. */
export const CONSOLE_LINE_BYTES = 1024;
const NEWLINE = 10;
const RETURN = 13;

/** Where a whole line goes: bytes[0 .. length) of the input's buffer, valid until the call returns. */
export interface LineTarget {
  handle(bytes: Uint8Array, length: number): void;
}

/**
 * Reads up to `count` received bytes into buffer[offset ..); returns how many (0: none waiting). A host function
 * passed as it is (rp2040.uartRead) costs no closure.
 */
export type ConsoleRead = (buffer: ArrayBuffer, offset: number, count: number) => number;

export class ConsoleInput {
  readonly line = new Uint8Array(CONSOLE_LINE_BYTES);
  readonly #buffer = this.line.buffer as ArrayBuffer;
  /** Lines handed over, and lines refused as too long. */
  lines = 0;
  refused = 0;
  #length = 0;
  /** Inside a line that outgrew the buffer: skipping to its end. */
  #skipping = false;

  /** `print` writes a line of text: the refusal of a line too long. */
  constructor(readonly target: LineTarget, readonly print: (text: string) => void, readonly read: ConsoleRead) {}

  /** Reads what the console received (the main loop calls it when bytes are waiting, or polls). */
  poll(): void {
    for (;;) {
      if (this.#length === CONSOLE_LINE_BYTES) {
        this.#skipping = true;
        this.#length = 0;
      }
      const read = this.read(this.#buffer, this.#length, CONSOLE_LINE_BYTES - this.#length);
      if (read === 0) return;
      this.#scan(this.#length, read);
    }
  }

  /** Hands over every line ending in bytes [from, from + count), keeping what follows the last for later. */
  #scan(from: number, count: number): void {
    const line = this.line;
    let start = 0;
    const end = from + count;
    for (let i = from; i < end; i++) {
      if (line[i] !== NEWLINE) continue;
      this.#end(start, i);
      start = i + 1;
    }
    if (start > 0) line.copyWithin(0, start, end);
    this.#length = end - start;
  }

  #end(start: number, newline: number): void {
    if (this.#skipping) {
      this.#skipping = false;
      this.refused++;
      this.print("console: a line longer than 1024 bytes was refused");
      return;
    }
    const length = newline > start && this.line[newline - 1] === RETURN ? newline - start - 1 : newline - start;
    if (start > 0) this.line.copyWithin(0, start, start + length);
    this.lines++;
    this.target.handle(this.line, length);
  }
}
