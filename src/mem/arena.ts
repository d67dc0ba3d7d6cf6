/**
 * StaticArena: one ArrayBuffer sized at boot, carved into named regions during init and then sealed — the firmware's
 * static memory, as TinyGo's -gc=none programs have it. Views are made once here, never on a hot path.
 */
import { ArenaError } from "./errors.js";

export interface Region {
  readonly name: string;
  /** Offset of the region in the arena's buffer. */
  readonly offset: number;
  readonly length: number;
  /** The arena's whole buffer as bytes: a region's data is bytes[offset .. offset + length). */
  readonly bytes: Uint8Array;
  /** A DataView over the arena's whole buffer, for multi-byte fields at absolute offsets. */
  readonly view: DataView;
}

export interface ArenaReport {
  readonly sizeBytes: number;
  readonly usedBytes: number;
  readonly freeBytes: number;
  readonly sealed: boolean;
  readonly regions: ReadonlyArray<{ readonly name: string; readonly offset: number; readonly length: number }>;
}

export class StaticArena {
  readonly buffer: ArrayBuffer;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly #regions: Region[] = [];
  #used = 0;
  #sealed = false;

  constructor(sizeBytes: number) {
    if (!Number.isInteger(sizeBytes) || sizeBytes <= 0) {
      throw new ArenaError("bad-size", "", sizeBytes, 0, `arena size must be a positive whole number of bytes, got ${sizeBytes}`);
    }
    this.buffer = new ArrayBuffer(sizeBytes);
    this.bytes = new Uint8Array(this.buffer);
    this.view = new DataView(this.buffer);
  }

  /** Reserves `length` bytes, aligned to `align`, under a unique name. Only before `seal()`. */
  carve(name: string, length: number, align = 8): Region {
    if (this.#sealed) {
      throw new ArenaError("sealed", name, length, this.freeBytes,
        `cannot carve region "${name}" (${length} bytes): the arena is sealed; carve every region during init`);
    }
    if (!Number.isInteger(length) || length <= 0) {
      throw new ArenaError("bad-size", name, length, this.freeBytes, `region "${name}" needs a positive size, got ${length}`);
    }
    if (this.#regions.some((region) => region.name === name)) {
      throw new ArenaError("duplicate-region", name, length, this.freeBytes, `region "${name}" is already carved; pick another name`);
    }
    const offset = Math.ceil(this.#used / align) * align;
    if (offset + length > this.buffer.byteLength) {
      const available = Math.max(0, this.buffer.byteLength - offset);
      throw new ArenaError("overflow", name, length, available,
        `region "${name}" needs ${length} bytes but only ${available} of ${this.buffer.byteLength} are left: ` +
        "make the arena larger or the region smaller");
    }
    const region: Region = Object.freeze({ name, offset, length, bytes: this.bytes, view: this.view });
    this.#regions.push(region);
    this.#used = offset + length;
    return region;
  }

  /** Ends init: every later carve throws. */
  seal(): void {
    this.#sealed = true;
  }

  get sealed(): boolean {
    return this.#sealed;
  }

  get freeBytes(): number {
    return this.buffer.byteLength - this.#used;
  }

  region(name: string): Region | undefined {
    return this.#regions.find((region) => region.name === name);
  }

  /** What each region holds and what is left (allocates: for boot logs and /metrics setup, not hot paths). */
  report(): ArenaReport {
    return {
      sizeBytes: this.buffer.byteLength,
      usedBytes: this.#used,
      freeBytes: this.freeBytes,
      sealed: this.#sealed,
      regions: this.#regions.map((region) => ({ name: region.name, offset: region.offset, length: region.length })),
    };
  }
}
