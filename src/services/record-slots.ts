/**
 * A record kept across reboots and power cuts, in two slots of a host-given store (two flash sectors, two
 * preference keys): each write goes to the slot that does not hold the newest good record, so a write cut short
 * never destroys the only good copy, and a record counts only when wholly written — its magic, sequence number,
 * length and CRC-32 all check. A store that replaces its contents atomically (a file written and renamed) may offer
 * one slot. Boot and writes only: the steady state never calls this.
 *
 * Layout: "SHR1" | sequence u32 LE | length u16 LE | payload | CRC-32 (IEEE 802.3, LE) of everything before it.
 */

/** Where the slots live. A write may be cut by power at any byte; a read of a slot never written returns 0. */
export interface SlotStore {
  /** 1 (the store replaces a slot's bytes atomically) or 2. */
  readonly slots: number;
  /** The most bytes a slot holds. */
  readonly slotBytes: number;
  /** Reads slot `slot` into `into` (from 0); returns the bytes it holds (at most into.length). */
  read(slot: number, into: Uint8Array): number;
  /** Replaces slot `slot` with bytes[0 .. length); throws SlotWriteError when it could not (the slot is then lost). */
  write(slot: number, bytes: Uint8Array, length: number): void;
}

/**
 * A store could not write a slot (a full or failing preference store). RecordSlots only ever writes the slot without
 * the newest good record, which the other one still holds: worth trying again later.
 */
export class SlotWriteError extends Error {
  override name = "SlotWriteError";
}

const MAGIC = Object.freeze([0x53, 0x48, 0x52, 0x31]); // "SHR1"
/** Magic, sequence and length before the payload; the CRC after it. */
export const RECORD_HEAD = 10;
export const RECORD_OVERHEAD = RECORD_HEAD + 4;

/**
 * CRC-32 by nibble: 16 entries of the reflected polynomial 0xEDB88320, two lookups a byte instead of eight shifts.
 * Made at module load (128 steps: cheap where modules are not preloaded; in flash where they are).
 */
