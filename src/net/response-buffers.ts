/**
 * Response buffers shared by a connection service's slots: made once, lent to a slot while it writes and sends a
 * response, given back when the host has sent it. A free-list of indexes, so lending and taking back allocate nothing.
 */
export class ResponseBuffers {
  readonly #buffers: Uint8Array[] = [];
  readonly #free: Int32Array;
  #freeCount: number;
  /** The buffer each slot holds, -1 for none. */
  readonly #held: Int32Array;

  constructor(count: number, bytes: number, slots: number) {
    for (let i = 0; i < count; i++) this.#buffers.push(new Uint8Array(bytes));
    this.#free = new Int32Array(count);
    for (let i = 0; i < count; i++) this.#free[i] = count - 1 - i;
    this.#freeCount = count;
    this.#held = new Int32Array(slots).fill(-1);
  }

  /** Buffers lent now. */
  get outstanding(): number {
    return this.#buffers.length - this.#freeCount;
  }

  /** The buffer `slot` holds, else a free one lent to it; undefined when none is free. */
  lend(slot: number): Uint8Array | undefined {
    const held = this.#held[slot] ?? -1;
    if (held >= 0) return this.#buffers[held];
    if (this.#freeCount === 0) return undefined;
    const index = this.#free[--this.#freeCount] ?? 0;
    this.#held[slot] = index;
    return this.#buffers[index];
  }

  /** Takes back the buffer `slot` holds, if any. */
  takeBack(slot: number): void {
    const held = this.#held[slot] ?? -1;
    if (held < 0) return;
    this.#held[slot] = -1;
    this.#free[this.#freeCount++] = held;
  }
}
