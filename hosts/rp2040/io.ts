/**
 * ECMA-419 IO on the RP2040's own peripherals: Digital over SIO with edge interrupts (the interrupt handler only
 * flags the pin; onReadable runs from the main loop), I2C and SMBus over I2C0. Transfers fill the caller's bytes and
 * allocate nothing; a NACK or a timeout throws I2CError, as ECMA-419 implementations do.
 */
import {
  I2CError, IOError, type Buffer419, type DeviceProvider, type Digital, type DigitalOptions, type I2C,
  type I2COptions, type SMBus,
} from "../../src/io/types.js";
import type { Board } from "../../boards/board.js";

const PIN_COUNT = 30;
const DEFAULT_TIMEOUT_MS = 25;
const RESULT = Object.freeze({ ok: 0, nackAddress: 1, nackData: 2, timeout: 3 });

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

class DeviceDigital implements Digital {
  static readonly Input = 0;
  static readonly InputPullUp = 1;
  static readonly InputPullDown = 2;
  static readonly InputPullUpDown = 3;
  static readonly Output = 8;
  static readonly OutputOpenDrain = 9;
  static readonly Rising = 1;
  static readonly Falling = 2;
  readonly pin: number;
  readonly #onReadable: ((this: unknown) => void) | undefined;
  readonly #target: unknown;

  constructor(options: DigitalOptions) {
    const { pin, mode, edge = 0, onReadable, target } = options;
    if (!Number.isInteger(pin) || pin < 0 || pin >= PIN_COUNT) throw new IOError("unknown-pin", `GPIO ${pin} does not exist on the RP2040 (0–29)`);
    if (pinOwners.owners[pin] !== undefined) throw new IOError("pin-busy", `GPIO ${pin} is already open: close() it first`);
    if (onReadable !== undefined && edge === 0) throw new IOError("bad-option", `onReadable on GPIO ${pin} needs an edge (Digital.Rising, Digital.Falling)`);
    this.pin = pin;
    this.#onReadable = onReadable;
    this.#target = target;
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
    this.#onReadable?.call(this.#target ?? this);
  }

  close(): void {
    if (pinOwners.owners[this.pin] !== this) return;
    rp2040.gpioConfigure(this.pin, 0, 0);
    pinOwners.owners[this.pin] = undefined;
  }
}

let busReady = false;

class DeviceI2C implements I2C {
  readonly address: number;
  readonly #timeoutMicros: number;
  #closed = false;

  constructor(options: I2COptions) {
    const { data, clock, hz, address, timeout } = options;
    if (!Number.isInteger(address) || address < 0 || address > 0x7f) {
      throw new IOError("bad-option", `I2C address ${address} is not a 7-bit address (0x00–0x7F)`);
    }
    if (!busReady) rp2040.i2cInit(data, clock, hz > 0 ? hz : 100_000);
    busReady = true;
    this.address = address;
    this.#timeoutMicros = (timeout ?? DEFAULT_TIMEOUT_MS) * 1000;
  }

  read(countOrBuffer: number | Buffer419, stop = true): ArrayBuffer | undefined {
    if (!(countOrBuffer instanceof ArrayBuffer) && !ArrayBuffer.isView(countOrBuffer)) {
      const result = new ArrayBuffer(countOrBuffer);
      this.transfer(true, result, 0, countOrBuffer, stop);
      return result;
    }
    if (countOrBuffer instanceof ArrayBuffer) this.transfer(true, countOrBuffer, 0, countOrBuffer.byteLength, stop);
    else this.transfer(true, countOrBuffer.buffer as ArrayBuffer, countOrBuffer.byteOffset, countOrBuffer.byteLength, stop);
    return undefined;
  }

  write(buffer: Buffer419, stop = true): void {
    if (buffer instanceof ArrayBuffer) this.transfer(false, buffer, 0, buffer.byteLength, stop);
    else this.transfer(false, buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.byteLength, stop);
  }

  protected transfer(read: boolean, buffer: ArrayBuffer, offset: number, length: number, stop: boolean): void {
    if (this.#closed) throw new IOError("closed", `I2C 0x${this.address.toString(16)} used after close()`);
    const result = rp2040.i2cTransfer(read, this.address, buffer, offset, length, stop, this.#timeoutMicros);
    if (result === RESULT.ok) return;
    const address = this.address;
    if (result === RESULT.nackAddress) throw new I2CError("nack-address", address, `no device answered at I2C address 0x${address.toString(16)}`);
    if (result === RESULT.nackData) throw new I2CError("nack-data", address, `I2C device 0x${address.toString(16)} NACKed a byte`);
    throw new I2CError("timeout", address, `I2C transfer with 0x${address.toString(16)} did not finish within ${this.#timeoutMicros / 1000} ms`);
  }

  close(): void {
    this.#closed = true;
  }
}

class DeviceSMBus extends DeviceI2C implements SMBus {
  readonly #scratch = new Uint8Array(3);

  readUint8(register: number): number {
    this.#scratch[0] = register;
    this.transfer(false, this.#scratch.buffer, 0, 1, false);
    this.transfer(true, this.#scratch.buffer, 0, 1, true);
    return this.#scratch[0] ?? 0;
  }

  writeUint8(register: number, value: number): void {
    this.#scratch[0] = register;
    this.#scratch[1] = value;
    this.transfer(false, this.#scratch.buffer, 0, 2, true);
  }

  readUint16(register: number, bigEndian = false): number {
    this.#scratch[0] = register;
    this.transfer(false, this.#scratch.buffer, 0, 1, false);
    this.transfer(true, this.#scratch.buffer, 0, 2, true);
    const first = this.#scratch[0] ?? 0;
    const second = this.#scratch[1] ?? 0;
    return bigEndian ? (first << 8) | second : (second << 8) | first;
  }

  writeUint16(register: number, value: number, bigEndian = false): void {
    this.#scratch[0] = register;
    this.#scratch[1] = bigEndian ? (value >> 8) & 0xff : value & 0xff;
    this.#scratch[2] = bigEndian ? value & 0xff : (value >> 8) & 0xff;
    this.transfer(false, this.#scratch.buffer, 0, 3, true);
  }

  readBuffer(register: number, countOrBuffer: number | Buffer419): ArrayBuffer | undefined {
    this.#scratch[0] = register;
    this.transfer(false, this.#scratch.buffer, 0, 1, false);
    return this.read(countOrBuffer);
  }

  writeBuffer(register: number, buffer: Buffer419): void {
    const bytes = buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const frame = new Uint8Array(bytes.length + 1);
    frame[0] = register;
    frame.set(bytes, 1);
    this.transfer(false, frame.buffer, 0, frame.length, true);
  }
}

/** The `device` provider of a board wired to this chip's peripherals. */
export function rp2040Device(board: Board): DeviceProvider {
  return Object.freeze({
    io: Object.freeze({ Digital: DeviceDigital, I2C: DeviceI2C, SMBus: DeviceSMBus }),
    I2C: Object.freeze({ default: Object.freeze({ data: board.pins.i2cData, clock: board.pins.i2cClock, hz: board.i2cHz }) }),
    pin: Object.freeze({ ...board.pins }),
  });
}
