/**
 * The board's GPIO as the simulator sees it: one level per pin, driven by the MCU (outputs) or by the outside world
 * (buttons, sensor alert lines, faults). Pins that nobody drives settle to their pull. Each open Digital, DigitalBank
 * or I2C bus owns its pins; level changes become edges for the owner. A jumper wire joins two pins, as on a test rig
 * (Moddable's IO tests loop each output back to an input): what drives one drives both.
 */
import { IOError, type StandardErrorClass } from "../src/io/index.js";

/** What owns a pin: told about every level change and glitch. */
export interface PinOwner {
  /** `pull` the owner applies when nobody drives the pin: 1 up, 0 down, -1 none. */
  readonly pull: number;
  edge(pin: number, rising: boolean): void;
}

export class PinBank {
  readonly #external: Int8Array;
  readonly #output: Int8Array;
  readonly #owners: Array<PinOwner | undefined>;
  /** The pin each pin is wired to by a jumper, or -1. */
  readonly #jumper: Int8Array;
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
    this.#jumper = new Int8Array(pinCount).fill(-1);
    this.edges = new Uint32Array(pinCount);
    this.wired = new Uint8Array(pinCount);
  }

  /** Throws (an Error, as Moddable's pin checks do; `kind` for IO that throws another class) for a pin the board lacks. */
  check(pin: number, kind: StandardErrorClass = Error): void {
    if (!Number.isInteger(pin) || pin < 0 || pin >= this.pinCount) {
      throw new IOError("unknown-pin", `pin ${pin} does not exist on ${this.boardName} (GPIO 0–${this.pinCount - 1})`, kind);
    }
  }

  /** Who has the pin open, if anyone. */
  ownerOf(pin: number): PinOwner | undefined {
    return this.#owners[pin];
  }

  claim(pin: number, owner: PinOwner, kind: StandardErrorClass = Error): void {
    this.check(pin, kind);
    if (this.#owners[pin] !== undefined) {
      throw new IOError("pin-busy", `pin ${pin} is already open: close() the other instance first`, kind);
    }
    this.#owners[pin] = owner;
  }

  release(pin: number, owner: PinOwner): void {
    if (this.#owners[pin] !== owner) return;
    const partner = this.#jumper[pin] ?? -1;
    const before = partner < 0 ? 0 : this.level(partner);
    this.#owners[pin] = undefined;
    this.#output[pin] = -1;
    if (partner >= 0) this.#changed(partner, before);
  }

  /** An MCU reset: every pin is released to its pull, with nobody listening (jumpers and what drives them stay). */
  releaseAll(): void {
    this.#owners.fill(undefined);
    this.#output.fill(-1);
  }

  /** Joins two pins with a jumper wire: each reads what drives the other. */
  jumper(a: number, b: number): void {
    this.check(a);
    this.check(b);
    if (a === b || (this.#jumper[a] ?? -1) >= 0 || (this.#jumper[b] ?? -1) >= 0) {
      throw new RangeError(`jumper ${a}–${b}: give two pins not yet wired to another`);
    }
    this.#jumper[a] = b;
    this.#jumper[b] = a;
  }

  /** The level the pin reads now: its own output, else what drives its jumpered partner, else the pulls. */
  level(pin: number): 0 | 1 {
    const partner = this.#jumper[pin] ?? -1;
    const output = this.#output[pin] ?? -1;
    if (output >= 0) return output === 0 ? 0 : 1;
    const driven = partner < 0 ? -1 : (this.#output[partner] ?? -1);
    if (driven >= 0) return driven === 0 ? 0 : 1;
    const external = this.#external[pin] ?? -1;
    if (external >= 0) return external === 0 ? 0 : 1;
    const outside = partner < 0 ? -1 : (this.#external[partner] ?? -1);
    if (outside >= 0) return outside === 0 ? 0 : 1;
    const pull = this.#owners[pin]?.pull ?? -1;
    if (pull >= 0 || partner < 0) return pull === 1 ? 1 : 0;
    return (this.#owners[partner]?.pull ?? 0) === 1 ? 1 : 0;
  }

  /** The MCU drives the pin (an output's write); -1 stops driving. */
  setOutput(pin: number, level: number): void {
    const partner = this.#jumper[pin] ?? -1;
    const before = this.level(pin);
    const partnerBefore = partner < 0 ? 0 : this.level(partner);
    this.#output[pin] = level < 0 ? -1 : level ? 1 : 0;
    this.#changed(pin, before);
    if (partner >= 0) this.#changed(partner, partnerBefore);
  }

  /** The outside world drives the pin (a button, an alert line); -1 releases it to its pull. */
  drive(pin: number, level: number): void {
    this.check(pin);
    this.wired[pin] = 1;
    const partner = this.#jumper[pin] ?? -1;
    const before = this.level(pin);
    const partnerBefore = partner < 0 ? 0 : this.level(partner);
    this.#external[pin] = level < 0 ? -1 : level ? 1 : 0;
    this.#changed(pin, before);
    if (partner >= 0) this.#changed(partner, partnerBefore);
  }

  /** A glitch too short to change the level but long enough to trip edge detection (a spurious edge). */
  glitch(pin: number): void {
    this.check(pin);
    this.wired[pin] = 1;
    const owner = this.#owners[pin];
    this.edges[pin] = (this.edges[pin] ?? 0) + 1;
    owner?.edge(pin, this.level(pin) === 0);
  }

  #changed(pin: number, before: number): void {
    const after = this.level(pin);
    if (before === after) return;
    this.edges[pin] = (this.edges[pin] ?? 0) + 1;
    this.#owners[pin]?.edge(pin, after === 1);
  }
}
