/**
 * ECMA-419 I2C and SMBus over the simulated buses: the `data`/`clock` pins pick the bus, once, in the constructor.
 * Buffer forms fill the caller's bytes and allocate nothing.
 */
import {
  IOError, type Buffer419, type I2C, type I2CConstructor, type I2COptions, type SMBus, type SMBusConstructor,
} from "../src/io/index.js";
import type { I2CBus } from "./bus.js";
import type { I2CBuses } from "./buses.js";

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
}

/** I2C and SMBus classes bound to one simulation's buses, as a board provider's device.io.I2C/SMBus are. */
export function i2cClasses(buses: I2CBuses): I2CClasses {
  class SimI2C implements I2C {
    readonly address: number;
    protected readonly bus: I2CBus;
    protected readonly hz: number;
    protected readonly timeoutMs: number;
    protected readonly view: Bytes = emptyBytes();
    protected closed = false;

    constructor(options: I2COptions) {
      const { data, clock, hz, address, port, timeout } = options;
      if (!Number.isInteger(address) || address < 0 || address > 0x7f) {
        throw new IOError("bad-option", `I2C address ${address} is not a 7-bit address (0x00–0x7F)`);
      }
      this.bus = buses.on(data, clock, port);
      this.address = address;
      this.hz = hz > 0 ? hz : 100_000;
      this.timeoutMs = timeout ?? DEFAULT_TIMEOUT_MS;
    }

    protected closedError(): IOError {
      return new IOError("closed", `I2C 0x${this.address.toString(16)} used after close()`);
    }

    read(countOrBuffer: number | Buffer419, stop = true): ArrayBuffer | undefined {
      if (this.closed) throw this.closedError();
      // No typeof: comparing with a string literal costs a chunk allocation on XS when the module is not preloaded.
      if (!(countOrBuffer instanceof ArrayBuffer) && !ArrayBuffer.isView(countOrBuffer)) {
        const result = new ArrayBuffer(countOrBuffer);
        this.bus.read(this.address, new Uint8Array(result), 0, countOrBuffer, stop, this.hz, this.timeoutMs);
        return result;
      }
      const view = bytesOf(countOrBuffer, this.view);
      this.bus.read(this.address, view.bytes, view.offset, view.length, stop, this.hz, this.timeoutMs);
      return undefined;
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
      this.closed = true;
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
  return { I2C: SimI2C, SMBus: SimSMBus };
}
