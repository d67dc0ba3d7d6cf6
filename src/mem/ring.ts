/**
 * RingAllocator: variable-size FIFO records in a fixed region (after Zephyr's ring_buffer put_claim/put_finish,
 * get_claim/get_finish). A record is a 4-byte length header and its payload, padded to 4 bytes; a record never
 * wraps — when the end has no room it starts again at the beginning. Handles are absolute byte offsets into
 * `bytes`/`view`, so the hot path makes no views. A full ring refuses with -1 and counts it.
 *
 * Two ways in: claim()/commit() lends space and publishes what was written (the record may end up shorter), and
 * tryAppend() does both at once for a record whose size is known. Out: peek()/`oldest`, then release().
 *
 * Costs on XS set the shape (each field access and call is interpreted): positions are absolute, the contiguous room
 * at the head is one field, validation folds into the "does it fit" test, and the oldest record's offset and length
 * live in fields, so a record appended to an empty ring needs no header write and releasing it no header read. The
 * helpers are static functions rather than private methods.
 */
import { RingError } from "./errors.js";
import type { Region } from "./arena.js";

const HEADER = 4;
/** Header value that tells the reader the rest of the ring's end is unused: continue at the start. */
const WRAP = 0xffffffff;

/** Header and payload rounded up to 4 bytes; 0 for NaN, which the slow paths then reject. */
function padded(length: number): number {
  return (length + HEADER + 3) & ~3;
}

/** How `oldest` is written inside the class while the type shows it read-only. */
interface Cursor {
  oldest: number;
}

export class RingAllocator {
  /** Absolute offset of the oldest record's payload, or -1 when the ring is empty: what peek() returns. First, as
   * the field consumers read most. */
  readonly oldest: number = -1;
  /** Contiguous free bytes at the head; -1 while a claim is open, so the fast paths fall through to the checks. */
  #room: number;
  /** Absolute offsets of where the next record goes and where the oldest starts. */
  #head: number;
  #tail: number;
  #committed = 0;
  #released = 0;
  /** The oldest record's payload length: its header is not written when it went into an empty ring. */
  #oldestLength = 0;
  /** Header words indexed by absolute offset ÷ 4 (native byte order: only this class reads them). */
  readonly #headers: Uint32Array;
  /** Absolute offset just past the ring. */
  readonly #end: number;
  #claimAt = -1;
  #claimLength = 0;
  #claimWraps = false;
  /** The room at the head while a claim holds #room at -1. */
  #claimRoom = 0;
  /** The bytes the handles index (the arena's whole buffer). */
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Absolute offset of the ring's first byte and its size (a multiple of 4). */
  readonly base: number;
  readonly capacity: number;
  /** Claims and appends refused because the ring was full. */
  refused = 0;

  constructor(region: Region) {
    if (region.bytes.byteOffset % 4 !== 0) {
      throw new RingError("bad-size", `region "${region.name}" lies in bytes that start at ${region.bytes.byteOffset} in ` +
        "their buffer: carve rings from a StaticArena, whose bytes start at 0");
    }
    const start = (region.offset + 3) & ~3;
    this.capacity = (region.offset + region.length - start) & ~3;
    if (this.capacity < HEADER * 2) throw new RingError("bad-size", `region "${region.name}" is too small for a ring`);
    this.bytes = region.bytes;
    this.view = region.view;
    this.base = start;
    this.#head = this.#tail = start;
    this.#end = start + this.capacity;
    this.#room = this.capacity;
    this.#headers = new Uint32Array(region.bytes.buffer, region.bytes.byteOffset, this.#end >> 2);
  }

  /** The largest payload one record can hold. */
  get maxRecordBytes(): number {
    return this.capacity - HEADER;
  }

  /** Records held. */
  get count(): number {
    return this.#committed - this.#released;
  }

  /** Records published (by commit() or tryAppend()) since the ring was made. */
  get committed(): number {
    return this.#committed;
  }

  /** Records released since the ring was made. */
  get released(): number {
    return this.#released;
  }

