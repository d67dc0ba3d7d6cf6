/**
 * Virtual time (after embassy-time's MockDriver::advance). Three kinds of work run in it:
 * - hardware events at exact times (edges, bounces, storms) — ISR level, no JS callbacks;
 * - interrupts those events raise: flagged once, delivered to the JS thread at the next turn (every `turnMs`), so
 *   several edges between turns coalesce into one callback, as a real ISR flag does;
 * - timers of the `timer` module, fired in due-time order (ties in the order they were set).
 * Tests call advance(ms); `npm start` drives the same clock from the wall clock. Nothing sleeps.
 */

export type TimerCallback = (timer: SimTimer) => void;

export class SimTimer {
  due = 0;
  repeat = 0;
  sequence = 0;
  active = false;
  constructor(public callback: TimerCallback) {}
}

/** Something an ISR flags; the clock calls deliver() on the JS thread once per turn, however often it was raised. */
export interface InterruptSource {
  pending: boolean;
  deliver(): void;
}

interface HardwareEvent {
  readonly at: number;
  readonly sequence: number;
  readonly run: () => void;
}

export class VirtualClock {
  /** Virtual milliseconds since boot. */
  now = 0;
  /**
   * No hardware event or hardware timer is due before this (a lower bound, exact after busy() looks): blocking until
   * before it only moves `now`, which a bus transaction may do itself without calling busy().
   */
  quietUntil = Infinity;
  /** How often the JS thread gets a turn to run interrupt callbacks. */
  turnMs = 1;
  /** Interrupt callbacks delivered, and edges that were coalesced into an already pending one. */
  interruptsDelivered = 0;
  interruptsCoalesced = 0;
  readonly #timers: SimTimer[] = [];
  readonly #events: HardwareEvent[] = [];
  /** Device-side timers: registered once, rescheduled in place, so periodic device activity allocates nothing. */
  readonly #hardware: SimTimer[] = [];
  /** Flagged sources, a ring of fixed length: push/shift on a JS array reallocates its storage on XS. */
  #pending: Array<InterruptSource | undefined> = new Array<InterruptSource | undefined>(16).fill(undefined);
  #pendingHead = 0;
  #pendingCount = 0;
  #sequence = 0;

  set(callback: TimerCallback, milliseconds = 0, repeatMilliseconds = 0): SimTimer {
    const timer = new SimTimer(callback);
    this.schedule(timer, milliseconds, repeatMilliseconds);
    return timer;
  }

  schedule(timer: SimTimer, milliseconds = 0, repeatMilliseconds = 0): void {
    timer.due = this.now + Math.max(0, milliseconds);
    timer.repeat = Math.max(0, repeatMilliseconds);
    timer.sequence = this.#sequence++;
    if (!timer.active) this.#timers.push(timer);
    timer.active = true;
  }

  clear(timer: SimTimer | undefined): void {
    if (timer === undefined || !timer.active) return;
    timer.active = false;
    const index = this.#timers.indexOf(timer);
    if (index >= 0) this.#timers.splice(index, 1);
  }

  get activeTimers(): number {
    return this.#timers.length;
  }

  /** A reusable hardware timer for a device model; schedule it with scheduleHardware(). */
  hardwareTimer(callback: TimerCallback): SimTimer {
    const timer = new SimTimer(callback);
    this.#hardware.push(timer);
    return timer;
  }

  scheduleHardware(timer: SimTimer, inMs: number): void {
    timer.due = this.now + Math.max(0, inMs);
    timer.sequence = this.#sequence++;
    timer.active = true;
    if (timer.due < this.quietUntil) this.quietUntil = timer.due;
  }

  cancelHardware(timer: SimTimer): void {
    timer.active = false;
  }