const CRC_NIBBLES = ((): Uint32Array => {
  const table = new Uint32Array(16);
  for (let n = 0; n < 16; n++) {
    let crc = n;
    for (let bit = 0; bit < 4; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    table[n] = crc >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, reflected, init and final XOR 0xFFFFFFFF) of bytes[start .. start + length); "123456789" → 0xCBF43926. */
export function crc32(bytes: Uint8Array, start: number, length: number): number {
  let crc = 0xffffffff;
  for (let i = start; i < start + length; i++) {
    crc ^= bytes[i] ?? 0;
    crc = (CRC_NIBBLES[crc & 0x0f] ?? 0) ^ (crc >>> 4);
    crc = (CRC_NIBBLES[crc & 0x0f] ?? 0) ^ (crc >>> 4);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 24)) >>> 0;
}

function putU32(bytes: Uint8Array, at: number, value: number): void {
  for (let i = 0; i < 4; i++) bytes[at + i] = (value >>> (8 * i)) & 0xff;
}

/** A good record load() found: which slot holds it. Its payload is read again, into the slots' one buffer, on use. */
export class SlotRecord {
  constructor(readonly owner: RecordSlots, readonly slot: number, readonly sequence: number, readonly length: number) {}

  /** The payload: owner.payload after reading this record's slot again (valid until the next read or save). */
  get bytes(): Uint8Array {
    return this.owner.read(this);
  }
}

/** One slot-sized buffer for reading and writing: load() checks each slot in it, save() frames the payload in place. */
export class RecordSlots {
  /** Slots that held bytes but no good record at the last load (a cut write, corruption). */
  corrupt = 0;
  writes = 0;
  bytesWritten = 0;
  /** Records refused: larger than a slot. */
  refused = 0;
  /** Where a record's payload is: write one here and save(payload, length) frames it without a copy. */
  readonly payload: Uint8Array;
  readonly #frame: Uint8Array;
  #sequence = 0;
  /** The slot holding the newest good record, -1 for none. */
  #newest = -1;

  constructor(readonly store: SlotStore) {
    if (store.slots !== 1 && store.slots !== 2) throw new RangeError("a record store has one slot (atomic) or two");
    if (store.slotBytes <= RECORD_OVERHEAD) throw new RangeError(`a record slot needs more than ${RECORD_OVERHEAD} bytes`);
    this.#frame = new Uint8Array(store.slotBytes);
    this.payload = this.#frame.subarray(RECORD_HEAD, store.slotBytes - 4);
  }

  /** The most payload bytes a record holds. */
  get capacity(): number {
    return this.store.slotBytes - RECORD_OVERHEAD;
  }

  /** Reads every slot; returns the good records, newest first (none, one or two). */
  load(): SlotRecord[] {
    this.corrupt = 0;
    this.#newest = -1;
    let highest = -1;
    const records: SlotRecord[] = [];
    for (let slot = 0; slot < this.store.slots; slot++) {
      const read = this.store.read(slot, this.#frame);
      const length = this.#check(read);
      if (length < 0) {
        if (read > 0 && !this.#erased(read)) this.corrupt++;
        continue;
      }
      const sequence = u32(this.#frame, 4);
      records.push(new SlotRecord(this, slot, sequence, length));
      if (sequence > highest) {
        highest = sequence;
        this.#newest = slot;
      }
    }
    this.#sequence = highest + 1;
    return records.sort((a, b) => b.sequence - a.sequence);
  }

  /** Reads `record`'s slot again into the buffer; returns `payload` (check it with record.length bytes). */
  read(record: SlotRecord): Uint8Array {
    const read = this.store.read(record.slot, this.#frame);
    if (this.#check(read) !== record.length || u32(this.#frame, 4) !== record.sequence) {
      throw new RangeError(`slot ${record.slot} changed since load(): its record ${record.sequence} is gone`);
    }
    return this.payload;
  }

  #erased(length: number): boolean {
    const frame = this.#frame;
    for (let i = 0; i < length; i++) if (frame[i] !== 0xff) return false;
    return true;
  }

  /** The payload's length when the buffer holds a good record of `length` bytes read, else -1. */
  #check(length: number): number {
    const frame = this.#frame;
    if (length < RECORD_OVERHEAD) return -1;
    for (let i = 0; i < 4; i++) if (frame[i] !== MAGIC[i]) return -1;
    const payload = (frame[8] ?? 0) | ((frame[9] ?? 0) << 8);
    if (RECORD_OVERHEAD + payload > length) return -1;
    return crc32(frame, 0, RECORD_HEAD + payload) === u32(frame, RECORD_HEAD + payload) ? payload : -1;
  }

  /** Writes bytes[0 .. length) (`payload` itself, or another buffer) as the newest record; false (counted) when it does not fit. */
  save(bytes: Uint8Array, length: number): boolean {
    if (length > this.capacity) {
      this.refused++;
      return false;
    }
    const frame = this.#frame;
    if (bytes !== this.payload) frame.set(bytes.subarray(0, length), RECORD_HEAD);
    for (let i = 0; i < 4; i++) frame[i] = MAGIC[i] ?? 0;
    putU32(frame, 4, this.#sequence);
    frame[8] = length & 0xff;
    frame[9] = length >> 8;
    putU32(frame, RECORD_HEAD + length, crc32(frame, 0, RECORD_HEAD + length));
    // Never over the newest good record: a cut here leaves it as it was.
    const slot = this.store.slots === 1 ? 0 : this.#newest === 0 ? 1 : 0;
    this.store.write(slot, frame, RECORD_OVERHEAD + length);
    this.#newest = slot;
    this.#sequence++;
    this.writes++;
    this.bytesWritten += RECORD_OVERHEAD + length;
    return true;
  }
}

/** Another store's slots, each cut to `slotBytes` (≤ the store's): a slot as large as its record can grow. */
export class BoundedSlots implements SlotStore {
  readonly slots: number;

  constructor(readonly store: SlotStore, readonly slotBytes: number) {
    if (slotBytes > store.slotBytes) throw new RangeError(`slots of ${slotBytes} bytes in a store of ${store.slotBytes}-byte slots`);
    this.slots = store.slots;
  }

  /** The most payload bytes a record in these slots holds. */
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
