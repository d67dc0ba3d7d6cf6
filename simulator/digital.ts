/**
 * ECMA-419 Digital and DigitalBank over the simulator's pins, checked as Moddable's implementation checks them
 * (modules/io/digital/digital.js, digitalbank.js and <platform>/digitalbank.c): the same error classes, `format`,
 * onReadable delivered as a coalesced interrupt with the mask of the pins that triggered.
 */
import {
  IOError, type Digital, type DigitalBank, type DigitalBankConstructor, type DigitalBankOptions, type DigitalConstructor,
  type DigitalOptions,
} from "../src/io/index.js";
import type { InterruptSource, VirtualClock } from "./clock.js";
import type { PinBank, PinOwner } from "./pins.js";

const MODES = Object.freeze({ Input: 0, InputPullUp: 1, InputPullDown: 2, InputPullUpDown: 3, Output: 8, OutputOpenDrain: 9 });
const RISING = 1;
const FALLING = 2;

/** What a bank is opened on: its pins, and which edges of each call onReadable (bit 0 rising, bit 1 falling). */
interface Opening {
  readonly pins: readonly number[];
  readonly mode: number;
  readonly edges: Uint8Array;
  readonly onReadable: ((this: never, triggered: number) => void) | undefined;
  readonly target: unknown;
  readonly format: unknown;
}

/** Moddable's mode check: undefined is an Error (builtinGetSignedInteger), an unknown mode a RangeError. */
function checkMode(mode: unknown, where: string): number {
  if (mode === undefined) throw new IOError("bad-option", `${where}: mode is required (Input, InputPullUp, InputPullDown, InputPullUpDown, Output, OutputOpenDrain)`, Error);
  const value = Number(mode) | 0;
  if (!(Object.values(MODES) as number[]).includes(value)) throw new IOError("bad-option", `unknown Digital mode ${String(mode)} on ${where}`);
  return value;
}

function checkFormat(format: unknown, where: string): void {
  if (format !== undefined && format !== null && format !== "" && format !== "number") {
    throw new IOError("bad-option", `${where}: format ${String(format)} is not supported (only "number")`);
  }
}

