/**
 * What the RP2040 bootrom and UF2 bootloader expect of an image: the boot2 CRC32 (MPEG-2 polynomial, no reflection)
 * over the first 252 bytes stored in bytes 252..255, and UF2 blocks (512 bytes, 256-byte payloads, family RP2040)
 * for drag-and-drop flashing.
 */
export const FLASH_BASE = 0x10000000;
export const BOOT2_BYTES = 256;
const UF2_FAMILY_RP2040 = 0xe48bff56;
const UF2_PAYLOAD = 256;

export function crc32Mpeg2(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
    crc >>>= 0;
  }
  return crc >>> 0;
}

export class ImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImageError";
  }
}

/** Writes the boot2 CRC into a raw image linked at the start of flash. */
export function sealBoot2(image: Uint8Array): number {
  if (image.length < BOOT2_BYTES) throw new ImageError(`image of ${image.length} bytes is shorter than boot2 (256)`);
  const crc = crc32Mpeg2(image.subarray(0, 252));
  new DataView(image.buffer, image.byteOffset).setUint32(252, crc, true);
  return crc;
}

/** Checks boot2 as the bootrom does; returns a reason when the image would be refused. */
export function boot2Refusal(image: Uint8Array): string | undefined {
  if (image.length < BOOT2_BYTES) return `image of ${image.length} bytes is shorter than boot2 (256)`;
  const stored = new DataView(image.buffer, image.byteOffset).getUint32(252, true);
  const computed = crc32Mpeg2(image.subarray(0, 252));
  if (stored === computed) return undefined;
  return `boot2 CRC mismatch: the image says 0x${stored.toString(16).padStart(8, "0")}, its first 252 bytes give ` +
    `0x${computed.toString(16).padStart(8, "0")} — the bootrom would not start it`;
}

/** UF2 for the RP2040's USB mass-storage bootloader. */
export function toUf2(image: Uint8Array): Uint8Array {
  const blocks = Math.ceil(image.length / UF2_PAYLOAD);
  const out = new Uint8Array(blocks * 512);
  const view = new DataView(out.buffer);
  for (let block = 0; block < blocks; block++) {
    const at = block * 512;
    view.setUint32(at, 0x0a324655, true);
    view.setUint32(at + 4, 0x9e5d5157, true);
    view.setUint32(at + 8, 0x00002000, true); // flags: family id present
    view.setUint32(at + 12, FLASH_BASE + block * UF2_PAYLOAD, true);
    view.setUint32(at + 16, UF2_PAYLOAD, true);
    view.setUint32(at + 20, block, true);
    view.setUint32(at + 24, blocks, true);
    view.setUint32(at + 28, UF2_FAMILY_RP2040, true);
    out.set(image.subarray(block * UF2_PAYLOAD, Math.min(image.length, (block + 1) * UF2_PAYLOAD)), at + 32);
    view.setUint32(at + 508, 0x0ab16f30, true);
  }
  return out;
}
