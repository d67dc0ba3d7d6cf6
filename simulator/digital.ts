/** ECMA-419 Digital over the simulator's pins: modes, edges, onReadable delivered as a coalesced interrupt. */
import { IOError, type Digital, type DigitalConstructor, type DigitalOptions } from "../src/io/index.js";
import type { InterruptSource, VirtualClock } from "./clock.js";
import type { PinBank, PinOwner } from "./pins.js";

const MODES = Object.freeze({ Input: 0, InputPullUp: 1, InputPullDown: 2, InputPullUpDown: 3, Output: 8, OutputOpenDrain: 9 });
const RISING = 1;
const FALLING = 2;

/** A Digital class bound to one simulation's pins and clock, as a board provider's device.io.Digital is. */
export function digitalClass(pins: PinBank, clock: VirtualClock): DigitalConstructor {
  class SimDigital implements Digital, PinOwner, InterruptSource {
    static readonly Input = 0 as const;
    static readonly InputPullUp = 1 as const;
    static readonly InputPullDown = 2 as const;
    static readonly InputPullUpDown = 3 as const;
    static readonly Output = 8 as const;
    static readonly OutputOpenDrain = 9 as const;
    static readonly Rising = 1 as const;
    static readonly Falling = 2 as const;

    pending = false;
    readonly pull: number;
    readonly #pin: number;
    readonly #output: boolean;
    readonly #edge: number;
    readonly #onReadable: ((this: Digital) => void) | undefined;
    readonly target: unknown;
    #closed = false;

    constructor(options: DigitalOptions) {
      const { pin, mode, edge = 0, onReadable, target } = options;
      if (!(Object.values(MODES) as number[]).includes(mode)) throw new IOError("bad-option", `unknown Digital mode ${mode} on pin ${pin}`);
      if (onReadable !== undefined && (edge & (RISING | FALLING)) === 0) {
        throw new IOError("bad-option", `pin ${pin}: onReadable needs edge (Digital.Rising, Digital.Falling or both)`);
      }
      this.#output = mode === MODES.Output || mode === MODES.OutputOpenDrain;
      this.pull = mode === MODES.InputPullUp || mode === MODES.InputPullUpDown ? 1 : mode === MODES.InputPullDown ? 0 : -1;
      this.#pin = pin;
      this.#edge = edge;
      this.#onReadable = onReadable;
      this.target = target;
      pins.claim(pin, this);
    }

    #open(): void {
      if (this.#closed) throw new IOError("closed", `Digital on pin ${this.#pin} used after close()`);
    }

    read(): 0 | 1 {
      this.#open();
      return pins.level(this.#pin);
    }

    write(value: number): void {
      this.#open();
      if (!this.#output) throw new IOError("bad-option", `pin ${this.#pin} is an input: open it with Digital.Output to write`);
      pins.setOutput(this.#pin, value ? 1 : 0);
    }

    close(): void {
      if (this.#closed) return;
      this.#closed = true;
      pins.release(this.#pin, this);
    }

    /** ISR side: an edge on the pin; flags the interrupt if this instance listens for that direction. */
    edge(rising: boolean): void {
      if (this.#closed || this.#onReadable === undefined) return;
      if ((this.#edge & (rising ? RISING : FALLING)) !== 0) clock.raise(this);
    }

    /** JS thread: the coalesced callback. A close() before delivery cancels it. */
    deliver(): void {
      if (!this.#closed) this.#onReadable?.call(this);
    }
  }
  return SimDigital;
}
