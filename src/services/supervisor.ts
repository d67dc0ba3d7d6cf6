/**
 * Starts components in order and stops them in reverse, each stop bounded by the shutdown deadline; a second
 * shutdown request, or the deadline passing, kills what is left at once. A start failure stops what had started.
 */
import { Deadline, DoneReason } from "./deadline.js";
import type { Clock, TimerApi } from "./time.js";

export interface Component {
  readonly name: string;
  start(token: Deadline): void | Promise<void>;
  /** Stops gracefully; should give up when `token` ends. */
  stop(token: Deadline): void | Promise<void>;
  /** Stops at once: called on escalation or when stop() outlives the deadline. */
  kill(): void;
}

export const ComponentState = Object.freeze({ stopped: 0, starting: 1, running: 2, stopping: 3, failed: 4, killed: 5 });
const STATE_NAMES = Object.freeze(["stopped", "starting", "running", "stopping", "failed", "killed"]);

export class StartError extends Error {
  override name = "StartError";
  constructor(readonly component: string, override readonly cause: unknown) {
    super(`component "${component}" failed to start (${cause instanceof Error ? cause.message : String(cause)}); ` +
      "the components started before it were stopped in reverse order");
  }
}

/** Resolves when `work` settles or `token` ends, whichever is first; true if the work finished in time. */
export function within(work: void | Promise<void>, token: Deadline, timer: TimerApi): Promise<boolean> {
  if (!(work instanceof Promise)) return Promise.resolve(true);
  return new Promise((done, fail) => {
    const check = timer.repeat(() => {
      if (!token.done) return;
      timer.clear(check);
      done(false);
    }, 1);
    work.then(() => {
      timer.clear(check);
      done(true);
    }, (error: unknown) => {
      timer.clear(check);
      fail(error);
    });
  });
}

export class Supervisor {
  readonly #components: Component[] = [];
  readonly #states: number[] = [];
  readonly #token: Deadline;
  #shutdownRequests = 0;
  /** Components whose stop() threw (they were killed); the last such error. */
  stopFailures = 0;
  lastStopError: unknown = undefined;
  #shutdown: Promise<void> | undefined;

  constructor(readonly clock: Clock, readonly timer: TimerApi) {
    this.#token = new Deadline(clock);
  }

  add(component: Component): this {
    this.#components.push(component);
    this.#states.push(ComponentState.stopped);
    return this;
  }

  state(name: string): string {
    const index = this.#components.findIndex((c) => c.name === name);
    return STATE_NAMES[this.#states[index] ?? -1] ?? "unknown";
  }

  /** Starts every component in order within `timeoutMs`; on a failure, stops the started ones and throws StartError. */
  async start(timeoutMs: number): Promise<void> {
    const token = new Deadline(this.clock).reset(timeoutMs);
    for (let i = 0; i < this.#components.length; i++) {
      const component = this.#components[i];
      if (component === undefined) continue;
      this.#states[i] = ComponentState.starting;
      try {
        token.throwIfDone();
        await component.start(token);
        this.#states[i] = ComponentState.running;
      } catch (error: unknown) {
        this.#states[i] = ComponentState.failed;
        await this.#stopFrom(i - 1, new Deadline(this.clock).reset(timeoutMs));
        throw new StartError(component.name, error);
      }
    }
  }

  /**
   * Stops every running component in reverse order within `timeoutMs`. A second request escalates: whatever is
   * still stopping is killed at once. Resolves when everything has stopped or been killed.
   */
  shutdown(timeoutMs: number): Promise<void> {
    this.#shutdownRequests++;
    if (this.#shutdown !== undefined) {
      this.#token.cancel(DoneReason.shutdown); // escalate
      return this.#shutdown;
    }
    this.#token.reset(timeoutMs);
    this.#shutdown = this.#stopFrom(this.#components.length - 1, this.#token);
    return this.#shutdown;
  }

  get escalated(): boolean {
    return this.#shutdownRequests > 1;
  }

  async #stopFrom(last: number, token: Deadline): Promise<void> {
    for (let i = last; i >= 0; i--) {
      const component = this.#components[i];
      if (component === undefined || this.#states[i] !== ComponentState.running) continue;
      this.#states[i] = ComponentState.stopping;
      let stopped = false;
      if (!token.done) {
        try {
          stopped = await within(component.stop(token), token, this.timer);
        } catch (error: unknown) {
          this.stopFailures++; // a failing stop is finished off with kill() below
          this.lastStopError = error;
        }
      }
      if (stopped) this.#states[i] = ComponentState.stopped;
      else {
        component.kill();
        this.#states[i] = ComponentState.killed;
      }
    }
  }
}
