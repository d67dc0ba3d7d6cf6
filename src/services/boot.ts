/** Boot timing and lazy initialisation: what boot costs, up to the first sample, and work deferred until needed. */
import type { Clock } from "./time.js";

/** Milestones in ms since boot; -1 until reached. A fixed shape, for /metrics. */
export class BootTimer {
  readonly bootAtMs: number;
  servicesStartedMs = -1;
  firstSampleMs = -1;
  httpReadyMs = -1;

  constructor(readonly clock: Clock) {
    this.bootAtMs = clock.nowMs();
  }

  /** Records a milestone the first time only; returns its ms since boot. */
  mark(milestone: "servicesStartedMs" | "firstSampleMs" | "httpReadyMs"): number {
    if (this[milestone] < 0) this[milestone] = this.clock.nowMs() - this.bootAtMs;
    return this[milestone];
  }
}

export class LazyInitError extends Error {
  override name = "LazyInitError";
  constructor(readonly what: string, override readonly cause: unknown) {
    super(`initialising ${what} failed (${cause instanceof Error ? cause.message : String(cause)}); the next use tries again`);
  }
}

/** A value made on first use. A failed init throws LazyInitError and is retried on the next get(). */
export class Lazy<T> {
  #value: T | undefined;
  #made = false;
  failures = 0;

  constructor(readonly what: string, readonly make: () => T) {}

  get(): T {
    if (!this.#made) {
      try {
        this.#value = this.make();
      } catch (error: unknown) {
        this.failures++;
        throw new LazyInitError(this.what, error);
      }
      this.#made = true;
    }
    return this.#value as T;
  }

  get initialised(): boolean {
    return this.#made;
  }
}