/** The Digital and DigitalBank classes bound to one simulation's pins and clock, as a board provider's device.io are. */
export function digitalClasses(pins: PinBank, clock: VirtualClock): { Digital: DigitalConstructor; DigitalBank: DigitalBankConstructor } {
  class SimBank implements PinOwner, InterruptSource {
    static readonly Input = 0 as const;
    static readonly InputPullUp = 1 as const;
    static readonly InputPullDown = 2 as const;
    static readonly InputPullUpDown = 3 as const;
    static readonly Output = 8 as const;
    static readonly OutputOpenDrain = 9 as const;

    pending = false;
    /** Pins that triggered since the last delivery, as a mask (bit n & 31 for pin n). */
    triggered = 0;
    readonly pull: number;
    readonly target: unknown;
    protected readonly pinList: readonly number[];
    protected readonly output: boolean;
    readonly #edges: Uint8Array;
    readonly #onReadable: ((this: never, triggered: number) => void) | undefined;
    #closed = false;

    constructor(options: DigitalBankOptions, opening?: Opening) {
      const open = opening ?? SimBank.#bankOpening(options);
      const mode = open.mode;
      this.output = mode === MODES.Output || mode === MODES.OutputOpenDrain;
      if (open.onReadable !== undefined && this.output) throw new IOError("bad-option", `onReadable on an output (pins ${open.pins.join(", ")}): open them as an input`);
      checkFormat(open.format, `pins ${open.pins.join(", ")}`);
      this.pull = mode === MODES.InputPullUp || mode === MODES.InputPullUpDown ? 1 : mode === MODES.InputPullDown ? 0 : -1;
      this.pinList = open.pins;
      this.#edges = open.edges;
      this.#onReadable = open.onReadable;
      this.target = open.target;
      for (const pin of open.pins) {
        if (pins.ownerOf(pin) !== undefined) throw new IOError("pin-busy", `pin ${pin} is already open: close() the other instance first`);
      }
      for (const pin of open.pins) pins.claim(pin, this);
    }

    /** DigitalBank's options as digitalbank.c reads them: pins a non-zero mask, edges masked by the pins. */
    static #bankOpening(options: DigitalBankOptions): Opening {
      const mask = Number(options.pins) >>> 0;
      if (mask === 0) throw new IOError("bad-option", `DigitalBank pins ${String(options.pins)}: give a non-zero mask of GPIO bits`, Error);
      const list: number[] = [];
      for (let pin = 0; pin < 32; pin++) if (((mask >>> pin) & 1) === 1) list.push(pin);
      for (const pin of list) pins.check(pin);
      const mode = checkMode(options.mode, `pins ${list.join(", ")}`);
      const onReadable = options.onReadable as Opening["onReadable"];
      if (onReadable !== undefined && onReadable !== null && typeof onReadable !== "function") throw new IOError("bad-option", "DigitalBank onReadable: give a function", Error);
      const edges = new Uint8Array(pins.pinCount);
      if (typeof onReadable === "function") {
        const rises = "rises" in options ? (Number(options.rises) >>> 0) & mask : 0;
        const falls = "falls" in options ? (Number(options.falls) >>> 0) & mask : 0;
        if (rises === 0 && falls === 0) throw new IOError("bad-option", `DigitalBank pins ${list.join(", ")}: onReadable needs rises or falls, a mask of some of its pins`);
        for (const pin of list) edges[pin] = (((rises >>> pin) & 1) * RISING) | (((falls >>> pin) & 1) * FALLING);
      }
      return { pins: list, mode, edges, onReadable: typeof onReadable === "function" ? onReadable : undefined, target: options.target, format: (options as { format?: unknown }).format };
    }

    get format(): string {
      return "number";
    }

    set format(value: string) {
      if (value !== "number") throw new IOError("bad-option", `pin ${this.pinList.join(", ")}: format ${String(value)} is not supported (only "number")`);
    }

    protected checkOpen(): void {
      if (this.#closed) throw new IOError("closed", `Digital on pin ${this.pinList.join(", ")} used after close()`);
    }

    read(): number {
      this.checkOpen();
      if (this.output) throw new IOError("bad-option", `pin ${this.pinList.join(", ")} is an output: open it as an input to read it`, Error);
      let levels = 0;
      for (let i = 0; i < this.pinList.length; i++) {
        const pin = this.pinList[i] ?? 0;
        if (pins.level(pin) === 1) levels |= 1 << (pin & 31);
      }
      return levels >>> 0;
    }

    /** Each pin takes its bit of `value`, converted as ToInt32 (a Symbol or BigInt throws a TypeError). */
    write(value: number): void {
      this.checkOpen();
      if (!this.output) throw new IOError("bad-option", `pin ${this.pinList.join(", ")} is an input: open it with Digital.Output to write`, Error);
      const bits = +value | 0;
      for (let i = 0; i < this.pinList.length; i++) {
        const pin = this.pinList[i] ?? 0;
        pins.setOutput(pin, (bits >>> (pin & 31)) & 1);
      }
    }

    close(): void {
      if (this.#closed) return;
      this.#closed = true;
      for (let i = 0; i < this.pinList.length; i++) pins.release(this.pinList[i] ?? 0, this);
    }

    /** ISR side: an edge on a pin; flags the interrupt if this instance listens for that direction there. */
    edge(pin: number, rising: boolean): void {
      if (this.#closed || this.#onReadable === undefined) return;
      if (((this.#edges[pin] ?? 0) & (rising ? RISING : FALLING)) === 0) return;
      this.triggered = (this.triggered | (1 << (pin & 31))) >>> 0;
      clock.raise(this);
    }

    /** JS thread: the coalesced callback, `this` the instance. A close() before delivery cancels it. */
    deliver(): void {
      const triggered = this.triggered;
      this.triggered = 0;
      if (!this.#closed) this.#onReadable?.call(this as never, triggered);
    }
  }

  class SimDigital extends SimBank implements Digital {
    static readonly Rising = 1 as const;
    static readonly Falling = 2 as const;

    constructor(options: DigitalOptions) {
      super(undefined as never, SimDigital.#opening(options));
    }

    /** Digital's options as digital.js turns them into a bank of one pin. */
    static #opening(options: DigitalOptions): Opening {
      const { pin, edge = 0, onReadable, target } = options;
      if (pin === undefined) throw new IOError("bad-option", "Digital: pin is required", Error);
      pins.check(pin);
      const mode = checkMode(options.mode, `pin ${pin}`);
      const edges = new Uint8Array(pins.pinCount);
      if (onReadable !== undefined && onReadable !== null) {
        if (typeof onReadable !== "function") throw new IOError("bad-option", `pin ${pin}: onReadable must be a function`, Error);
        const flags = Number(edge) & (RISING | FALLING);
        if (flags === 0) throw new IOError("bad-option", `pin ${pin}: onReadable needs edge (Digital.Rising, Digital.Falling or both)`);
        edges[pin] = flags;
      }
      return { pins: [pin], mode, edges, onReadable: onReadable ?? undefined, target, format: (options as { format?: unknown }).format };
    }

    override read(): 0 | 1 {
      return super.read() === 0 ? 0 : 1;
    }

    /** As digital.js: `Number(value)` non-zero drives 1 (so `{}`, "error" and NaN drive 0). */
    override write(value: number): void {
      super.write(Number(value) ? -1 : 0);
    }
  }
  return { Digital: SimDigital, DigitalBank: SimBank };
}

/** The Digital class alone (device.io.Digital). */
export function digitalClass(pins: PinBank, clock: VirtualClock): DigitalConstructor {
  return digitalClasses(pins, clock).Digital;
}
