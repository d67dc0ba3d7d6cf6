/**
 * A button or PIR sensor on a Digital pin, with contact bounce: each press or release toggles the line a few times
 * within `bounceMs` (seeded, repeatable) before it settles, as a real contact does.
 */
import type { VirtualClock } from "../clock.js";
import type { PinBank } from "../pins.js";

export interface ContactOptions {
  readonly pin: number;
  /** A button to ground reads 0 when pressed (default); a PIR output is active high. */
  readonly activeLow?: boolean;
  readonly bounceMs?: number;
  readonly bounces?: number;
  readonly seed?: number;
}

export class ContactInput {
  readonly pin: number;
  readonly activeLow: boolean;
  readonly bounceMs: number;
  readonly bounces: number;
  #seed: number;

  constructor(readonly clock: VirtualClock, readonly pins: PinBank, options: ContactOptions) {
    this.pin = options.pin;
    this.activeLow = options.activeLow ?? true;
    this.bounceMs = options.bounceMs ?? 5;
    this.bounces = options.bounces ?? 3;
    this.#seed = options.seed ?? 7;
    pins.drive(this.pin, this.activeLow ? 1 : 0);
  }

  #random(): number {
    this.#seed = (Math.imul(this.#seed, 1103515245) + 12345) >>> 0;
    return (this.#seed >>> 8) / 16777216;
  }

  /** Schedules a press at `atMs` from now, held for `holdMs`, each edge bouncing. */
  press(atMs: number, holdMs: number): void {
    this.#transition(atMs, true);
    this.#transition(atMs + holdMs, false);
  }

  #transition(atMs: number, active: boolean): void {
    const level = active !== this.activeLow ? 1 : 0;
    for (let i = 0; i < this.bounces * 2; i++) {
      const offset = this.#random() * this.bounceMs * ((i + 1) / (this.bounces * 2));
      const bounceLevel = i % 2 === 0 ? level : 1 - level;
      this.clock.at(atMs + offset, () => this.pins.drive(this.pin, bounceLevel));
    }
    this.clock.at(atMs + this.bounceMs, () => this.pins.drive(this.pin, level));
  }
}
