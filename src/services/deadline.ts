/**
 * Deadlines and cancellation, after Go's context: a token with a deadline, a cancel with a reason, and a parent whose
 * end ends it too. Tokens are pooled and reset, and their errors are made once, so checking and throwing on the
 * request path allocate nothing.
 */
import type { Clock } from "./time.js";

/** Why a token ended (numbers: the hot path compares numbers). */
export const DoneReason = Object.freeze({ none: 0, deadline: 1, cancelled: 2, shutdown: 3 });
const REASON_NAMES = Object.freeze(["none", "deadline", "cancelled", "shutdown"]);

/** Thrown by throwIfDone(): `reason` says whether the deadline passed or someone cancelled. */
export class DeadlineError extends Error {
  override name = "DeadlineError";
  reason: number = DoneReason.none;
}

export class Deadline {
  readonly #clock: Clock;
  readonly #error = new DeadlineError("the work's deadline passed or it was cancelled: give up and report it");
  #deadlineMs = Infinity;
  #reason: number = DoneReason.none;
  #parent: Deadline | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Re-arms the token: `timeoutMs` from now (Infinity for none), ending with `parent` if given. */
  reset(timeoutMs: number, parent?: Deadline): this {
    this.#deadlineMs = this.#clock.nowMs() + timeoutMs;
    this.#reason = DoneReason.none;
    this.#parent = parent;
    return this;
  }

  cancel(reason: number = DoneReason.cancelled): void {
    if (this.#reason === DoneReason.none) this.#reason = reason;
  }

  /** Why the token ended, or DoneReason.none while it runs. */
  get reason(): number {
    if (this.#reason !== DoneReason.none) return this.#reason;
    const parentReason = this.#parent === undefined ? DoneReason.none : this.#parent.reason;
    if (parentReason !== DoneReason.none) this.#reason = parentReason;
    else if (this.#clock.nowMs() >= this.#deadlineMs) this.#reason = DoneReason.deadline;
    return this.#reason;
  }

  get reasonName(): string {
    return REASON_NAMES[this.reason] ?? "unknown";
  }

  get done(): boolean {
    return this.reason !== DoneReason.none;
  }

  /** Milliseconds left before this token or a parent ends (0 when done). */
  remainingMs(): number {
    if (this.done) return 0;
    const own = this.#deadlineMs - this.#clock.nowMs();
    return this.#parent === undefined ? own : Math.min(own, this.#parent.remainingMs());
  }

  /** Check before expensive work: throws this token's DeadlineError once it has ended. */
  throwIfDone(): void {
    const reason = this.reason;
    if (reason === DoneReason.none) return;
    this.#error.reason = reason;
    throw this.#error;
  }
}

/** A fixed set of tokens for per-request use; tryAcquire returns null when all are out. */
export class DeadlinePool {
  readonly #tokens: Deadline[] = [];
  readonly #free: Int32Array;
  #freeCount: number;
  exhausted = 0;

  constructor(size: number, clock: Clock) {
    this.#free = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      this.#tokens.push(new Deadline(clock));
      this.#free[i] = i;
    }
    this.#freeCount = size;
  }

  tryAcquire(timeoutMs: number, parent?: Deadline): Deadline | null {
    if (this.#freeCount === 0) {
      this.exhausted++;
      return null;
    }
    const token = this.#tokens[this.#free[--this.#freeCount] ?? 0];
    return token === undefined ? null : token.reset(timeoutMs, parent);
  }

  release(token: Deadline): void {
    const index = this.#tokens.indexOf(token);
    if (index < 0) throw new RangeError("release() of a token this pool did not hand out");
    for (let i = 0; i < this.#freeCount; i++) {
      if (this.#free[i] === index) throw new RangeError("token released twice: release each acquired token once");
    }
    this.#free[this.#freeCount++] = index;
  }
}
