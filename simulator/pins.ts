/**
 * The board's GPIO as the simulator sees it: one level per pin, driven by the MCU (outputs) or by the outside world
 * (buttons, sensor alert lines, faults). Pins that nobody drives settle to their pull. Each open Digital owns its
 * pin; level changes become edges for the owner.
 */
import { IOError } from "../src/io/index.js";

/** What owns a pin: told about every level change and glitch. */
export interface PinOwner {
  /** `pull` the owner applies when nobody drives the pin: 1 up, 0 down, -1 none. */
  readonly pull: number;
  edge(rising: boolean): void;
}

export class PinBank {
  readonly #external: Int8Array;
  readonly #output: Int8Array;
  readonly #owners: Array<PinOwner | undefined>;
  /** Level changes seen on each pin (for tests and /metrics). */
  readonly edges: Uint32Array;
  /**
   * 1 for each pin the outside world has driven or glitched (a sensor's interrupt line, a contact, a fault): the
   * lines wired to something, for hosts that mirror them onto emulated GPIO.
   */
  readonly wired: Uint8Array;

  constructor(readonly pinCount: number, readonly boardName: string) {
    this.#external = new Int8Array(pinCount).fill(-1);
    this.#output = new Int8Array(pinCount).fill(-1);
    this.#owners = new Array<PinOwner | undefined>(pinCount).fill(undefined);
    this.edges = new Uint32Array(pinCount);
    this.wired = new Uint8Array(pinCount);
  }

  check(pin: number): void {
    if (!Number.isInteger(pin) || pin < 0 || pin >= this.pinCount) {
      throw new IOError("unknown-pin", `pin ${pin} does not exist on ${this.boardName} (GPIO 0–${this.pinCount - 1})`);
    }
  }

  claim(pin: number, owner: PinOwner): void {
    this.check(pin);
    if (this.#owners[pin] !== undefined) {
      throw new IOError("pin-busy", `pin ${pin} is already open: close() the other instance first`);
    }
    this.#owners[pin] = owner;
  }

  release(pin: number, owner: PinOwner): void {
    if (this.#owners[pin] === owner) this.#owners[pin] = undefined;
    this.#output[pin] = -1;
  }

  /** The level the pin reads now. */
  level(pin: number): 0 | 1 {
    const output = this.#output[pin] ?? -1;
    if (output >= 0) return output === 0 ? 0 : 1;
    const external = this.#external[pin] ?? -1;
    if (external >= 0) return external === 0 ? 0 : 1;
    return (this.#owners[pin]?.pull ?? 0) === 1 ? 1 : 0;
  }

  /** The MCU drives the pin (an output's write); -1 stops driving. */
  setOutput(pin: number, level: number): void {
    const before = this.level(pin);
    this.#output[pin] = level < 0 ? -1 : level ? 1 : 0;
    this.#changed(pin, before);
  }

  /** The outside world drives the pin (a button, an alert line); -1 releases it to its pull. */
  drive(pin: number, level: number): void {
    this.check(pin);
    this.wired[pin] = 1;
    const before = this.level(pin);
    this.#external[pin] = level < 0 ? -1 : level ? 1 : 0;
    this.#changed(pin, before);
  }

  /** A glitch too short to change the level but long enough to trip edge detection (a spurious edge). */
  glitch(pin: number): void {
    this.check(pin);
    this.wired[pin] = 1;
    const owner = this.#owners[pin];
    this.edges[pin] = (this.edges[pin] ?? 0) + 1;
    owner?.edge(this.level(pin) === 0);
  }

  #changed(pin: number, before: number): void {
    const after = this.level(pin);
    if (before === after) return;
    this.edges[pin] = (this.edges[pin] ?? 0) + 1;
    this.#owners[pin]?.edge(after === 1);
  }
}
