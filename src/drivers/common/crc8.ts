/** CRC-8 of Sensirion sensors (SHT3x datasheet §4.12): polynomial 0x31, init 0xFF; 0xBEEF → 0x92. */
export function sensirionCrc8(bytes: Uint8Array, offset: number): number {
  let crc = 0xff;
  for (let i = offset; i < offset + 2; i++) {
    crc ^= bytes[i] ?? 0;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? ((crc << 1) ^ 0x31) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}
