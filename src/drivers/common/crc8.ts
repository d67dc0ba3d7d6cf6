/**
 * CRC-8 of Sensirion sensors (SHT3x datasheet §4.12, SHTC3 §5.10), which the AHT20 uses too (§5.4): polynomial 0x31,
 * init 0xFF; 0xBEEF → 0x92. Table-driven: one
 * lookup per byte instead of eight shifts. The table is filled while the module is evaluated and only read after,
 * so a preloaded module's read-only typed arrays do not get in its way.
 */
const TABLE = new Uint8Array(256);
for (let byte = 0; byte < 256; byte++) {
  let crc = byte;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? ((crc << 1) ^ 0x31) & 0xff : (crc << 1) & 0xff;
  TABLE[byte] = crc;
}

/** The CRC of the word at `offset` (two bytes), as the SHT3x sends after each word. */
export function sensirionCrc8(bytes: Uint8Array, offset: number): number {
  return TABLE[(TABLE[0xff ^ (bytes[offset] ?? 0)] ?? 0) ^ (bytes[offset + 1] ?? 0)] ?? 0;
}

/** The CRC of `length` bytes from `offset` (the AHT20 sends one after its six status and data bytes, §5.4). */
export function sensirionCrc8Frame(bytes: Uint8Array, offset: number, length: number): number {
  let crc = 0xff;
  for (let i = offset; i < offset + length; i++) crc = TABLE[crc ^ (bytes[i] ?? 0)] ?? 0;
  return crc;
}
