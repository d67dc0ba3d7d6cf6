/**
 * ECMA-419 Digital on the RP2040's SIO with edge interrupts: the interrupt handler only flags the pin; onReadable
 * runs from the main loop (pinOwners.dispatch).
 */
import { IOError, type Digital, type DigitalOptions } from "../../src/io/types.js";

const PIN_COUNT = 30;

class PinOwners {
  readonly owners: Array<DeviceDigital | undefined> = new Array<DeviceDigital | undefined>(PIN_COUNT).fill(undefined);

  /** Runs onReadable for every pin in `edges` (bit n = GPIO n). */
  dispatch(edges: number): void {
    for (let pin = 0; edges !== 0 && pin < PIN_COUNT; pin++) {
      const bit = 1 << pin;
      if ((edges & bit) === 0) continue;
      edges &= ~bit;
      this.owners[pin]?.readable();
    }
  }
}

export const pinOwners = new PinOwners();

export class DeviceDigital implements Digital {
  static readonly Input = 0;
  static readonly InputPullUp = 1;
  static readonly InputPullDown = 2;
  static readonly InputPullUpDown = 3;
  static readonly Output = 8;
  static readonly OutputOpenDrain = 9;
  static readonly Rising = 1;
  static readonly Falling = 2;
  readonly pin: number;
  readonly #onReadable: ((this: Digital) => void) | undefined;
  readonly target: unknown;

  constructor(options: DigitalOptions) {
    const { pin, mode, edge = 0, onReadable, target } = options;
    if (!Number.isInteger(pin) || pin < 0 || pin >= PIN_COUNT) throw new IOError("unknown-pin", `GPIO ${pin} does not exist on the RP2040 (0–29)`);
    if (pinOwners.owners[pin] !== undefined) throw new IOError("pin-busy", `GPIO ${pin} is already open: close() it first`);
    if (onReadable !== undefined && edge === 0) throw new IOError("bad-option", `onReadable on GPIO ${pin} needs an edge (Digital.Rising, Digital.Falling)`);
    this.pin = pin;
    this.#onReadable = onReadable;
    this.target = target;
    pinOwners.owners[pin] = this;
    rp2040.gpioConfigure(pin, mode === DeviceDigital.Output || mode === DeviceDigital.OutputOpenDrain ? 8 : mode & 3, onReadable === undefined ? 0 : edge & 3);
  }

  read(): 0 | 1 {
    return rp2040.gpioRead(this.pin) === 0 ? 0 : 1;
  }

  write(value: number): void {
    rp2040.gpioWrite(this.pin, value ? 1 : 0);
  }

  readable(): void {
    this.#onReadable?.call(this);
  }

  close(): void {
    if (pinOwners.owners[this.pin] !== this) return;
    rp2040.gpioConfigure(this.pin, 0, 0);
    pinOwners.owners[this.pin] = undefined;
  }
}

