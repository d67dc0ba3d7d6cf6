/**
 * Seeded HTTP request generation for the fuzz suites: well-formed requests from a corpus, then mutated the ways a
 * broken or hostile client would (flipped, inserted, deleted and repeated bytes, stray CR/LF/NUL, huge fields).
 * Engine-neutral: the XS fuzz drives the connection service with it, the Node fuzz real sockets.
 */
import { Random } from "./random.js";

const CORPUS = [
  "GET /v1/readings HTTP/1.1\r\nHost: stillheap\r\n\r\n",
  "GET /v1/readings/sht3x HTTP/1.1\r\nHost: stillheap\r\nAccept: */*\r\n\r\n",
  "HEAD /healthz HTTP/1.0\r\n\r\n",
  "GET /metrics?x=1 HTTP/1.1\r\nHost: stillheap\r\nUser-Agent: fuzz\r\n\r\n",
  "POST /v1/config HTTP/1.1\r\nHost: stillheap\r\nAuthorization: Bearer TOKEN\r\nContent-Length: 23\r\n\r\n{\"bmp280PeriodMs\":1000}",
  "POST /v1/config HTTP/1.1\r\nHost: stillheap\r\nContent-Length: 2\r\n\r\n{}",
  "DELETE /v1/readings HTTP/1.1\r\nHost: stillheap\r\n\r\n",
];
const STRAY = [0, 9, 10, 13, 32, 58, 127, 255, 47, 63, 37];

export class RequestFuzzer {
  readonly random: Random;
  readonly #corpus: Uint8Array[];
  readonly #buffer = new Uint8Array(4096);

  constructor(seed: number, token: string) {
    this.random = new Random(seed);
    this.#corpus = CORPUS.map((text) => latin1(text.replace("TOKEN", token)));
  }

  /** The next request: unmutated one time in eight, else with one to four mutations. Returns a view of its bytes. */
  next(): Uint8Array {
    const r = this.random;
    const base = this.#corpus[r.int(0, this.#corpus.length - 1)] ?? new Uint8Array(0);
    let length = base.length;
    this.#buffer.set(base);
    if (r.int(0, 7) !== 0) for (let m = r.int(1, 4); m > 0; m--) length = this.#mutate(length);
    return this.#buffer.subarray(0, length);
  }

  #mutate(length: number): number {
    const r = this.random;
    const b = this.#buffer;
    const at = r.int(0, Math.max(0, length - 1));
    switch (r.int(0, 6)) {
      case 0: // flip a bit
        b[at] = (b[at] ?? 0) ^ (1 << r.int(0, 7));
        return length;
      case 1: // a stray byte in place
        b[at] = STRAY[r.int(0, STRAY.length - 1)] ?? 0;
        return length;
      case 2: { // insert a stray byte
        if (length >= b.length) return length;
        b.copyWithin(at + 1, at, length);
        b[at] = STRAY[r.int(0, STRAY.length - 1)] ?? 0;
        return length + 1;
      }
      case 3: { // delete a range
        const count = Math.min(r.int(1, 8), length - at);
        b.copyWithin(at, at + count, length);
        return length - count;
      }
      case 4: { // repeat a range many times (long lines, huge headers)
        const count = Math.min(r.int(1, 16), length - at);
        const times = r.int(1, 200);
        let end = length;
        for (let t = 0; t < times && end + count <= b.length; t++) {
          b.copyWithin(at + count, at, end);
          end += count;
        }
        return end;
      }
      case 5: // truncate
        return at;
      default: { // random bytes over a range
        const count = Math.min(r.int(1, 6), length - at);
        for (let i = 0; i < count; i++) b[at + i] = r.int(0, 255);
        return length;
      }
    }
  }
}

/** Each UTF-16 unit's low byte (the corpus is ASCII). */
export function latin1(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

/** Statuses the gateway may answer with; anything else is a failure. */
export const VALID_STATUSES = Object.freeze([200, 400, 401, 404, 405, 408, 411, 413, 414, 417, 431, 501, 503]);
