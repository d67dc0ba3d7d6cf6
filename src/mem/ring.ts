/**
 * RingAllocator: variable-size FIFO records in a fixed region (after Zephyr's ring_buffer put_claim/put_finish,
 * get_claim/get_finish). A record is a 4-byte length header and its payload, padded to 4 bytes; a record never
 * wraps — when the end has no room it starts again at the beginning. Handles are absolute byte offsets into
 * `bytes`/`view`, so the hot path makes no views. A full ring refuses a claim with -1 and counts it.
 */
import { RingError } from "./errors.js";
import type { Region } from "./arena.js";

const HEADER = 4;
/** Header value that tells the reader the rest of the ring's end is unused: continue at the start. */
const WRAP = 0xffffffff;

function padded(length: number): number {
  return (HEADER + length + 3) & ~3;
}

export class RingAllocator {
  /** The bytes the handles index (the arena's whole buffer). */
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Absolute offset of the ring's first byte and its size (a multiple of 4). */
  readonly base: number;
  readonly capacity: number;
  #head = 0;
  #tail = 0;
  #count = 0;
  #claimAt = -1;
  #claimLength = 0;
  #claimWraps = false;
  /** Claims refused because the ring was full. */
  refused = 0;
  committed = 0;
  released = 0;

  constructor(region: Region) {
    const start = (region.offset + 3) & ~3;
    this.capacity = (region.offset + region.length - start) & ~3;
    if (this.capacity < HEADER * 2) throw new RingError("bad-size", `region "${region.name}" is too small for a ring`);
    this.bytes = region.bytes;
    this.view = region.view;
    this.base = start;
  }

  /** The largest payload one record can hold. */
  get maxRecordBytes(): number {
    return this.capacity - HEADER;
  }

  get count(): number {
    return this.#count;
  }

  /**
   * Lends space for a record of up to `length` bytes: returns the absolute offset to write the payload at, or -1
   * (counted in `refused`) when the ring is full. Finish with commit(); one claim at a time.
   */
  claim(length: number): number {
    if (this.#claimAt >= 0) throw new RingError("claim-pending", "a claim is already open: commit() or cancel() it first");
    if (length > this.maxRecordBytes || length < 0) {
      throw new RingError("too-large", `a record of ${length} bytes can never fit this ring (at most ` +
        `${this.maxRecordBytes}): make the ring larger or split the record`);
    }
    if (this.#count === 0) {
      this.#head = 0;
      this.#tail = 0;
    }
    const need = padded(length);
    let at = -1;
    let wraps = false;
    if (this.#count === 0 || this.#head > this.#tail) {
      if (this.capacity - this.#head >= need) at = this.#head;
      else if (this.#tail >= need && this.#count > 0) {
        at = 0;
        wraps = true;
      }
    } else if (this.#tail - this.#head >= need) {
      at = this.#head;
    }
    if (at < 0) {
      this.refused++;
      return -1;
    }
    this.#claimAt = at;
    this.#claimLength = length;
    this.#claimWraps = wraps;
    return this.base + at + HEADER;
  }

  /** Publishes the open claim as a record of `length` bytes (≤ the claimed length). */
  commit(length: number): void {
    if (this.#claimAt < 0) throw new RingError("no-claim", "commit() without claim(): claim space first");
    if (length > this.#claimLength || length < 0) {
      throw new RingError("commit-exceeds-claim", `commit of ${length} bytes exceeds the ${this.#claimLength} claimed: ` +
        "claim the larger size");
    }
    if (this.#claimWraps && this.capacity - this.#head >= HEADER) this.view.setUint32(this.base + this.#head, WRAP, true);
    this.view.setUint32(this.base + this.#claimAt, length, true);
    this.#head = this.#claimAt + padded(length);
    this.#claimAt = -1;
    this.#count++;
    this.committed++;
  }

  /** Abandons the open claim; nothing is published. */
  cancel(): void {
    this.#claimAt = -1;
  }

  #skipWrap(): void {
    if (this.capacity - this.#tail < HEADER || this.view.getUint32(this.base + this.#tail, true) === WRAP) this.#tail = 0;
  }

  /** Absolute offset of the oldest record's payload, or -1 when the ring is empty. */
  peek(): number {
    if (this.#count === 0) return -1;
    this.#skipWrap();
    return this.base + this.#tail + HEADER;
  }

  /** Payload length of the oldest record, or -1 when the ring is empty. */
  peekLength(): number {
    if (this.#count === 0) return -1;
    this.#skipWrap();
    return this.view.getUint32(this.base + this.#tail, true);
  }

  /** Frees the oldest record; `offset` must be what peek() returned for it. */
  release(offset: number): void {
    if (this.#count === 0) throw new RingError("empty", "release() on an empty ring: peek() returns -1 when empty");
    this.#skipWrap();
    const oldest = this.base + this.#tail + HEADER;
    if (offset !== oldest) {
      throw new RingError("release-out-of-order", `release(${offset}) but the oldest record is at ${oldest}: ` +
        "records are released oldest first, in the order peek() returns them");
    }
    this.#tail += padded(this.view.getUint32(this.base + this.#tail, true));
    this.#count--;
    this.released++;
    if (this.#count === 0) {
      this.#head = 0;
      this.#tail = 0;
    }
  }

  /** Bytes held by records, their headers and padding, and any end skipped by a wrap. */
  get usedBytes(): number {
    if (this.#count === 0) return 0;
    return this.#head > this.#tail ? this.#head - this.#tail : this.capacity - this.#tail + this.#head;
  }
}
