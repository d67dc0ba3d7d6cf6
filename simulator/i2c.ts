/**
 * ECMA-419 I2C and SMBus over the simulated buses: the `data`/`clock` pins pick the bus, once, in the constructor,
 * checked as Moddable's I2C checks them (modules/io/i2c/<platform>/_i2c.c): the same options required, the same error
 * classes, the bus's pins claimed (shared by the I2C instances on that bus, refused to a Digital), one instance per
 * address. Buffer forms fill the caller's bytes and allocate nothing.
 */
import {
  IOError, type Buffer419, type I2C, type I2CConstructor, type I2COptions, type SMBus, type SMBusConstructor,
} from "../src/io/index.js";
import type { I2CBus } from "./bus.js";
import type { I2CBuses } from "./buses.js";
import type { PinBank, PinOwner } from "./pins.js";

/** The fastest clock Moddable's I2C accepts. */
const MAX_HZ = 20_000_000;

/** The I2C instances open on one bus: they share its two pins, which are released when the last closes. */
class BusUsers implements PinOwner {
  /** I2C lines are pulled up (Moddable's `pullup` option defaults on). */
  readonly pull = 1;
  readonly addresses: number[] = [];
  edge(): void {}
}

/** A pin or address as builtinGetPin reads it: undefined is an Error, a negative value a RangeError. */
function unsignedOption(options: object, key: string): number {
  const value = (options as Record<string, unknown>)[key];
  if (value === undefined) throw new IOError("bad-option", `I2C ${key} is undefined: give a number`, Error);
  const number = Math.trunc(Number(value)) || 0;
  if (number < 0) throw new IOError("bad-option", `I2C ${key} ${String(value)} is negative`);
  return number;
}

function requireOption(options: object, key: string): void {
  if (!(key in options)) throw new IOError("bad-option", `I2C ${key} is required`);
}

const DEFAULT_TIMEOUT_MS = 25;

interface Bytes {
  bytes: Uint8Array;
  offset: number;
  length: number;
  /** The last store seen and a byte view of all of it: a driver passing the same buffer each time costs no view. */
  store: ArrayBufferLike | undefined;
  whole: Uint8Array;
}

function emptyBytes(): Bytes {
  const none = new Uint8Array(0);
  return { bytes: none, offset: 0, length: 0, store: undefined, whole: none };
}

function bytesOf(buffer: Buffer419, into: Bytes): Bytes {
  if (buffer instanceof Uint8Array) {
    into.bytes = buffer;
    into.offset = 0;
    into.length = buffer.length;
    return into;
  }
  const whole = buffer instanceof ArrayBuffer;
  const store = whole ? buffer : buffer.buffer;
  if (into.store !== store) {
    into.store = store;
    into.whole = new Uint8Array(store);
  }
  into.bytes = into.whole;
  into.offset = whole ? 0 : buffer.byteOffset;
  into.length = buffer.byteLength;
  return into;
}

export interface I2CClasses {
  readonly I2C: I2CConstructor;
  readonly SMBus: SMBusConstructor;
  /** An MCU reset: forgets every open instance (their pins are released with the others by PinBank.releaseAll). */
  readonly reset: () => void;
}

