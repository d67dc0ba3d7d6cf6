/**
 * A W25Q16JV serial NOR flash (the Pico's 2 MB QSPI chip) as it answers standard SPI commands behind its chip
 * select: write enable, status registers, 4/32/64 KB and chip erase, page program, reads and IDs. Erases set bytes
 * to 0xFF, programs only clear bits (AND), both start at chip-select release, need the write-enable latch and keep
 * the chip busy for their typical time on the emulated clock (commands other than status reads are ignored while
 * busy). Every erase and program is counted and logged, and power can be cut at a chosen byte of a chosen one: the
 * bytes before it are done, the rest are as they were, and the chip answers nothing more. Not modelled: the block
 * protection bits (kept, not enforced), suspend/resume, security registers, dual and quad transfers (XIP reads are
 * served from the array by the emulator).
 * Datasheet: https://www.winbond.com/resource-files/w25q16jv%20spi%20revh%2004082019%20plus.pdf (§8 instructions,
 * §9.6 AC characteristics).
 */

export const W25Q16_BYTES = 2 * 1024 * 1024;
export const SECTOR_BYTES = 4096;
export const PAGE_BYTES = 256;

/** Typical times, §9.6: tSE 45 ms, tBE1 120 ms, tBE2 150 ms, tCE 5 s, tPP 0.4 ms, tW 10 ms. */
export const W25Q16_TIMING = Object.freeze({ sectorEraseMs: 45, block32EraseMs: 120, block64EraseMs: 150, chipEraseMs: 5000,
  pageProgramMs: 0.4, writeStatusMs: 10 });

/** §8.1.2 instruction set table 1 (standard SPI). */
export const FlashCommand = Object.freeze({
  writeStatus1: 0x01, pageProgram: 0x02, read: 0x03, writeDisable: 0x04, readStatus1: 0x05, writeEnable: 0x06,
  fastRead: 0x0b, writeStatus3: 0x11, readStatus3: 0x15, sectorErase: 0x20, writeStatus2: 0x31, readStatus2: 0x35,
  uniqueId: 0x4b, blockErase32: 0x52, sfdp: 0x5a, chipErase60: 0x60, enableReset: 0x66, manufacturerId: 0x90,
  reset: 0x99, jedecId: 0x9f, releasePowerDown: 0xab, powerDown: 0xb9, chipErase: 0xc7, blockErase64: 0xd8,
  /** Quad I/O read (boot2's XIP mode) and the continuous-read reset: XIP reads are served from the array, not here. */
  quadRead: 0xeb, continuousReadReset: 0xff,
});

const ERASE_SIZES: Readonly<Record<number, number>> = Object.freeze({ 0x20: SECTOR_BYTES, 0x52: 32768, 0xd8: 65536 });
const ERASE_MS: Readonly<Record<number, number>> = Object.freeze({ 0x20: W25Q16_TIMING.sectorEraseMs,
  0x52: W25Q16_TIMING.block32EraseMs, 0xd8: W25Q16_TIMING.block64EraseMs });
/** Commands the chip knows but that need nothing here beyond their reply (or none). */
const PASSIVE = new Set([0x00, 0x0b, 0x90, 0x4b, 0x5a, 0x66, 0x99, 0xeb, 0xff, 0x03, 0x9f, 0xab, 0xb9]);
const JEDEC_ID = Object.freeze([0xef, 0x40, 0x15]);
const DEVICE_ID = 0x14;
const UNIQUE_ID = Object.freeze([0xe6, 0x60, 0x58, 0x38, 0x83, 0x4e, 0x25, 0x2f]);
const STATUS_BUSY = 0x01;
const STATUS_WEL = 0x02;

export type FlashOperationKind = "erase" | "program";

/** One erase or page program, as the chip started it. */
export interface FlashOperation {
  readonly kind: FlashOperationKind;
  readonly address: number;
  readonly bytes: number;
  /** Bytes of erase and program work the chip did before this one since power-on. */
  readonly workStart: number;
}

/** Power is lost at byte `byte` of erase-or-program number `operation` (from 0, since power-on). */
export interface PowerCut {
  readonly operation: number;
  readonly byte: number;
}

/** How many operations the log keeps; later ones are counted in `operationsUnlogged`. */
const LOG_LIMIT = 4096;

