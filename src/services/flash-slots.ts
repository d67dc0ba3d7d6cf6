/**
 * Record slots on NOR flash: two sectors, each erased and then programmed page by page for a write. A cut erase or
 * program spoils only the sector being written; RecordSlots never writes over the newest good record.
 */
import type { SlotStore } from "./record-slots.js";

/** A NOR flash as the host reaches it (the simulator's, the RP2040's QSPI flash through the bootrom). */
export interface NorFlash {
  readonly sectorBytes: number;
  readonly pageBytes: number;
  erase(sector: number): void;
  /** Programs bytes[start .. start + length) at `offset`, within one page. */
  program(offset: number, bytes: Uint8Array, start: number, length: number): void;
  read(offset: number, into: Uint8Array, start: number, length: number): void;
}

export class FlashSlots implements SlotStore {
  readonly slots = 2;
  readonly slotBytes: number;

  /** Sectors `firstSector` and `firstSector + 1` of `flash`. */
  constructor(readonly flash: NorFlash, readonly firstSector: number) {
    this.slotBytes = flash.sectorBytes;
  }

  read(slot: number, into: Uint8Array): number {
    const length = Math.min(into.length, this.slotBytes);
    this.flash.read((this.firstSector + slot) * this.slotBytes, into, 0, length);
    return length;
  }

  write(slot: number, bytes: Uint8Array, length: number): void {
    const sector = this.firstSector + slot;
    this.flash.erase(sector);
    const page = this.flash.pageBytes;
    for (let at = 0; at < length; at += page) {
      this.flash.program(sector * this.slotBytes + at, bytes, at, Math.min(page, length - at));
    }
  }
}
