/**
 * BufferPool: a fixed number of fixed-size buffers (Go's sync.Pool with a hard cap). Views are made once at
 * construction; tryAcquire hands one out or returns null (counted); release takes it back, zero-filled by default
 * so no data leaks from one request to the next. Double release and foreign buffers are errors.
 */
import { PoolError } from "./errors.js";
import type { Region } from "./arena.js";

export interface BufferPoolOptions {
  /** Zero a buffer when it comes back (default true). */
  readonly zeroOnRelease?: boolean;
}

export class BufferPool {
  readonly bufferBytes: number;
  readonly capacity: number;
  readonly #buffers: Uint8Array[] = [];
  readonly #inUse: Uint8Array;
  readonly #free: Int32Array;
  readonly #base: number;
  readonly #zero: boolean;
  #freeCount: number;
  /** Acquires refused because every buffer was out. */
  exhausted = 0;
  peakOutstanding = 0;

  /** Carves `region` into buffers of `bufferBytes` each (as many as fit). */
  constructor(region: Region, bufferBytes: number, options: BufferPoolOptions = {}) {
    if (!Number.isInteger(bufferBytes) || bufferBytes <= 0 || bufferBytes > region.length) {
      throw new PoolError("bad-size", `buffers of ${bufferBytes} bytes do not fit region "${region.name}" ` +
        `(${region.length} bytes)`);
    }
    this.bufferBytes = bufferBytes;
    this.capacity = Math.floor(region.length / bufferBytes);
    this.#base = region.offset;
    this.#zero = options.zeroOnRelease ?? true;
    this.#inUse = new Uint8Array(this.capacity);
    this.#free = new Int32Array(this.capacity);
    for (let i = 0; i < this.capacity; i++) {
      this.#buffers.push(new Uint8Array(region.bytes.buffer, region.offset + i * bufferBytes, bufferBytes));
      this.#free[i] = this.capacity - 1 - i;
    }
    this.#freeCount = this.capacity;
  }

  get outstanding(): number {
    return this.capacity - this.#freeCount;
  }

  get available(): number {
    return this.#freeCount;
  }

  /** A buffer of `bufferBytes`, or null (counted in `exhausted`) when all are out. */
  tryAcquire(): Uint8Array | null {
    if (this.#freeCount === 0) {
      this.exhausted++;
      return null;
    }
    const index = this.#free[--this.#freeCount] ?? 0;
    this.#inUse[index] = 1;
    const outstanding = this.capacity - this.#freeCount;
    if (outstanding > this.peakOutstanding) this.peakOutstanding = outstanding;
    return this.#buffers[index] ?? null;
  }

  /** Takes back a buffer this pool handed out. */
  release(buffer: Uint8Array): void {
    const index = (buffer.byteOffset - this.#base) / this.bufferBytes;
    const own = this.#buffers[index];
    if (own !== buffer) {
      throw new PoolError("foreign-buffer", "release() of a buffer this pool did not hand out: return it to its own pool");
    }
    if (this.#inUse[index] === 0) {
      throw new PoolError("double-release", `buffer ${index} released twice: release each acquired buffer exactly once`);
    }
    this.#inUse[index] = 0;
    if (this.#zero) buffer.fill(0);
    this.#free[this.#freeCount++] = index;
  }
}