/** I2C and SMBus classes bound to one simulation's buses, as a board provider's device.io.I2C/SMBus are. */
export function i2cClasses(buses: I2CBuses, pins: PinBank): I2CClasses {
  const users = new Map<I2CBus, BusUsers>();

  /** The users of the bus on these pins, after checking no one else has the pins. */
  function usersOn(bus: I2CBus, data: number, clock: number): BusUsers {
    const open = users.get(bus);
    if (open !== undefined) return open;
    for (const pin of [data, clock]) {
      if (pins.ownerOf(pin) !== undefined) throw new IOError("pin-busy", `I2C pin ${pin} is already open (a Digital?): close() it first`, RangeError);
    }
    const created = new BusUsers();
    users.set(bus, created);
    pins.claim(data, created, RangeError);
    pins.claim(clock, created, RangeError);
    return created;
  }

  class SimI2C implements I2C {
    readonly address: number;
    readonly target: unknown;
    protected readonly bus: I2CBus;
    protected readonly hz: number;
    protected readonly timeoutMs: number;
    protected readonly view: Bytes = emptyBytes();
    protected closed = false;
    readonly #data: number;
    readonly #clock: number;
    readonly #users: BusUsers;

    constructor(options: I2COptions) {
      for (const key of ["data", "clock", "address"]) requireOption(options, key);
      const data = unsignedOption(options, "data");
      const clock = unsignedOption(options, "clock");
      pins.check(data, RangeError);
      pins.check(clock, RangeError);
      const address = unsignedOption(options, "address");
      if (address > 0x7f) throw new IOError("bad-option", `I2C address ${address} is not a 7-bit address (0x00–0x7F)`);
      const hz = Math.trunc(Number(options.hz)) || 0;
      if (hz <= 0 || hz > MAX_HZ) throw new IOError("bad-option", `I2C hz ${String(options.hz)}: give the bus clock in Hz, 1–${MAX_HZ} (e.g. 100_000)`);
      const format = (options as { format?: unknown }).format;
      if (format !== undefined && format !== null && format !== "" && format !== "buffer") {
        throw new IOError("bad-option", `I2C format ${String(format)} is not supported (only "buffer")`);
      }
      this.bus = buses.on(data, clock, options.port);
      const open = users.get(this.bus);
      if (open !== undefined && open.addresses.includes(address)) {
        throw new IOError("address-busy", `I2C address 0x${address.toString(16)} on bus ${this.bus.name} is already open: close() it first`, RangeError);
      }
      this.#users = usersOn(this.bus, data, clock);
      this.#users.addresses.push(address);
      this.#data = data;
      this.#clock = clock;
      this.address = address;
      this.hz = hz;
      this.timeoutMs = options.timeout ?? DEFAULT_TIMEOUT_MS;
      this.target = (options as { target?: unknown }).target;
    }

    get format(): string {
      return "buffer";
    }

    set format(value: string) {
      if (value !== "buffer") throw new IOError("bad-option", `I2C format ${String(value)} is not supported (only "buffer")`);
    }

    protected closedError(): IOError {
      return new IOError("closed", `I2C 0x${this.address.toString(16)} used after close()`);
    }

    /** Reads `count` bytes into a new ArrayBuffer, or fills `buffer` and returns its length, as Moddable's I2C. */
    read(countOrBuffer: number | Buffer419, stop = true): ArrayBuffer | number {
      if (this.closed) throw this.closedError();
      // No typeof: comparing with a string literal costs a chunk allocation on XS when the module is not preloaded.
      if (!(countOrBuffer instanceof ArrayBuffer) && !ArrayBuffer.isView(countOrBuffer)) {
        const count = Math.trunc(Number(countOrBuffer)) || 0;
        const result = new ArrayBuffer(count);
        this.bus.read(this.address, new Uint8Array(result), 0, count, stop, this.hz, this.timeoutMs);
        return result;
      }
      const view = bytesOf(countOrBuffer, this.view);
      this.bus.read(this.address, view.bytes, view.offset, view.length, stop, this.hz, this.timeoutMs);
      return view.length;
    }

    /** Moddable's extension: writes `buffer`, then reads after a repeated start (a new buffer, or fills one). */
    writeRead(buffer: Buffer419, countOrBuffer: number | Buffer419, stop = true): ArrayBuffer | number {
      this.write(buffer, false);
      return this.read(countOrBuffer, stop);
    }

    /** Reads into part of a buffer without making a view (the zero-allocation path drivers use). */
    readInto(bytes: Uint8Array, offset: number, length: number, stop = true): void {
      if (this.closed) throw this.closedError();
      this.bus.read(this.address, bytes, offset, length, stop, this.hz, this.timeoutMs);
    }

    write(buffer: Buffer419, stop = true): void {
      if (this.closed) throw this.closedError();
      const view = bytesOf(buffer, this.view);
      this.bus.write(this.address, view.bytes, view.offset, view.length, stop, this.hz, this.timeoutMs);
    }

    /** Writes part of a buffer without making a view. */
    writeFrom(bytes: Uint8Array, offset: number, length: number, stop = true): void {
      if (this.closed) throw this.closedError();
      this.bus.write(this.address, bytes, offset, length, stop, this.hz, this.timeoutMs);
    }

    close(): void {
      if (this.closed) return;
      this.closed = true;
      const open = this.#users;
      if (users.get(this.bus) !== open) return; // opened before an MCU reset
      const index = open.addresses.indexOf(this.address);
      if (index >= 0) open.addresses.splice(index, 1);
      if (open.addresses.length > 0) return;
      users.delete(this.bus);
      pins.release(this.#data, open);
      pins.release(this.#clock, open);
    }
  }

  class SimSMBus extends SimI2C implements SMBus {
    readonly #scratch = new Uint8Array(3);

    /** Register read: the pointer write, then `length` bytes into #scratch after a repeated start. */
    #readRegister(register: number, length: number): Uint8Array {
      if (this.closed) throw this.closedError();
      const scratch = this.#scratch;
      scratch[0] = register;
      this.bus.writeRead(this.address, scratch, 0, 1, scratch, 0, length, this.hz, this.timeoutMs);
      return scratch;
    }

    readUint8(register: number): number {
      return this.#readRegister(register, 1)[0] ?? 0;
    }

    writeUint8(register: number, value: number): void {
      this.#scratch[0] = register;
      this.#scratch[1] = value;
      this.writeFrom(this.#scratch, 0, 2);
    }

    readUint16(register: number, bigEndian = false): number {
      if (this.closed) throw this.closedError();
      const scratch = this.#scratch; // #readRegister(register, 2), inlined: drivers' most frequent call
      scratch[0] = register;
      this.bus.writeRead(this.address, scratch, 0, 1, scratch, 0, 2, this.hz, this.timeoutMs);
      const first = scratch[0] ?? 0;
      const second = scratch[1] ?? 0;
      return bigEndian ? (first << 8) | second : (second << 8) | first;
    }

    writeUint16(register: number, value: number, bigEndian = false): void {
      this.#scratch[0] = register;
      this.#scratch[1] = bigEndian ? (value >> 8) & 0xff : value & 0xff;
      this.#scratch[2] = bigEndian ? value & 0xff : (value >> 8) & 0xff;
      this.writeFrom(this.#scratch, 0, 3);
    }

    readBuffer(register: number, countOrBuffer: number | Buffer419): ArrayBuffer | undefined {
      if (this.closed) throw this.closedError();
      const scratch = this.#scratch;
      scratch[0] = register;
      if (!(countOrBuffer instanceof ArrayBuffer) && !ArrayBuffer.isView(countOrBuffer)) {
        const result = new ArrayBuffer(countOrBuffer);
        this.bus.writeRead(this.address, scratch, 0, 1, new Uint8Array(result), 0, countOrBuffer, this.hz, this.timeoutMs);
        return result;
      }
      const view = bytesOf(countOrBuffer, this.view);
      this.bus.writeRead(this.address, scratch, 0, 1, view.bytes, view.offset, view.length, this.hz, this.timeoutMs);
      return undefined;
    }

    writeBuffer(register: number, buffer: Buffer419): void {
      const view = bytesOf(buffer, emptyBytes());
      const frame = new Uint8Array(view.length + 1);
      frame[0] = register;
      frame.set(view.bytes.subarray(view.offset, view.offset + view.length), 1);
      this.writeFrom(frame, 0, frame.length);
    }
  }
  return { I2C: SimI2C, SMBus: SimSMBus, reset: () => users.clear() };
}
