/**
 * Record slots in Moddable's `Preference` (lin, esp32): two keys of ArrayBuffer values in one domain. On the ESP32
 * each key is an NVS blob, which the SDK's set erases before writing it again (modules/files/preference/esp32);
 * on lin the SDK keeps every domain in one JSON file, `config.file.root` + "modpreferences.json" (/tmp/ by
 * default), rewritten whole at each set. RecordSlots only sets the key that does not hold the newest good record, so
 * a failed or cut set loses at most the older one.
 * A read allocates the ArrayBuffer Preference.get returns (at boot); a write one ArrayBuffer of the record's length.
 */
import Preference from "preference";
import { SlotWriteError, type SlotStore } from "../../src/services/record-slots.js";

const KEYS = Object.freeze(["slot0", "slot1"]);
/** NVS allows namespaces of at most 15 characters; lin would take more, but a domain must work on both. */
export const DOMAIN_CHARACTERS = 15;

export class PreferenceSlots implements SlotStore {
  readonly slots = 2;

  /** `slotBytes`: the longest record a key holds. */
  constructor(readonly domain: string, readonly slotBytes: number) {
    if (domain.length === 0 || domain.length > DOMAIN_CHARACTERS) {
      throw new RangeError(`settings domain "${domain}": give 1 to ${DOMAIN_CHARACTERS} characters (mcconfig … settingsDomain=…)`);
    }
  }

  read(slot: number, into: Uint8Array): number {
    const value = Preference.get(this.domain, KEYS[slot] ?? "");
    if (!(value instanceof ArrayBuffer)) return 0; // never written (or not by us): no record
    const length = Math.min(value.byteLength, into.length);
    into.set(new Uint8Array(value, 0, length));
    return length;
  }

  write(slot: number, bytes: Uint8Array, length: number): void {
    const buffer = bytes.buffer as ArrayBuffer;
    try {
      Preference.set(this.domain, KEYS[slot] ?? "", buffer.slice(bytes.byteOffset, bytes.byteOffset + length));
    } catch (error: unknown) {
      // The SDK throws for a failed NVS set ("nvs set fail", a full partition say): this key is lost, the other stays.
      throw new SlotWriteError(`Preference.set("${this.domain}", "${KEYS[slot] ?? ""}") failed: ${String(error)}`);
    }
  }
}
