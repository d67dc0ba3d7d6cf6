/**
 * A watchdog fed by the main loop: each watched component has a timeout; one that is not fed in time is reported
 * (callback and counter) and restarted, up to a bound, after which the watchdog gives up on it and counts that.
 * feed() is a number write — nothing allocates on the fed path.
 */
import type { Clock, TimerApi, TimerHandle } from "./time.js";

export interface Watched {
  readonly name: string;
  readonly timeoutMs: number;
  /** Brings the component back (stop or kill, then start). */
  restart(): void;
}

export class Watchdog {
  readonly #watched: Watched[] = [];
  readonly #fedAt: number[] = [];
  readonly #restarts: number[] = [];
  readonly #onStuck: ((watched: Watched, restarts: number) => void) | undefined;
  #check: TimerHandle | undefined;
  /** Times a component was found stuck, restarts done, components given up on. */
  stuck = 0;
  restarts = 0;
  gaveUp = 0;

  constructor(
    readonly clock: Clock,
    readonly timer: TimerApi,
    readonly options: { readonly checkMs?: number; readonly maxRestarts?: number; readonly onStuck?: (watched: Watched, restarts: number) => void } = {},
  ) {
    this.#onStuck = options.onStuck;
  }

  /** Watches a component; returns the id to feed. */
  watch(watched: Watched): number {
    this.#watched.push(watched);
    this.#fedAt.push(this.clock.nowMs());
    this.#restarts.push(0);
    return this.#watched.length - 1;
  }

  feed(id: number): void {
    this.#fedAt[id] = this.clock.nowMs();
  }

  start(): void {
    this.#check ??= this.timer.repeat(() => this.#inspect(), this.options.checkMs ?? 100);
  }

  stop(): void {
    this.timer.clear(this.#check);
    this.#check = undefined;
  }

  #inspect(): void {
    const now = this.clock.nowMs();
    const maxRestarts = this.options.maxRestarts ?? 3;
    for (let id = 0; id < this.#watched.length; id++) {
      const watched = this.#watched[id];
      const restarts = this.#restarts[id] ?? 0;
      if (watched === undefined || restarts < 0 || now - (this.#fedAt[id] ?? now) < watched.timeoutMs) continue;
      this.stuck++;
      this.#onStuck?.(watched, restarts);
      if (restarts >= maxRestarts) {
        this.gaveUp++;
        this.#restarts[id] = -1; // given up: no longer watched
        continue;
      }
      this.#restarts[id] = restarts + 1;
      this.restarts++;
      this.#fedAt[id] = now;
      watched.restart();
    }
  }
}
