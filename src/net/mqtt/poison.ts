/**
 * A PUBLISH the broker will not take: a broker that refuses a packet (mosquitto's `max_packet_size`, an ACL that
 * disconnects) closes the connection, and a client that sends it again after every reconnect never gets past it.
 * The packet oldest in flight when the broker closed the connection is the suspect; when the next connection dies
 * with the same one oldest, it is dropped. Its size is then learned as the broker's limit if it is larger than any
 * packet the broker has acknowledged: packets at least that large are no longer offered (each would cost two more
 * disconnects), and once a limit is learned, a packet larger than any acknowledged that the broker closes on is
 * dropped the first time (the limit lies between the two sizes).
 */
import { DropReason, type Outbox } from "./outbox.js";

export class PoisonWatch {
  /** Window packets dropped after the broker closed twice on them. */
  dropped = 0;
  /** The largest PUBLISH the broker has acknowledged, in bytes. */
  largestAcknowledged = 0;
  /** Packets this long or longer are not offered to the broker; Infinity until a limit is learned. */
  limitBytes = Infinity;
  /** Size of the last packet dropped, and whether the broker had closed on it twice (else once, past the limit), for the log. */
  lastDroppedBytes = 0;
  lastDroppedTwice = false;
  /** The suspect's send sequence (Outbox.windowSeq); 0: none. */
  #suspect = 0;

  /** A PUBACK for the packet sent `seq`-th, `length` bytes long. */
  acknowledged(seq: number, length: number): void {
    if (seq === this.#suspect) this.#suspect = 0;
    if (length > this.largestAcknowledged) this.largestAcknowledged = length;
  }

  /** The broker closed a connection that had been accepted: drops the packet it closed on twice (or once past the limit). */
  closedByBroker(outbox: Outbox): void {
    const slot = outbox.nextBySeq(0);
    if (slot < 0) {
      this.#suspect = 0;
      return;
    }
    const seq = outbox.windowSeq[slot] ?? 0;
    const length = outbox.windowLength(slot);
    const overLimit = this.limitBytes !== Infinity && length > this.largestAcknowledged;
    if (seq !== this.#suspect && !overLimit) {
      this.#suspect = seq;
      return;
    }
    this.lastDroppedTwice = seq === this.#suspect;
    this.#suspect = 0;
    outbox.discard(slot, DropReason.brokerRefused);
    this.dropped++;
    this.lastDroppedBytes = length;
    if (this.largestAcknowledged > 0 && length > this.largestAcknowledged && length < this.limitBytes) this.limitBytes = length;
  }
}
