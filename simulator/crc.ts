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

/** A table-driven CRC of 8 or 16 bits, computed as crc.c does; CRC8 and CRC16 differ only in width and reset(). */
class TableCrc {
  readonly #table: Uint16Array;
  /** Bits to shift a byte to the top of the register: 0 for 8 bits, 8 for 16. */
  readonly #shift: number;
  readonly #mask: number;
  readonly #reset: number;
  readonly #reflectInput: boolean;
  readonly #reflectOutput: boolean;
  readonly #xorOutput: number;
  #crc: number;

  constructor(width: 8 | 16, polynomial: number, initial: number, reflectInput: boolean | number, reflectOutput: boolean | number,
    xorOutput: number) {
    this.#shift = width - 8;
    this.#mask = width === 8 ? 0xff : 0xffff;
    const top = 1 << (width - 1);
    this.#table = new Uint16Array(256);
    for (let i = 0; i < 256; i++) {
      let crc = i << this.#shift;
      for (let j = 0; j < 8; j++) crc = crc & top ? ((crc << 1) ^ polynomial) & this.#mask : (crc << 1) & this.#mask;
      this.#table[i] = crc;
    }
    this.#reset = this.#crc = initial & this.#mask;
    this.#reflectInput = Boolean(reflectInput);
    this.#reflectOutput = Boolean(reflectOutput);
    this.#xorOutput = xorOutput & this.#mask;
  }

  checksum(buffer: ArrayBuffer | ArrayBufferView): number {
    const bytes = bytesOf(buffer);
    const shift = this.#shift;
    let crc = this.#crc;
    for (let i = 0; i < bytes.length; i++) {
      const byte = this.#reflectInput ? reflect8(bytes[i] ?? 0) : (bytes[i] ?? 0);
      crc ^= byte << shift;
      crc = ((crc << 8) ^ (this.#table[(crc >> shift) & 0xff] ?? 0)) & this.#mask;
    }
    this.#crc = crc;
    const out = !this.#reflectOutput ? crc : shift === 0 ? reflect8(crc) : (reflect8(crc & 0xff) << 8) | reflect8(crc >> 8);
    return out ^ this.#xorOutput;
  }

  protected restart(): void {
    this.#crc = this.#reset;
  }

  close(): void {}
}

export class CRC8 extends TableCrc {
  constructor(polynomial: number, initial = 0, reflectInput: boolean | number = 0, reflectOutput: boolean | number = 0, xorOutput = 0) {
    super(8, polynomial, initial, reflectInput, reflectOutput, xorOutput);
  }

  /** Starts over from the initial value; returns the instance, as Moddable's CRC8 does (drivers chain it). */
  reset(): this {
    this.restart();
    return this;
  }
}

export class CRC16 extends TableCrc {
  constructor(polynomial: number, initial = 0, reflectInput: boolean | number = 0, reflectOutput: boolean | number = 0, xorOutput = 0) {
    super(16, polynomial, initial, reflectInput, reflectOutput, xorOutput);
  }

  /** Starts over from the initial value (Moddable's CRC16.reset returns nothing, unlike CRC8's). */
  reset(): void {
    this.restart();
  }
}

export default CRC8;