export class W25Q16 {
  readonly bytes = new Uint8Array(W25Q16_BYTES).fill(0xff);
  /** Erases per 4 KB sector (wear), erase and page-program commands run, bytes programmed. */
  readonly sectorErases = new Uint32Array(W25Q16_BYTES / SECTOR_BYTES);
  erases = 0;
  programs = 0;
  bytesProgrammed = 0;
  commands = 0;
  /** Erase, program or status writes refused: no write enable, or sent while busy (the chip ignores them). */
  ignored = 0;
  /** Commands this model does not know, and the last one. */
  unknown = 0;
  lastUnknown = -1;
  readonly operations: FlashOperation[] = [];
  operationsUnlogged = 0;
  /** Bytes of erase and program work since power-on. */
  work = 0;
  powerCut: PowerCut | undefined = undefined;
  powered = true;
  /** Called when a cut takes the power (the emulation stops there). */
  onPowerLost: (() => void) | undefined = undefined;
  /** Called with the byte range an erase or program changed. */
  onChange: ((start: number, end: number) => void) | undefined = undefined;
  readonly status = Uint8Array.of(0, 0x02, 0x60); // SR2: QE set, as Pico boards' chips ship
  #selected = false;
  #command = -1;
  /** Bytes clocked since the command byte. */
  #count = 0;
  #address = 0;
  readonly #latch = new Uint8Array(PAGE_BYTES);
  #latched = 0;
  #wel = false;
  #busyUntilNanos = 0;
  #poweredDown = false;
  #resetEnabled = false;

  constructor(readonly nowNanos: () => number, contents?: Uint8Array) {
    if (contents !== undefined) {
      if (contents.length > W25Q16_BYTES) throw new RangeError(`${contents.length} bytes do not fit a ${W25Q16_BYTES}-byte flash`);
      this.bytes.set(contents);
    }
  }

  get busy(): boolean {
    return this.nowNanos() < this.#busyUntilNanos;
  }

  get selected(): boolean {
    return this.#selected;
  }

  get poweredDown(): boolean {
    return this.#poweredDown;
  }

