/**
 * Where the image keeps its settings: the last two 4 KB sectors of the QSPI flash (memmap.ld keeps the image out of
 * them), reached through the host's flash functions (flash.c: the bootrom's, run from RAM), as two record slots
 * (BoundedSlots sized by settingsSlotBytes: as large as the settings record can grow, not a sector).
 */
import type { NorFlash } from "../../src/services/flash-slots.js";

export const SECTOR_BYTES = 4096;
export const PAGE_BYTES = 256;

/** The RP2040's flash through the `rp2040` global: erase and program run from RAM with interrupts off. */
export class Rp2040Flash implements NorFlash {
  readonly sectorBytes = SECTOR_BYTES;
  readonly pageBytes = PAGE_BYTES;

  erase(sector: number): void {
    rp2040.flashErase(sector * SECTOR_BYTES);
  }

  program(offset: number, bytes: Uint8Array, start: number, length: number): void {
    rp2040.flashProgram(offset, bytes.buffer as ArrayBuffer, bytes.byteOffset + start, length);
  }

  read(offset: number, into: Uint8Array, start: number, length: number): void {
    rp2040.flashRead(offset, into.buffer as ArrayBuffer, into.byteOffset + start, length);
  }
}
