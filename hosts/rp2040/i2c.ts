/**
 * ECMA-419 I2C and SMBus over the RP2040's I2C0. Transfers fill the caller's bytes and allocate nothing; a NACK or a
 * timeout throws I2CError, as ECMA-419 implementations do.
 */
import { I2CError, IOError, type Buffer419, type I2C, type I2COptions, type SMBus } from "../../src/io/types.js";

const DEFAULT_TIMEOUT_MS = 25;
const RESULT = Object.freeze({ ok: 0, nackAddress: 1, nackData: 2, timeout: 3 });

/** The pins I2C0 was set up on by the first controller opened: -1 until then. */
let busData = -1;
let busClock = -1;

export class DeviceI2C implements I2C {
  readonly address: number;
  readonly #timeoutMicros: number;
  #closed = false;

  constructor(options: I2COptions) {
    const { data, clock, hz, address, timeout } = options;
    if (!Number.isInteger(address) || address < 0 || address > 0x7f) {
      throw new IOError("bad-option", `I2C address ${address} is not a 7-bit address (0x00–0x7F)`);
    }
    if (busData < 0) rp2040.i2cInit(data, clock, hz > 0 ? hz : 100_000);
    else if (data !== busData || clock !== busClock) {
      throw new IOError("bad-option", `I2C0 runs on GP${busData}/GP${busClock}: this host drives one I2C bus, not GP${data}/GP${clock}`);
    }
    busData = data;
    busClock = clock;
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

export class DeviceSMBus extends DeviceI2C implements SMBus {
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

