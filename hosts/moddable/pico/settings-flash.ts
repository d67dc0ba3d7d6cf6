/**
 * The settings sectors of Moddable's Pico build (flash.c) as a NorFlash, for FlashSlots: sector `n` is the n-th
 * 4 KB sector of the flash, so FlashSlots' first sector is settingsOffset() / 4096.
 */
import type { NorFlash } from "../../../src/services/flash-slots.js";
import { erase, program, read, settingsOffset } from "./flash.js";

const SECTOR_BYTES = 4096;
const PAGE_BYTES = 256;

export class PicoFlash implements NorFlash {
  readonly sectorBytes = SECTOR_BYTES;
  readonly pageBytes = PAGE_BYTES;

  /** The first of the two settings sectors. */
  get settingsSector(): number {
    return settingsOffset() / SECTOR_BYTES;
  }

  erase(sector: number): void {
    erase(sector * SECTOR_BYTES);
  }

  program(offset: number, bytes: Uint8Array, start: number, length: number): void {
    program(offset, bytes.buffer as ArrayBuffer, bytes.byteOffset + start, length);
  }

  read(offset: number, into: Uint8Array, start: number, length: number): void {
    read(offset, into.buffer as ArrayBuffer, into.byteOffset + start, length);
  }
}
