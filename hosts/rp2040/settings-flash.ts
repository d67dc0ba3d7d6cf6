/**
 * Where the image keeps its settings: the last two 4 KB sectors of the QSPI flash (memmap.ld keeps the image out of
 * them), reached through the host's flash functions (flash.c: the bootrom's, run from RAM), as two record slots.
 * A slot is as large as the settings record can grow, not a sector: RecordSlots and the keeper keep four buffers of
 * a slot's size in RAM.
 */
import type { DeclaredSensor } from "../../src/app/gateway/declaration.js";
import type { GatewayDocuments } from "../../src/app/gateway/documents.js";
import { ByteWriter, JsonWriter } from "../../src/net/writer.js";
import type { NorFlash } from "../../src/services/flash-slots.js";
import { RECORD_OVERHEAD, type SlotStore } from "../../src/services/record-slots.js";

export const SECTOR_BYTES = 4096;
export const PAGE_BYTES = 256;
/** The longest a number of the settings document can be (JsonWriter.number with 3 decimals, sign, large values). */
const NUMBER_BYTES = 24;
const SCRATCH_BYTES = 512;

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

/**
 * Another store's slots, each cut to `slotBytes` (≤ the store's): reads fill `into` only, writes are the caller's.
 * `forSettings` sizes them for the settings record of a declaration.
 */
export class BoundedSlots implements SlotStore {
  readonly slots: number;

  constructor(readonly store: SlotStore, readonly slotBytes: number) {
    if (slotBytes > store.slotBytes) throw new RangeError(`slots of ${slotBytes} bytes in a store of ${store.slotBytes}-byte slots`);
    this.slots = store.slots;
  }

  /**
   * Slots for the settings of these sensors: the settings document's length as it is now (written once into a
   * scratch buffer, garbage after boot; a document longer than a sector gets whole sectors) plus room for every number in it to take its longest form, in whole 16-byte
   * steps, at most a sector.
   */
  static forSettings(store: SlotStore, sensors: readonly DeclaredSensor[], documents: GatewayDocuments): BoundedSlots {
    // A small scratch first: the chunk heap never gives back what it grew by, even for garbage.
    const out = new ByteWriter().reset(new Uint8Array(SCRATCH_BYTES));
    documents.settings(new JsonWriter(out));
    if (out.overflowed) documents.settings(new JsonWriter(out.reset(new Uint8Array(SECTOR_BYTES))));
    let numbers = 0;
    for (let i = 0; i < sensors.length; i++) numbers += 1 + (sensors[i]?.type.settings.length ?? 0);
    const payload = out.overflowed ? SECTOR_BYTES : out.position + numbers * NUMBER_BYTES;
    return new BoundedSlots(store, Math.min(store.slotBytes, Math.ceil((payload + RECORD_OVERHEAD) / 16) * 16));
  }

  /** The most bytes of settings a record in these slots holds. */
  get payloadBytes(): number {
    return this.slotBytes - RECORD_OVERHEAD;
  }

  read(slot: number, into: Uint8Array): number {
    return this.store.read(slot, into);
  }

  write(slot: number, bytes: Uint8Array, length: number): void {
    this.store.write(slot, bytes, length);
  }
}