  /**
   * Reserves and publishes a record of exactly `length` bytes in one call (claim and commit fused): returns the
   * absolute offset to write the payload at, or -1 (counted in `refused`) when the ring is full. The record is
   * visible to peek() at once, so fill it before anything reads the ring. Throws while a claim is open.
   */
  tryAppend(length: number): number {
    const need = (length + HEADER + 3) & ~3; // padded(), inline: a call costs more than the rest of the path
    if (need > this.#room || !(length >= 0)) return RingAllocator.#appendSlow(this, length, need);
    const at = this.#head;
    this.#head = at + need;
    this.#room -= need;
    if (this.#committed++ === this.#released) {
      this.#oldestLength = length;
      return ((this as Cursor).oldest = at + HEADER);
    }
    this.#headers[at >> 2] = length;
    return at + HEADER;
  }

  /** tryAppend when the head has no room: wraps to the start, refuses, or reports misuse. */
  static #appendSlow(ring: RingAllocator, length: number, need: number): number {
    if (ring.#claimAt >= 0) throw new RingError("claim-pending", "tryAppend() while a claim is open: commit() or cancel() it first");
    if (RingAllocator.#fit(ring, length, need) < 0) return -1;
    RingAllocator.#wrapHead(ring);
    return ring.tryAppend(length);
  }

  /**
   * Where a record of `need` bytes can start, or -1 counted in `refused`; throws for a length no ring of this size can
   * hold. Changes nothing else.
   */
  static #fit(ring: RingAllocator, length: number, need: number): number {
    if (!(length >= 0 && length <= ring.capacity - HEADER)) {
      throw new RingError("too-large", `a record of ${length} bytes can never fit this ring (at most ` +
        `${ring.maxRecordBytes}): make the ring larger or split the record`);
    }
    if (need <= ring.#room) return ring.#head;
    if (ring.#head > ring.#tail && ring.#tail - ring.base >= need) return ring.base;
    ring.refused++;
    return -1;
  }

  /** Leaves the rest of the end unused (marked, when a header fits there) and continues at the start. */
  static #wrapHead(ring: RingAllocator): void {
    if (ring.#end - ring.#head >= HEADER) ring.#headers[ring.#head >> 2] = WRAP;
    ring.#head = ring.base;
    ring.#room = ring.#tail - ring.base;
  }

  /**
   * Lends space for a record of up to `length` bytes: returns the absolute offset to write the payload at, or -1
   * (counted in `refused`) when the ring is full. Finish with commit(); one claim at a time.
   */
  claim(length: number): number {
    if (this.#claimAt >= 0) throw new RingError("claim-pending", "a claim is already open: commit() or cancel() it first");
    const at = RingAllocator.#fit(this, length, padded(length));
    if (at < 0) return -1;
    this.#claimAt = at;
    this.#claimLength = length;
    this.#claimWraps = at !== this.#head;
    this.#claimRoom = this.#room;
    this.#room = -1;
    return at + HEADER;
  }

  /** Publishes the open claim as a record of `length` bytes (≤ the claimed length). */
  commit(length: number): void {
    if (this.#claimAt < 0) throw new RingError("no-claim", "commit() without claim(): claim space first");
    if (!(length >= 0 && length <= this.#claimLength)) {
      throw new RingError("commit-exceeds-claim", `commit of ${length} bytes exceeds the ${this.#claimLength} claimed: ` +
        "claim the larger size");
    }
    const at = this.#claimAt;
    const need = (length + HEADER + 3) & ~3; // padded(), inline as in tryAppend
    this.#claimAt = -1;
    this.#room = this.#claimRoom;
    if (this.#committed++ === this.#released) {
      // Empty, perhaps emptied while the claim was open: the record starts the ring where it was claimed.
      this.#tail = at;
      this.#head = at + need;
      this.#room = this.#end - this.#head;
      this.#oldestLength = length;
      (this as Cursor).oldest = at + HEADER;
      return;
    }
    if (this.#claimWraps) RingAllocator.#wrapHead(this);
    this.#head = at + need;
    this.#room -= need;
    this.#headers[at >> 2] = length;
  }

  /** Abandons the open claim; nothing is published. */
  cancel(): void {
    if (this.#claimAt < 0) return;
    this.#claimAt = -1;
    this.#room = this.#claimRoom;
    if (this.#committed === this.#released) { // emptied while the claim was open: start again at the beginning
      this.#head = this.#tail = this.base;
      this.#room = this.capacity;
    }
  }

  /** Absolute offset of the oldest record's payload, or -1 when the ring is empty (the `oldest` field, as a call). */
  peek(): number {
    return this.oldest;
  }

  /** Payload length of the oldest record, or -1 when the ring is empty. */
  peekLength(): number {
    return this.oldest < 0 ? -1 : this.#oldestLength;
  }

  /** Frees the oldest record; `offset` must be `oldest`, what peek() returned for it. */
  release(offset: number): void {
    // One test covers misuse (wrong or -1 offset) and an open claim (room -1), both on the slower path.
    if (offset !== this.oldest || (offset | this.#room) < 0) return RingAllocator.#releaseSlow(this, offset);
    if (++this.#released === this.#committed) {
      this.#head = this.#tail = this.base;
      this.#room = this.capacity;
      (this as Cursor).oldest = -1;
      return;
    }
    RingAllocator.#advanceTail(this);
  }

  /** release() on misuse, or while a claim is open (its place and the room it saw must survive). */
  static #releaseSlow(ring: RingAllocator, offset: number): void {
    if (ring.oldest < 0) throw new RingError("empty", "release() on an empty ring: peek() returns -1 when empty");
    if (offset !== ring.oldest) {
      throw new RingError("release-out-of-order", `release(${offset}) but the oldest record is at ${ring.oldest}: ` +
        "records are released oldest first, in the order peek() returns them");
    }
    if (++ring.#released === ring.#committed) {
      ring.#tail = ring.#head;
      (ring as Cursor).oldest = -1;
      return;
    }
    RingAllocator.#advanceTail(ring);
  }

  /** Moves past the released record (and a wrapped end) to the next, whose header was written when it went in. */
  static #advanceTail(ring: RingAllocator): void {
    let tail = ring.#tail + padded(ring.#oldestLength);
    if (ring.#end - tail < HEADER || ring.#headers[tail >> 2] === WRAP) tail = ring.base;
    ring.#tail = tail;
    ring.#oldestLength = ring.#headers[tail >> 2] ?? 0;
    (ring as Cursor).oldest = tail + HEADER;
    const room = ring.#head <= tail ? tail - ring.#head : ring.#end - ring.#head;
    if (ring.#room < 0) ring.#claimRoom = room;
    else ring.#room = room;
  }

  /** Bytes held by records, their headers and padding, and any end skipped by a wrap. */
  get usedBytes(): number {
    if (this.oldest < 0) return 0;
    return this.#head > this.#tail ? this.#head - this.#tail : this.#end - this.#tail + this.#head - this.base;
  }
}
