/**
 * Where outgoing PUBLISH packets wait: a fixed ring of encoded packets not yet sent, and a fixed window of QoS 1
 * packets sent and not yet acknowledged. Every buffer is made once; a packet moves from the ring to the window by
 * swapping buffers, never by copying or allocating. When the ring is full, the newest publish is refused and counted.
 */
import { encodePublishOn, markDuplicate } from "./encode.js";
import { PacketId } from "./packet.js";

/**
 * Publishes not sent, by reason: the ring full; larger than a slot or the configured limit; dropped after the broker
 * closed the connection on it twice in a row; at least as large as such a packet (and larger than any the broker
 * acknowledged), so not offered to the broker again.
 */
export const DropReason = Object.freeze({ queueFull: 0, tooLarge: 1, brokerRefused: 2, brokerLimit: 3 });
export const DROP_REASON_NAMES: readonly string[] = Object.freeze(["queue-full", "too-large", "broker-refused", "broker-limit"]);
/** The identifier SUBSCRIBE uses (of its first filter), kept out of PUBLISH's range. */
export const SUBSCRIBE_ID = PacketId.subscribe;

export class Outbox {
  /** Publishes not sent, by DropReason. */
  readonly dropped = new Uint32Array(DROP_REASON_NAMES.length);
  /** Packets longer than this are refused (too-large); at most a slot's size. */
  limitBytes: number;
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
  /** The order window packets were first sent in (1, 2, …): they go again in that order after a reconnect (§4.6). */
  readonly windowSeq: Float64Array;
  #seq = 0;
  #nextId = 1;

  constructor(queueLength: number, windowLength: number, readonly maxPacketBytes: number, limitBytes = maxPacketBytes) {
    for (let i = 0; i < queueLength; i++) this.#queue.push(new Uint8Array(maxPacketBytes));
    for (let i = 0; i < windowLength; i++) this.#window.push(new Uint8Array(maxPacketBytes));
    this.#queueLength = new Int32Array(queueLength);
    this.#queueIdAt = new Int32Array(queueLength);
    this.#windowLength = new Int32Array(windowLength);
    this.windowIds = new Uint16Array(windowLength);
    this.windowSentAt = new Float64Array(windowLength);
    this.windowSeq = new Float64Array(windowLength);
    this.limitBytes = Math.min(limitBytes, maxPacketBytes);
  }

  get queued(): number {
    return this.#count;
  }

  /** Ring slots free. */
  get room(): number {
    return this.#queue.length - this.#count;
  }

  get inFlight(): number {
    let n = 0;
    for (let i = 0; i < this.windowIds.length; i++) if (this.windowIds[i] !== 0) n++;
    return n;
  }

  /**
   * Encodes a PUBLISH on topic[topicStart .. +topicLength) at the back of the ring; false (counted) when the ring is
   * full or the packet larger than `limitBytes`.
   */
  tryEnqueue(topic: Uint8Array, topicStart: number, topicLength: number, payload: Uint8Array, start: number, length: number,
    qos: number, retain: boolean): boolean {
    if (this.#count === this.#queue.length) return this.#refuse(DropReason.queueFull);
    const index = (this.#head + this.#count) % this.#queue.length;
    const buffer = this.#queue[index] ?? new Uint8Array(0);
    const end = encodePublishOn(buffer, 0, topic, topicStart, topicLength, payload, start, length, qos > 0 ? 1 : 0, retain, 0xffff);
    if (end < 0 || end > this.limitBytes) return this.#refuse(DropReason.tooLarge);
    this.#queueLength[index] = end;
    this.#queueIdAt[index] = qos > 0 ? end - length - 2 : -1;
    this.#count++;
    return true;
  }

  #refuse(reason: number): boolean {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + 1;
    return false;
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

  /** Removes the front packet (a QoS 0 packet, once written). */
  pop(): void {
    if (this.#count === 0) return;
    this.#head = (this.#head + 1) % this.#queue.length;
    this.#count--;
  }

  /** Removes the front packet unsent and counts it under `reason`. */
  dropFront(reason: number): void {
    this.pop();
    this.#refuse(reason);
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
    this.windowSeq[slot] = ++this.#seq;
    this.pop();
    return slot;
  }

  /** An identifier not in the window (§2.3.1: unique among unacknowledged packets), in 1 … PacketId.lastPublish. */
  #freshId(): number {
    for (;;) {
      const id = this.#nextId;
      this.#nextId = id === PacketId.lastPublish ? 1 : id + 1;
      if (this.windowIds.indexOf(id) < 0) return id;
    }
  }

  windowPacket(slot: number): Uint8Array | undefined {
    return this.#window[slot];
  }

  windowLength(slot: number): number {
    return this.#windowLength[slot] ?? 0;
  }

  /** The occupied slot sent first after `afterSeq` (0: the oldest), or -1. */
  nextBySeq(afterSeq: number): number {
    let best = -1;
    for (let slot = 0; slot < this.windowIds.length; slot++) {
      const seq = this.windowSeq[slot] ?? 0;
      if (this.windowIds[slot] !== 0 && seq > afterSeq && (best < 0 || seq < (this.windowSeq[best] ?? 0))) best = slot;
    }
    return best;
  }

  /** Marks a window packet as a retransmission (DUP) sent at `nowMs`. */
  resend(slot: number, nowMs: number): void {
    const buffer = this.#window[slot];
    if (buffer !== undefined) markDuplicate(buffer, 0);
    this.windowSentAt[slot] = nowMs;
  }

  /** Frees the window slot of `id`; returns the slot, or -1 when no packet in flight has it. */
  acknowledge(id: number): number {
    const slot = id === 0 ? -1 : this.windowIds.indexOf(id);
    if (slot >= 0) this.windowIds[slot] = 0;
    return slot;
  }

  /** Frees a window slot unacknowledged, counting the packet under `reason`. */
  discard(slot: number, reason: number): void {
    if (this.windowIds[slot] === 0) return;
    this.windowIds[slot] = 0;
    this.#refuse(reason);
  }
}
