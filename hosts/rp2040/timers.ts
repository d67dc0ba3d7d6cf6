/**
 * The `timer` module's API on bare metal: a fixed table of timers run from the main loop, which sleeps (WFI) until
 * the earliest deadline. Setting a timer takes a free entry — nothing is allocated — and a full table is an error
 * that names its size.
 */
import type { TimerApi, TimerHandle } from "../../src/io/index.js";

const CAPACITY = 32;

class Entry {
  callback: ((timer: TimerHandle) => void) | undefined = undefined;
  dueMicros = 0;
  repeatMicros = 0;
}

export class TimerTableFullError extends RangeError {
  constructor() {
    super(`all ${CAPACITY} timers are in use: clear timers that are no longer needed`);
    this.name = "TimerTableFullError";
  }
}

export class DeviceTimers implements TimerApi {
  readonly #entries: Entry[] = [];

  constructor(readonly nowMicros: () => number) {
    for (let i = 0; i < CAPACITY; i++) this.#entries.push(new Entry());
  }

  set(callback: (timer: TimerHandle) => void, milliseconds = 0, repeatMilliseconds = 0): TimerHandle {
    for (let i = 0; i < CAPACITY; i++) {
      const entry = this.#entries[i];
      if (entry === undefined || entry.callback !== undefined) continue;
      entry.callback = callback;
      this.#arm(entry, milliseconds, repeatMilliseconds);
      return entry;
    }
    throw new TimerTableFullError();
  }

  repeat(callback: (timer: TimerHandle) => void, milliseconds: number): TimerHandle {
    return this.set(callback, milliseconds, milliseconds);
  }

  schedule(timer: TimerHandle, milliseconds = 0, repeatMilliseconds = 0): void {
    if (timer instanceof Entry && timer.callback !== undefined) this.#arm(timer, milliseconds, repeatMilliseconds);
  }

  clear(timer: TimerHandle | undefined): void {
    if (timer instanceof Entry) timer.callback = undefined;
  }

  delay(milliseconds: number): void {
    const until = this.nowMicros() + milliseconds * 1000;
    while (this.nowMicros() < until) {
      // a blocking delay, as Moddable's Timer.delay
    }
  }

  /** Runs every due timer once; returns the next deadline in microseconds, or -1 when none is set. */
  runDue(now: number): number {
    let next = -1;
    for (let i = 0; i < CAPACITY; i++) {
      const entry = this.#entries[i];
      if (entry === undefined) continue;
      const callback = entry.callback;
      if (callback === undefined) continue;
      if (entry.dueMicros <= now) {
        if (entry.repeatMicros > 0) entry.dueMicros += Math.max(entry.repeatMicros, Math.ceil((now - entry.dueMicros) / entry.repeatMicros) * entry.repeatMicros);
        else entry.callback = undefined;
        callback(entry);
      }
      if (entry.callback !== undefined && (next < 0 || entry.dueMicros < next)) next = entry.dueMicros;
    }
    return next;
  }

  #arm(entry: Entry, milliseconds: number, repeatMilliseconds: number): void {
    entry.dueMicros = this.nowMicros() + milliseconds * 1000;
    entry.repeatMicros = repeatMilliseconds * 1000;
  }
}
