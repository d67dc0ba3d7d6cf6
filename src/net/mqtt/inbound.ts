/**
 * The client's receive side: bytes from the broker gathered in one buffer made once and decoded packet by packet.
 * A packet larger than the buffer is not a reason to close the connection — its head (a PUBLISH's topic and packet
 * identifier) is read, then the rest is read through and discarded as it arrives.
 */
import { decodePacket, decodePublishHead } from "./decode.js";
import { Decoded, MqttError, MqttPacket } from "./packet.js";

/** Where decoded packets go; each returns false once the connection has been closed (draining stops). */
export interface InboundHandler {
  packet(packet: MqttPacket, nowMs: number): boolean;
  /** A packet too large to hold; `headKnown`: a PUBLISH whose topic and identifier are in `packet`. */
  oversized(packet: MqttPacket, headKnown: boolean, nowMs: number): boolean;
  /** A packet that breaks the specification, by MqttError: the connection must close. */
  malformed(reason: number, nowMs: number): void;
}

export class Inbound {
  readonly bytes: Uint8Array;
  readonly packet = new MqttPacket();
  #length = 0;
  /** Bytes of an oversized packet still to arrive and be discarded. */
  #skip = 0;
  #open = false;
  #draining = false;

  constructor(capacity: number, readonly handler: InboundHandler) {
    this.bytes = new Uint8Array(capacity);
  }

  /** A new connection: nothing buffered. */
  open(): void {
    this.#length = 0;
    this.#skip = 0;
    this.#open = true;
  }

  close(): void {
    this.#open = false;
    this.#length = 0;
    this.#skip = 0;
  }

  /** Bytes from the broker, in order. */
  take(bytes: Uint8Array, start: number, length: number, nowMs: number): void {
    const buffer = this.bytes;
    let i = 0;
    while (i < length && this.#open) {
      if (this.#skip > 0) {
        const skipped = Math.min(this.#skip, length - i);
        this.#skip -= skipped;
        i += skipped;
        continue;
      }
      const room = buffer.length - this.#length;
      if (room === 0) return this.#malformed(MqttError.oversized, nowMs); // cannot happen: a full buffer decodes
      const take = Math.min(room, length - i);
      for (let k = 0; k < take; k++) buffer[this.#length + k] = bytes[start + i + k] ?? 0;
      this.#length += take;
      i += take;
      // A reply that arrives while a packet is being handled (a transport that answers at once) is only appended:
      // the drain under way reaches it.
      if (!this.#draining) this.#drain(nowMs);
    }
  }

  #drain(nowMs: number): void {
    this.#draining = true;
    try {
      const buffer = this.bytes;
      let at = 0;
      while (at < this.#length) {
        const taken = decodePacket(buffer, at, this.#length - at, this.packet, buffer.length);
        if (taken === Decoded.needMore) break;
        if (taken === Decoded.error) {
          if (this.packet.error !== MqttError.oversized) return this.#malformed(this.packet.error, nowMs);
          const head = decodePublishHead(buffer, at, this.#length - at, this.packet, buffer.length);
          if (head === Decoded.needMore) break; // its topic and identifier are still arriving (and will fit)
          if (!this.handler.oversized(this.packet, head > 0, nowMs)) return;
          this.#skip = this.packet.length - (this.#length - at);
          this.#length = at;
          break;
        }
        at += taken;
        if (!this.handler.packet(this.packet, nowMs)) return;
      }
      buffer.copyWithin(0, at, this.#length);
      this.#length -= at;
    } finally {
      this.#draining = false;
    }
  }

  #malformed(reason: number, nowMs: number): void {
    this.close();
    this.handler.malformed(reason, nowMs);
  }
}
