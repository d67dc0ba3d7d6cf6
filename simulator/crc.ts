/**
 * The `crc` module's API (Moddable modules/data/crc, native on a device) in JavaScript, so drivers written as
 * `import CRC8 from "crc"` run in the simulator. Same arguments and behaviour as Moddable's crc.c: a table-driven
 * CRC whose checksum() continues from the previous call until reset(), reflected input/output and a final XOR.
 */

/** Reverses the bits of a byte. */
function reflect8(byte: number): number {
  let out = 0;
  for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) out |= 0x80 >> bit;
  return out;
}

/** The bytes to check; a Uint8Array as it is (the native module reads the caller's memory and allocates nothing). */
function bytesOf(buffer: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  throw new TypeError("checksum() takes an ArrayBuffer, a typed array or a DataView");
}

export class CRC8 {
  readonly #table = new Uint8Array(256);
  readonly #reset: number;
  readonly #reflectInput: boolean;
  readonly #reflectOutput: boolean;
  readonly #xorOutput: number;
  #crc: number;

  constructor(polynomial: number, initial = 0, reflectInput: boolean | number = 0, reflectOutput: boolean | number = 0, xorOutput = 0) {
    for (let i = 0; i < 256; i++) {
      let cur = i;
      for (let j = 0; j < 8; j++) cur = cur & 0x80 ? ((cur << 1) ^ polynomial) & 0xff : (cur << 1) & 0xff;
      this.#table[i] = cur;
    }
    this.#reset = this.#crc = initial & 0xff;
    this.#reflectInput = Boolean(reflectInput);
    this.#reflectOutput = Boolean(reflectOutput);
    this.#xorOutput = xorOutput & 0xff;
  }

  checksum(buffer: ArrayBuffer | ArrayBufferView): number {
    const bytes = bytesOf(buffer);
    let crc = this.#crc;
    for (let i = 0; i < bytes.length; i++) {
      const byte = this.#reflectInput ? reflect8(bytes[i] ?? 0) : (bytes[i] ?? 0);
      crc = this.#table[(crc ^ byte) & 0xff] ?? 0;
    }
    this.#crc = crc;
    return (this.#reflectOutput ? reflect8(crc) : crc) ^ this.#xorOutput;
  }

  /** Starts over from the initial value; returns the instance, as Moddable's CRC8 does (drivers chain it). */
  reset(): this {
    this.#crc = this.#reset;
    return this;
  }

  close(): void {}
}

export class CRC16 {
  readonly #table = new Uint16Array(256);
  readonly #reset: number;
  readonly #reflectInput: boolean;
  readonly #reflectOutput: boolean;
  readonly #xorOutput: number;
  #crc: number;

  constructor(polynomial: number, initial = 0, reflectInput: boolean | number = 0, reflectOutput: boolean | number = 0, xorOutput = 0) {
    for (let i = 0; i < 256; i++) {
      let crc = i << 8;
      for (let j = 0; j < 8; j++) crc = crc & 0x8000 ? ((crc << 1) ^ polynomial) & 0xffff : (crc << 1) & 0xffff;
      this.#table[i] = crc;
    }
    this.#reset = this.#crc = initial & 0xffff;
    this.#reflectInput = Boolean(reflectInput);
    this.#reflectOutput = Boolean(reflectOutput);
    this.#xorOutput = xorOutput & 0xffff;
  }

  checksum(buffer: ArrayBuffer | ArrayBufferView): number {
    const bytes = bytesOf(buffer);
    let crc = this.#crc;
    for (let i = 0; i < bytes.length; i++) {
      const byte = this.#reflectInput ? reflect8(bytes[i] ?? 0) : (bytes[i] ?? 0);
      crc ^= byte << 8;
      crc = ((crc << 8) ^ (this.#table[(crc >> 8) & 0xff] ?? 0)) & 0xffff;
    }
    this.#crc = crc;
    const out = this.#reflectOutput ? (reflect8(crc & 0xff) << 8) | reflect8(crc >> 8) : crc;
    return out ^ this.#xorOutput;
  }

  /** Starts over from the initial value (Moddable's CRC16.reset returns nothing, unlike CRC8's). */
  reset(): void {
    this.#crc = this.#reset;
  }

  close(): void {}
}

export default CRC8;