  /** Schedules a one-off hardware event `inMs` from now (ISR level: it may raise interrupts, never run JS callbacks). */
  at(inMs: number, run: () => void): void {
    const event = { at: this.now + Math.max(0, inMs), sequence: this.#sequence++, run };
    let index = this.#events.length;
    while (index > 0 && (this.#events[index - 1]?.at ?? 0) > event.at) index--;
    this.#events.splice(index, 0, event);
    if (event.at < this.quietUntil) this.quietUntil = event.at;
  }

  /** ISR side: flags `source`; it is delivered once at the next turn however many times it is raised before. */
  raise(source: InterruptSource): void {
    if (source.pending) {
      this.interruptsCoalesced++;
      return;
    }
    source.pending = true;
    if (this.#pendingCount === this.#pending.length) this.#growPending();
    this.#pending[(this.#pendingHead + this.#pendingCount) % this.#pending.length] = source;
    this.#pendingCount++;
  }

  /** More sources pending than ever before: double the ring (the only allocation on this path). */
  #growPending(): void {
    const grown = new Array<InterruptSource | undefined>(this.#pending.length * 2).fill(undefined);
    for (let i = 0; i < this.#pendingCount; i++) grown[i] = this.#pending[(this.#pendingHead + i) % this.#pending.length];
    this.#pending = grown;
    this.#pendingHead = 0;
  }

  /** Runs everything due in the next `milliseconds` of virtual time, in order. */
  advance(milliseconds: number): void {
    const target = this.now + Math.max(0, milliseconds);
    for (;;) {
      const next = Math.min(this.#nextTimerDue(this.#timers), this.#nextEventTime(), this.#nextTurn());
      if (next > target) break;
      if (next > this.now) this.now = next;
      this.#runEvents();
      if (this.#nextTurn() <= this.now) this.#deliverInterrupts();
      this.#fireTimers();
    }
    this.now = target;
  }

  /**
   * The JS thread is blocked for `milliseconds` (a blocking bus transaction, Timer.delay): hardware events run,
   * interrupts stay pending, no timer fires until the next advance.
   */
  busy(milliseconds: number): void {
    const target = this.now + Math.max(0, milliseconds);
    if (target < this.quietUntil) {
      this.now = target;
      return;
    }
    while (this.#nextEventTime() <= target) {
      this.now = Math.max(this.now, this.#nextEventTime());
      this.#runEvents();
    }
    this.quietUntil = this.#nextEventTime();
    this.now = target;
  }

  #nextTurn(): number {
    if (this.#pendingCount === 0) return Infinity;
    return Math.ceil(this.now / this.turnMs - 1e-9) * this.turnMs;
  }

  #nextEventTime(): number {
    return Math.min(this.#events[0]?.at ?? Infinity, this.#nextTimerDue(this.#hardware));
  }

  #nextTimerDue(timers: readonly SimTimer[]): number {
    let due = Infinity;
    for (let i = 0; i < timers.length; i++) {
      const timer = timers[i];
      if (timer !== undefined && timer.active && timer.due < due) due = timer.due;
    }
    return due;
  }

  /** Runs one-off events and hardware timers due by now, in time order (ties: the order they were scheduled). */
  #runEvents(): void {
    for (;;) {
      const event = this.#events[0];
      const timer = this.#dueTimer(this.#hardware);
      const eventFirst = event !== undefined && event.at <= this.now &&
        (timer === undefined || event.at < timer.due || (event.at === timer.due && event.sequence < timer.sequence));
      if (eventFirst) {
        this.#events.shift();
        event.run();
      } else if (timer !== undefined) {
        timer.active = false;
        timer.callback(timer);
      } else {
        return;
      }
    }
  }

  #deliverInterrupts(): void {
    const count = this.#pendingCount;
    for (let i = 0; i < count; i++) {
      const source = this.#pending[this.#pendingHead];
      this.#pending[this.#pendingHead] = undefined;
      this.#pendingHead = (this.#pendingHead + 1) % this.#pending.length;
      this.#pendingCount--;
      if (source === undefined) continue;
      source.pending = false;
      this.interruptsDelivered++;
      source.deliver();
    }
  }

  #dueTimer(timers: readonly SimTimer[]): SimTimer | undefined {
    let found: SimTimer | undefined;
    for (let i = 0; i < timers.length; i++) {
      const timer = timers[i];
      if (timer === undefined || !timer.active || timer.due > this.now) continue;
      if (found === undefined || timer.due < found.due || (timer.due === found.due && timer.sequence < found.sequence)) {
        found = timer;
      }
    }
    return found;
  }

  #fireTimers(): void {
    for (let timer = this.#dueTimer(this.#timers); timer !== undefined; timer = this.#dueTimer(this.#timers)) {
      if (timer.repeat > 0) {
        timer.due += timer.repeat;
        timer.sequence = this.#sequence++;
      } else {
        this.clear(timer);
      }
      timer.callback(timer);
    }
  }
}
