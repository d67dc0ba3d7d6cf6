/**
 * The client's subscriptions: each filter subscribed at QoS 1 after every CONNACK with its own packet identifier;
 * one the broker refuses (SUBACK 0x80) is counted and asked for again after a backoff, never silently given up.
 */
import { ascii } from "../ascii.js";
import { Backoff } from "./backoff.js";
import { MAX_FILTERS, PacketId } from "./packet.js";

export const Subscription = Object.freeze({ none: 0, pending: 1, granted: 2, refused: 3 });

export class Subscriptions {
  readonly filters: readonly Uint8Array[];
  /** Subscription state of each filter. */
  readonly states: Uint8Array;
  /** SUBACKs that refused a filter. */
  refusals = 0;
  readonly #backoff: Backoff;
  #retryAtMs = -1;

  constructor(filters: readonly string[], baseMs: number, capMs: number, seed: number) {
    if (filters.length > MAX_FILTERS) throw new RangeError(`at most ${MAX_FILTERS} MQTT filters, not ${filters.length}`);
    this.filters = Object.freeze(filters.map((filter) => ascii(filter)));
    this.states = new Uint8Array(filters.length);
    this.#backoff = new Backoff(baseMs, capMs, seed ^ 0x5bd1e995);
  }

  /** The packet identifier of filter `k`'s SUBSCRIBE. */
  static id(k: number): number {
    return PacketId.subscribe - k;
  }

  /** True when every filter is granted (or there is none). */
  get granted(): boolean {
    for (let k = 0; k < this.states.length; k++) if (this.states[k] !== Subscription.granted) return false;
    return true;
  }

  /** True while some filter stands refused by the broker. */
  get refused(): boolean {
    return this.states.indexOf(Subscription.refused) >= 0;
  }

  /** A new connection: every filter to subscribe (clean session), the retry backoff from the start. */
  connected(): void {
    this.states.fill(Subscription.pending);
    this.#retryAtMs = -1;
  }

  /** A SUBACK; false when its identifier is none of ours. */
  suback(id: number, code: number, nowMs: number): boolean {
    const k = PacketId.subscribe - id;
    if (k < 0 || k >= this.states.length) return false;
    if (code === 0x80) {
      this.refusals++;
      this.states[k] = Subscription.refused;
      if (this.#retryAtMs < 0) this.#retryAtMs = nowMs + this.#backoff.nextMs();
    } else {
      this.states[k] = Subscription.granted;
      if (!this.refused) this.#backoff.reset();
    }
    return true;
  }

  /** True when the refused filters are due to be asked for again; they are then pending (send SUBSCRIBE for each). */
  retryDue(nowMs: number): boolean {
    if (this.#retryAtMs < 0 || nowMs < this.#retryAtMs) return false;
    this.#retryAtMs = -1;
    for (let k = 0; k < this.states.length; k++) if (this.states[k] === Subscription.refused) this.states[k] = Subscription.pending;
    return true;
  }
}
