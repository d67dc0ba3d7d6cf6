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

const FLASH_END = FLASH_BASE + 16 * 1024 * 1024;
const UF2_MAGIC_START0 = 0x0a324655;
const UF2_FLAG_FAMILY = 0x00002000;
const ELF_MAGIC = 0x464c457f;
const PT_LOAD = 1;
/** pico-sdk's binary-info marker, early in every image it links: such images call the bootrom's functions. */
const PICO_SDK_BINARY_INFO = 0x7188ebf2;

/** The flash contents a file holds: a UF2 (RP2040 family blocks), an ELF (its loadable segments in flash) or raw. */
export function flashImage(file: Uint8Array): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.length >= 512 && view.getUint32(0, true) === UF2_MAGIC_START0) return fromUf2(file, view);
  if (file.length >= 52 && view.getUint32(0, true) === ELF_MAGIC) return fromElf(file, view);
  return file;
}

function fromUf2(file: Uint8Array, view: DataView): Uint8Array {
  const parts: Array<{ at: number; bytes: Uint8Array }> = [];
  let end = 0;
  for (let block = 0; block + 512 <= file.length; block += 512) {
    if (view.getUint32(block, true) !== UF2_MAGIC_START0) throw new ImageError(`UF2 block at byte ${block} has no UF2 magic`);
    const flags = view.getUint32(block + 8, true);
    const address = view.getUint32(block + 12, true);
    const size = view.getUint32(block + 16, true);
    const family = (flags & UF2_FLAG_FAMILY) !== 0 ? view.getUint32(block + 28, true) : UF2_FAMILY_RP2040;
    // Other families' blocks (pico-sdk adds an RP2350 erratum block) are for other chips: the bootloader skips them.
    if (family !== UF2_FAMILY_RP2040 || address < FLASH_BASE || address + size > FLASH_END || size > 476) continue;
    parts.push({ at: address - FLASH_BASE, bytes: file.subarray(block + 32, block + 32 + size) });
    end = Math.max(end, address - FLASH_BASE + size);
  }
  if (parts.length === 0) throw new ImageError("the UF2 file has no RP2040 blocks for flash");
  return assemble(parts, end);
}

function fromElf(file: Uint8Array, view: DataView): Uint8Array {
  if (file[4] !== 1 || file[5] !== 1) throw new ImageError("the ELF file is not 32-bit little-endian (an RP2040 image is)");
  const table = view.getUint32(0x1c, true);
  const entrySize = view.getUint16(0x2a, true);
  const count = view.getUint16(0x2c, true);
  const parts: Array<{ at: number; bytes: Uint8Array }> = [];
  let end = 0;
  for (let i = 0; i < count; i++) {
    const header = table + i * entrySize;
    if (view.getUint32(header, true) !== PT_LOAD) continue;
    const offset = view.getUint32(header + 4, true);
    const physical = view.getUint32(header + 12, true);
    const size = view.getUint32(header + 16, true);
    if (size === 0 || physical < FLASH_BASE || physical + size > FLASH_END) continue; // RAM-only segments
    if (offset + size > file.length) throw new ImageError(`ELF segment ${i} runs past the end of the file`);
    parts.push({ at: physical - FLASH_BASE, bytes: file.subarray(offset, offset + size) });
    end = Math.max(end, physical - FLASH_BASE + size);
  }
  if (parts.length === 0) throw new ImageError("the ELF file has no loadable segment in flash (0x10000000…)");
  return assemble(parts, end);
}

/** Flash as the parts leave it; gaps read as erased flash (0xff). */
function assemble(parts: ReadonlyArray<{ at: number; bytes: Uint8Array }>, end: number): Uint8Array {
  const image = new Uint8Array(end).fill(0xff);
  for (const part of parts) image.set(part.bytes, part.at);
  return image;
}

/** Whether pico-sdk linked the image (Moddable's Pico firmware is such an image): it needs the real bootrom. */
export function needsBootrom(image: Uint8Array): boolean {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  for (let at = BOOT2_BYTES; at + 4 <= Math.min(image.length, 1024); at += 4) {
    if (view.getUint32(at, true) === PICO_SDK_BINARY_INFO) return true;
  }
  return false;
}
