/**
 * BoundedQueue: a fixed-capacity FIFO of numbers (values or handles such as ring offsets). The method says what
 * happens when full: tryPush refuses and counts the drop; pushOverwrite drops the oldest ("latest value wins",
 * heapless's HistoryBuf) and counts it. Nothing allocates after construction. The append is written out in both
 * push methods: on XS every call is interpreted, and this is the hot path.
 */
import { QueueError } from "./errors.js";

export class BoundedQueue {
  readonly capacity: number;
  readonly #items: Float64Array;
  #head = 0;
  #length = 0;
  /** Items refused by tryPush because the queue was full. */
  dropped = 0;
  /** Oldest items pushed out by pushOverwrite. */
  overwritten = 0;
  peakLength = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) {
      throw new QueueError("bad-capacity", `queue capacity must be a positive whole number, got ${capacity}`);
    }
    this.capacity = capacity;
    this.#items = new Float64Array(capacity);
  }

  get length(): number {
    return this.#length;
  }

  /** Appends `value`, or returns false and counts the drop when full. */
  tryPush(value: number): boolean {
    if (this.#length === this.capacity) {
      this.dropped++;
      return false;
    }
    let at = this.#head + this.#length;
    if (at >= this.capacity) at -= this.capacity;
    this.#items[at] = value;
    if (++this.#length > this.peakLength) this.peakLength = this.#length;
    return true;
  }

  /** Appends `value`; when full, the oldest item is dropped (counted). Returns true if one was. */
  pushOverwrite(value: number): boolean {
    const full = this.#length === this.capacity;
    if (full) {
      this.#head = this.#head + 1 === this.capacity ? 0 : this.#head + 1;
      this.#length--;
      this.overwritten++;
    }
    let at = this.#head + this.#length;
    if (at >= this.capacity) at -= this.capacity;
    this.#items[at] = value;
    if (++this.#length > this.peakLength) this.peakLength = this.#length;
    return full;
  }

  /** The oldest item; throws on an empty queue (check `length` first). */
  peek(): number {
    if (this.#length === 0) throw new QueueError("empty", "peek() on an empty queue: check length first");
    return this.#items[this.#head] ?? 0;
  }

  /** Removes and returns the oldest item; throws on an empty queue (check `length` first). */
  shift(): number {
    if (this.#length === 0) throw new QueueError("empty", "shift() on an empty queue: check length first");
    const value = this.#items[this.#head] ?? 0;
    this.#head = this.#head + 1 === this.capacity ? 0 : this.#head + 1;
    this.#length--;
    return value;
  }

  /** The i-th oldest item (0 = oldest), for windows that read without removing. */
  at(index: number): number {
    if (index < 0 || index >= this.#length) return Number.NaN;
    let at = this.#head + index;
    if (at >= this.capacity) at -= this.capacity;
    return this.#items[at] ?? Number.NaN;
  }

  clear(): void {
    this.#head = 0;
    this.#length = 0;
  }
}
