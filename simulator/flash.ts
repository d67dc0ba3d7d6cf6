/**
 * A NOR flash as a microcontroller's QSPI flash behaves (W25Q16-class, the Pico's): sectors erased to 0xFF, pages
 * programmed by clearing bits only (programming a 1 over a 0 leaves the 0), erase and program times on the virtual
 * clock, wear counted per sector, and a power cut at any byte of an erase or a program: the operation stops there,
 * what it had done stays done, and every later operation fails until power returns.
 */
import type { VirtualClock } from "./clock.js";

/** W25Q16JV: 4 KiB sectors, 256-byte pages; typical sector erase 45 ms, page program 0.4 ms (datasheet §9.6). */
export const FLASH_TIMING = Object.freeze({ eraseMs: 45, programPageMs: 0.4 });

export class PowerCutError extends Error {
  override name = "PowerCutError";
}

export interface FlashGeometry {
  readonly sectors: number;
  readonly sectorBytes?: number;
  readonly pageBytes?: number;
}

export class SimulatedFlash {
  readonly sectorBytes: number;
  readonly pageBytes: number;
  readonly bytes: Uint8Array;
  /** Erases per sector (wear), programs, bytes programmed. */
  readonly erases: Uint32Array;
  programs = 0;
  bytesProgrammed = 0;
  /** Bytes of erase and program work done since power-on: a cut at `cutAt` stops the operation at that byte. */
  work = 0;
  /** The work byte at which power is cut (Infinity: never). */
  cutAt = Infinity;
  #powered = true;

  constructor(readonly clock: VirtualClock | undefined, geometry: FlashGeometry) {
    this.sectorBytes = geometry.sectorBytes ?? 4096;
    this.pageBytes = geometry.pageBytes ?? 256;
    this.bytes = new Uint8Array(geometry.sectors * this.sectorBytes).fill(0xff);
    this.erases = new Uint32Array(geometry.sectors);
  }

  get sectors(): number {
    return this.erases.length;
  }

  get powered(): boolean {
    return this.#powered;
  }

  /** Power comes back: the contents stay as the cut left them. */
  powerOn(): void {
    this.#powered = true;
    this.work = 0;
    this.cutAt = Infinity;
  }

  #check(offset: number, length: number): void {
    if (!this.#powered) throw new PowerCutError("the flash has no power");
    if (!Number.isInteger(offset) || offset < 0 || offset + length > this.bytes.length) {
      throw new RangeError(`flash access at ${offset}+${length} is outside its ${this.bytes.length} bytes`);
    }
  }

  /** One byte of an operation's work; throws once the cut point is reached. */
  #step(): void {
    if (this.work >= this.cutAt) {
      this.#powered = false;
      throw new PowerCutError(`power cut at byte ${this.work} of flash work`);
    }
    this.work++;
  }

  /** Erases sector `sector` to 0xFF, byte by byte (a cut leaves the rest as it was). */
  erase(sector: number): void {
    const start = sector * this.sectorBytes;
    this.#check(start, this.sectorBytes);
    this.erases[sector] = (this.erases[sector] ?? 0) + 1;
    this.clock?.busy(FLASH_TIMING.eraseMs);
    for (let i = 0; i < this.sectorBytes; i++) {
      this.#step();
      this.bytes[start + i] = 0xff;
    }
  }

  /** Programs bytes[start .. start + length) at `offset` within one page: each byte ANDed into what is there. */
  program(offset: number, bytes: Uint8Array, start: number, length: number): void {
    this.#check(offset, length);
    if (Math.floor(offset / this.pageBytes) !== Math.floor((offset + length - 1) / this.pageBytes)) {
      throw new RangeError(`a program of ${length} bytes at ${offset} crosses a ${this.pageBytes}-byte page`);
    }
    this.programs++;
    this.clock?.busy(FLASH_TIMING.programPageMs);
    for (let i = 0; i < length; i++) {
      this.#step();
      this.bytes[offset + i] = (this.bytes[offset + i] ?? 0xff) & (bytes[start + i] ?? 0xff);
      this.bytesProgrammed++;
    }
  }

  read(offset: number, into: Uint8Array, start: number, length: number): void {
    this.#check(offset, length);
    for (let i = 0; i < length; i++) into[start + i] = this.bytes[offset + i] ?? 0xff;
  }
}
