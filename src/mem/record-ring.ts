/**
 * RecordRing: a FIFO of fixed-size records in a fixed store, for interrupt records (an alert's status and registers, an
 * accelerometer frame). Capacity counts records: a ring made for 32 five-byte alerts holds 32 of them, with no header
 * or padding per record (RingAllocator's variable-size records cost 12 bytes for a 5-byte alert). Records are lent in
 * place, after Zephyr's ring_buffer: claim() a slot, fill it, commit(); peek() the oldest, read it, release(). Handles
 * are absolute byte offsets into `bytes`, so nothing makes a view. A full ring refuses (-1, counted in `refused`): the
 * records already queued are kept, the new one is the one lost.
 */
import type { Region } from "./arena.js";
import { RingError } from "./errors.js";

/** How `oldest` is written inside the class while the type shows it read-only. */
interface Cursor {
  oldest: number;
}

export class RecordRing {
  /** Absolute offset of the oldest record, or -1 when the ring is empty: what peek() returns. */
  readonly oldest: number = -1;
  /** Records it holds at most. */
  readonly capacity: number;
  readonly recordBytes: number;
  /** The bytes the handles index; record slots lie at base + k · recordBytes. */
  readonly bytes: Uint8Array;
  readonly base: number;
  /** Claims and pushes refused because the ring was full. */
  refused = 0;
  /** Records published since the ring was made, and released. */
  committed = 0;
  released = 0;
  /** Most records held at once. */
  peakCount = 0;
  /** Absolute offset just past the last slot. */
  readonly #end: number;
  /** Where the next record goes. */
  #head: number;
  #count = 0;
  #claimed = false;

  /** The bytes a ring of `records` records of `recordBytes` bytes needs, to carve its region. */
  static bytesFor(records: number, recordBytes: number): number {
    return records * recordBytes;
  }

  /**
   * A ring of `records` records of `recordBytes` bytes each, in `region` (at least bytesFor() long) or, without one,
   * in bytes of its own.
   */
  constructor(records: number, recordBytes: number, region?: Region) {
    if (!Number.isInteger(records) || records < 1 || !Number.isInteger(recordBytes) || recordBytes < 1) {
      throw new RingError("bad-size", `a record ring needs whole numbers ≥ 1 of records and bytes per record, got ${records} × ${recordBytes}`);
    }
    const need = records * recordBytes;
    if (region !== undefined && region.length < need) {
      throw new RingError("bad-size", `region "${region.name}" holds ${region.length} bytes; ${records} records of ` +
        `${recordBytes} bytes need ${need}: carve RecordRing.bytesFor(${records}, ${recordBytes})`);
    }
    this.capacity = records;
    this.recordBytes = recordBytes;
    this.bytes = region === undefined ? new Uint8Array(need) : region.bytes;
    this.base = region === undefined ? 0 : region.offset;
    this.#head = this.base;
    this.#end = this.base + need;
  }

  /** Records held. */
  get count(): number {
    return this.#count;
  }

  /** Room for this many more records. */
  get free(): number {
    return this.capacity - this.#count;
  }

  /**
   * Lends the next free slot: returns its absolute offset to write the record at, or -1 (counted in `refused`) when
   * the ring is full. Finish with commit() or cancel(); one claim at a time.
   */
  claim(): number {
    if (this.#claimed) throw new RingError("claim-pending", "a claim is already open: commit() or cancel() it first");
    if (this.#count === this.capacity) {
      this.refused++;
      return -1;
    }
    this.#claimed = true;
    return this.#head;
  }

  /** Publishes the claimed slot as the newest record. */
  commit(): void {
    if (!this.#claimed) throw new RingError("no-claim", "commit() without claim(): claim a slot first");
    this.#claimed = false;
    RecordRing.#publish(this);
  }

  /** Abandons the open claim; nothing is published. */
  cancel(): void {
    this.#claimed = false;
  }

  /**
   * Copies one record from `source` at `offset` (recordBytes bytes) into the ring; false (counted in `refused`) when
   * it is full.
   */
  tryPush(source: Uint8Array, offset: number): boolean {
    if (this.#claimed) throw new RingError("claim-pending", "tryPush() while a claim is open: commit() or cancel() it first");
    if (this.#count === this.capacity) {
      this.refused++;
      return false;
    }
    const bytes = this.bytes;
    const at = this.#head;
    for (let i = 0; i < this.recordBytes; i++) bytes[at + i] = source[offset + i] ?? 0;
    RecordRing.#publish(this);
    return true;
  }

  static #publish(ring: RecordRing): void {
    const at = ring.#head;
    const next = at + ring.recordBytes;
    ring.#head = next === ring.#end ? ring.base : next;
    if (ring.#count++ === 0) (ring as Cursor).oldest = at;
    if (ring.#count > ring.peakCount) ring.peakCount = ring.#count;
    ring.committed++;
  }

  /** Absolute offset of the oldest record, or -1 when the ring is empty (the `oldest` field, as a call). */
  peek(): number {
    return this.oldest;
  }

  /** Frees the oldest record; `offset` must be `oldest`, what peek() returned for it. */
  release(offset: number): void {
    if (offset !== this.oldest || offset < 0) {
      if (this.oldest < 0) throw new RingError("empty", "release() on an empty ring: peek() returns -1 when empty");
      throw new RingError("release-out-of-order", `release(${offset}) but the oldest record is at ${this.oldest}: ` +
        "records are released oldest first, in the order peek() returns them");
    }
    this.released++;
    if (--this.#count === 0) {
      (this as Cursor).oldest = -1;
      return;
    }
    const next = offset + this.recordBytes;
    (this as Cursor).oldest = next === this.#end ? this.base : next;
  }

  /** Drops every record (counted as released). */
  clear(): void {
    this.released += this.#count;
    this.#count = 0;
    this.#claimed = false;
    (this as Cursor).oldest = -1;
  }
}
