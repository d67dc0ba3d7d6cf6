/**
 * Reconnect delays: doubling from `baseMs` to at most `capMs`, each one jittered over its upper half so that a fleet
 * restarted together does not reconnect together. Seeded (mulberry32), so a test can replay the exact delays.
 */
export class Backoff {
  #attempt = 0;
  #state: number;

  constructor(readonly baseMs: number, readonly capMs: number, seed: number) {
    this.#state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  random(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** The next delay: in [ceiling / 2, ceiling), ceiling = min(cap, base · 2^attempt). */
  nextMs(): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** this.#attempt);
    if (this.#attempt < 30) this.#attempt++;
    return Math.floor(ceiling / 2 + this.random() * (ceiling / 2));
  }

  /** After a successful connection, start again from the base. */
  reset(): void {
    this.#attempt = 0;
  }
}
