/** CRC-8 of Sensirion sensors (SHT3x datasheet §4.12): polynomial 0x31, initial 0xFF, no reflection, no final XOR. */

/** One lookup per byte instead of eight shifts: the model computes a CRC for every word it measures. */
const TABLE = new Uint8Array(256);
for (let byte = 0; byte < 256; byte++) {
  let crc = byte;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? ((crc << 1) ^ 0x31) & 0xff : (crc << 1) & 0xff;
  TABLE[byte] = crc;
}

export function crc8Sensirion(bytes: Uint8Array, offset: number, length: number): number {
  let crc = 0xff;
  for (let i = offset; i < offset + length; i++) crc = TABLE[crc ^ (bytes[i] ?? 0)] ?? 0;
  return crc;
}
