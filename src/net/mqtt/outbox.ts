/**
 * Where outgoing PUBLISH packets wait: a fixed ring of encoded packets not yet sent, and a fixed window of QoS 1
 * packets sent and not yet acknowledged. Every buffer is made once; a packet moves from the ring to the window by
 * swapping buffers, never by copying or allocating. When the ring is full, the newest publish is refused and counted.
 */
import { encodePublish, markDuplicate } from "./encode.js";

export const DropReason = Object.freeze({ queueFull: 0, tooLarge: 1 });
/** The identifier SUBSCRIBE uses, kept out of PUBLISH's range so the two never collide after a reconnect. */
export const SUBSCRIBE_ID = 65535;
export const DROP_REASON_NAMES: readonly string[] = Object.freeze(["queue-full", "too-large"]);

export class Outbox {
  /** Refused publishes by DropReason. */
  readonly dropped = new Uint32Array(2);
  readonly #queue: Uint8Array[] = [];
  readonly #queueLength: Int32Array;
  /** Offset of the packet identifier in a queued QoS 1 packet; -1 at QoS 0. */
  readonly #queueIdAt: Int32Array;
  #head = 0;
  #count = 0;
  readonly #window: Uint8Array[] = [];
  readonly #windowLength: Int32Array;
  /** Packet identifier of each window slot; 0 when free. */
  readonly windowIds: Uint16Array;
  readonly windowSentAt: Float64Array;
  #nextId = 1;

  constructor(queueLength: number, windowLength: number, readonly maxPacketBytes: number) {
    for (let i = 0; i < queueLength; i++) this.#queue.push(new Uint8Array(maxPacketBytes));
    for (let i = 0; i < windowLength; i++) this.#window.push(new Uint8Array(maxPacketBytes));
    this.#queueLength = new Int32Array(queueLength);
    this.#queueIdAt = new Int32Array(queueLength);
    this.#windowLength = new Int32Array(windowLength);
    this.windowIds = new Uint16Array(windowLength);
    this.windowSentAt = new Float64Array(windowLength);
  }

  get queued(): number {
    return this.#count;
  }

  get inFlight(): number {
    let n = 0;
    for (let i = 0; i < this.windowIds.length; i++) if (this.windowIds[i] !== 0) n++;
    return n;
  }

  /** Encodes a PUBLISH at the back of the ring; false (counted) when the ring is full or the packet too large. */
  tryEnqueue(topic: Uint8Array, payload: Uint8Array, start: number, length: number, qos: number): boolean {
    if (this.#count === this.#queue.length) {
      this.dropped[DropReason.queueFull] = (this.dropped[DropReason.queueFull] ?? 0) + 1;
      return false;
    }
    const index = (this.#head + this.#count) % this.#queue.length;
    const buffer = this.#queue[index] ?? new Uint8Array(0);
    const end = encodePublish(buffer, 0, topic, payload, start, length, qos > 0 ? 1 : 0, false, 0xffff);
    if (end < 0) {
      this.dropped[DropReason.tooLarge] = (this.dropped[DropReason.tooLarge] ?? 0) + 1;
      return false;
    }
    this.#queueLength[index] = end;
    this.#queueIdAt[index] = qos > 0 ? end - length - 2 : -1;
    this.#count++;
    return true;
  }

  /** The front packet's bytes, or undefined when the ring is empty. */
  front(): Uint8Array | undefined {
    return this.#count === 0 ? undefined : this.#queue[this.#head];
  }

  frontLength(): number {
    return this.#queueLength[this.#head] ?? 0;
  }

  frontIsQos1(): boolean {
    return (this.#queueIdAt[this.#head] ?? -1) >= 0;
  }

  /** Drops the front packet (a QoS 0 packet, once written). */
  pop(): void {
    if (this.#count === 0) return;
    this.#head = (this.#head + 1) % this.#queue.length;
    this.#count--;
  }

  /**
   * Moves the front QoS 1 packet into a free window slot with a fresh identifier; returns the slot, or -1 when the
   * window is full (the packet stays queued).
   */
  admitFront(nowMs: number): number {
    const slot = this.windowIds.indexOf(0);
    if (slot < 0 || this.#count === 0) return -1;
    const id = this.#freshId();
    const buffer = this.#queue[this.#head] ?? new Uint8Array(0);
    const at = this.#queueIdAt[this.#head] ?? 0;
    buffer[at] = id >> 8;
    buffer[at + 1] = id & 255;
    this.#queue[this.#head] = this.#window[slot] ?? buffer;
    this.#window[slot] = buffer;
    this.#windowLength[slot] = this.#queueLength[this.#head] ?? 0;
    this.windowIds[slot] = id;
    this.windowSentAt[slot] = nowMs;
    this.pop();
    return slot;
  }

  /**
   * An identifier not in the window (§2.3.1: unique among unacknowledged packets), never 0, never SUBSCRIBE_ID.
   */
  #freshId(): number {
    for (;;) {
      const id = this.#nextId;
      this.#nextId = id === SUBSCRIBE_ID - 1 ? 1 : id + 1;
      if (this.windowIds.indexOf(id) < 0) return id;
    }
  }

  windowPacket(slot: number): Uint8Array | undefined {
    return this.#window[slot];
  }

  windowLength(slot: number): number {
    return this.#windowLength[slot] ?? 0;
  }

  /** Marks a window packet as a retransmission (DUP) sent at `nowMs`. */
  resend(slot: number, nowMs: number): void {
    const buffer = this.#window[slot];
    if (buffer !== undefined) markDuplicate(buffer, 0);
    this.windowSentAt[slot] = nowMs;
  }

  /** Frees the window slot of `id`; false when no packet in flight has it. */
  acknowledge(id: number): boolean {
    const slot = this.windowIds.indexOf(id);
    if (slot < 0 || id === 0) return false;
    this.windowIds[slot] = 0;
    return true;
  }
}