  get status1(): number {
    return (this.status[0] ?? 0) & ~(STATUS_BUSY | STATUS_WEL) | (this.busy ? STATUS_BUSY : 0) | (this.#wel ? STATUS_WEL : 0);
  }

  select(): void {
    this.#selected = true;
    this.#command = -1;
    this.#count = 0;
    this.#latched = 0;
  }

  /** One byte clocked in on MOSI; returns the byte clocked out on MISO. */
  exchange(byte: number): number {
    if (!this.#selected || !this.powered) return 0xff;
    if (this.#command < 0) {
      this.#command = byte;
      this.commands++;
      return 0xff;
    }
    const n = this.#count++;
    if (n < 3 && this.#addressed()) this.#address = (this.#address << 8 | byte) & (W25Q16_BYTES - 1);
    return this.#reply(byte, n);
  }

  #addressed(): boolean {
    const c = this.#command;
    return c === 0x02 || c === 0x03 || c === 0x0b || c === 0x20 || c === 0x52 || c === 0xd8 || c === 0x5a;
  }

  #reply(byte: number, n: number): number {
    const c = this.#command;
    if (c === 0x05) return this.status1;
    if (c === 0x35) return this.status[1] ?? 0;
    if (c === 0x15) return this.status[2] ?? 0;
    if (this.busy || this.#poweredDown) return c === 0xab && n >= 3 ? DEVICE_ID : 0xff;
    if (c === 0x02 && n >= 3) this.#latchByte(byte);
    else if (c === 0x01 || c === 0x31 || c === 0x11) this.#latch[n % PAGE_BYTES] = byte;
    else if (c === 0x03 && n >= 3) return this.#readNext();
    else if (c === 0x0b && n >= 4) return this.#readNext();
    else if (c === 0x9f) return JEDEC_ID[n] ?? 0xff;
    else if (c === 0x90 && n >= 3) return n % 2 === 1 ? 0xef : DEVICE_ID;
    else if (c === 0xab && n >= 3) return DEVICE_ID;
    else if (c === 0x4b && n >= 4) return UNIQUE_ID[n - 4] ?? 0xff;
    return 0xff;
  }

  #readNext(): number {
    const value = this.bytes[this.#address] ?? 0xff;
    this.#address = (this.#address + 1) & (W25Q16_BYTES - 1);
    return value;
  }

  /** Page program data: more than 256 bytes wrap to the start of the page (§8.2.13). */
  #latchByte(byte: number): void {
    this.#latch[this.#latched % PAGE_BYTES] = byte;
    this.#latched++;
  }

  /** Chip select released: what the command does happens now. */
  deselect(): void {
    if (!this.#selected) return;
    this.#selected = false;
    const c = this.#command;
    if (c < 0 || !this.powered) return;
    if (c === 0xb9) this.#poweredDown = true;
    if (c === 0xab) this.#poweredDown = false;
    if (this.#poweredDown || this.busy) {
      if (c !== 0x05 && c !== 0x35 && c !== 0x15 && c !== 0xab && c !== 0xb9) this.ignored++;
      return;
    }
    this.#run(c);
  }

  #run(c: number): void {
    if (c === 0x06) this.#wel = true;
    else if (c === 0x04) this.#wel = false;
    else if (c === 0x66) this.#resetEnabled = true;
    else if (c === 0x99 && this.#resetEnabled) this.#wel = false;
    else if (c in ERASE_SIZES || c === 0xc7 || c === 0x60) this.#erase(c);
    else if (c === 0x02) this.#program();
    else if (c === 0x01 || c === 0x31 || c === 0x11) this.#writeStatus(c);
    else if (c !== 0x05 && c !== 0x35 && c !== 0x15 && !PASSIVE.has(c)) {
      this.unknown++;
      this.lastUnknown = c;
    }
    if (c !== 0x66) this.#resetEnabled = false;
  }

  /** Erase and program need the write-enable latch, which they clear (§8.2.1). */
  #enabled(): boolean {
    if (!this.#wel) {
      this.ignored++;
      return false;
    }
    this.#wel = false;
    return true;
  }

  #erase(c: number): void {
    const size = ERASE_SIZES[c] ?? W25Q16_BYTES;
    // The address must have been given whole: /CS high before the last address bit cancels the erase (§8.2.16).
    if ((c in ERASE_SIZES && this.#count !== 3) || !this.#enabled()) return;
    const start = c in ERASE_SIZES ? this.#address - (this.#address % size) : 0;
    this.erases++;
    for (let s = start / SECTOR_BYTES; s < (start + size) / SECTOR_BYTES; s++) this.sectorErases[s] = (this.sectorErases[s] ?? 0) + 1;
    this.#busy(ERASE_MS[c] ?? W25Q16_TIMING.chipEraseMs);
    const index = this.#log("erase", start, size);
    let done = 0;
    while (done < size && this.#step(index, done)) this.bytes[start + done++] = 0xff;
    this.onChange?.(start, start + done);
  }

  #program(): void {
    if (this.#count < 4 || !this.#enabled()) return; // the address and at least one byte
    const length = Math.min(this.#latched, PAGE_BYTES);
    // With more than a page sent, the last 256 bytes clocked are the ones kept, each at its wrapped place.
    const first = this.#latched > PAGE_BYTES ? this.#latched % PAGE_BYTES : 0;
    const page = this.#address - (this.#address % PAGE_BYTES);
    this.programs++;
    this.#busy(W25Q16_TIMING.pageProgramMs);
    const index = this.#log("program", this.#address, length);
    let done = 0;
    for (; done < length && this.#step(index, done); done++) {
      const at = page + ((this.#address + ((first + done) % PAGE_BYTES)) % PAGE_BYTES);
      this.bytes[at] = (this.bytes[at] ?? 0xff) & (this.#latch[(first + done) % PAGE_BYTES] ?? 0xff);
      this.bytesProgrammed++;
    }
    this.onChange?.(page, page + PAGE_BYTES);
  }

  #writeStatus(c: number): void {
    if (this.#count < 1 || !this.#enabled()) return;
    const register = c === 0x01 ? 0 : c === 0x31 ? 1 : 2;
    this.status[register] = (this.#latch[0] ?? 0) & (register === 0 ? ~(STATUS_BUSY | STATUS_WEL) : 0xff);
    if (c === 0x01 && this.#count >= 2) this.status[1] = this.#latch[1] ?? 0; // SR1 then SR2 in one command
    this.#busy(W25Q16_TIMING.writeStatusMs);
  }

  #busy(ms: number): void {
    this.#busyUntilNanos = this.nowNanos() + ms * 1e6;
  }

  #log(kind: FlashOperationKind, address: number, bytes: number): number {
    const index = this.operations.length + this.operationsUnlogged;
    if (this.operations.length < LOG_LIMIT) this.operations.push(Object.freeze({ kind, address, bytes, workStart: this.work }));
    else this.operationsUnlogged++;
    return index;
  }

  /** One byte of work; false once the power cut reached it (and the power is gone). */
  #step(operation: number, byte: number): boolean {
    const cut = this.powerCut;
    if (cut !== undefined && cut.operation === operation && cut.byte <= byte) {
      this.powered = false;
      this.#busyUntilNanos = 0;
      this.onPowerLost?.();
      return false;
    }
    this.work++;
    return true;
  }
}
