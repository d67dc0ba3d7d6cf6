/**
 * The RP2040's QSPI flash interface in rp2040js, down to the commands: the SSI (datasheet §4.10) clocks DR0 frames
 * through a W25Q16 model (w25q16.ts) with a 16-entry RX FIFO; IO_QSPI's chip-select override (§2.19.6.2, what the
 * bootrom's flash functions drive) or the SSI's own select (from a DR0 write until software sees it idle, as boot2
 * does) frames each command; XIP_CTRL's flush (§2.6.3.2) makes erases and programs visible to XIP reads, which until
 * then see what the cache held. Code and data in flash are out of reach while the SSI is not in XIP read mode, the
 * chip select is forced or the chip is busy: an instruction fetched there stops the emulation with the reason (on a
 * real chip it would hang or corrupt the command under way). The 0x13000000 no-cache alias and cache-as-SRAM are not
 * modelled (every XIP alias reads the same view).
 */
import { BasePeripheral, type RP2040 } from "rp2040js";
import { W25Q16, W25Q16_BYTES } from "./w25q16.js";

const SSI_BASE = 0x18000;
const IO_QSPI_BASE = 0x40018;
const XIP_CTRL_BASE = 0x14000;
const SSI = Object.freeze({ ctrlr0: 0x00, ssienr: 0x08, ser: 0x10, txflr: 0x20, rxflr: 0x24, sr: 0x28, idr: 0x58,
  version: 0x5c, dr0: 0x60, drLast: 0xec, icrFirst: 0x38, icrLast: 0x48 });
const SR = Object.freeze({ tfnf: 1 << 1, tfe: 1 << 2, rfne: 1 << 3, rff: 1 << 4 });
const TMOD_EEPROM_READ = 3;
const TMOD_TX_ONLY = 1;
/** The SSI as the bootrom's flash_enter_cmd_xip leaves it: 03h serial reads, 32-bit frames, enabled. */
const BOOTROM_SSI = Object.freeze({ ctrlr0: 0x001f0300, spiCtrlr0: 0x03000218, baudr: 6 });
const RX_DEPTH = 16;
const SS_CTRL = 0x0c;
const SS_STATUS = 0x08;
const OUTOVER = Object.freeze({ normal: 0, invert: 1, low: 2, high: 3 });

/** rp2040js's fields this model replaces; its typings mark them read-only. */
interface Replaceable {
  flash: Uint8Array;
  flashView: DataView;
  peripherals: Record<number, BasePeripheral>;
}

/** UDF #0xFA (Thumb): what an instruction fetched from an unreachable XIP window decodes to, a break the emulator catches. */
export const XIP_REFUSED_BREAK = 0xfa;
let refusedPattern: Uint8Array | undefined;

/** 16 MB of UDF #0xFA, shared by every emulation (made once). */
function refusedBytes(length: number): Uint8Array {
  if (refusedPattern === undefined || refusedPattern.length !== length) {
    refusedPattern = new Uint8Array(length);
    new Uint16Array(refusedPattern.buffer).fill(0xde00 | XIP_REFUSED_BREAK);
  }
  return refusedPattern;
}

/**
 * The XIP window: rp2040js's flash array and view, swapped while XIP is unavailable for ones of the same types over
 * UDF instructions (a Proxy or an object of another type would make rp2040js's hottest memory accesses
 * polymorphic): a fetch there breaks, and `refusal` says why; a data read there reads the pattern (a store there
 * lands in the shared pattern, as a store to XIP in command mode is already a bug).
 */
class XipWindow {
  readonly #mcu: Replaceable;
  readonly #bytes: Uint8Array;
  readonly #data: DataView;
  readonly #refusingBytes: Uint8Array;
  readonly #refusingData: DataView;
  #dirtyStart = Infinity;
  #dirtyEnd = 0;

  constructor(mcu: RP2040, readonly chip: W25Q16, readonly ready: () => boolean) {
    this.#mcu = mcu as unknown as Replaceable;
    this.#bytes = this.#mcu.flash;
    this.#data = this.#mcu.flashView;
    this.#refusingBytes = refusedBytes(this.#bytes.length);
    this.#refusingData = new DataView(this.#refusingBytes.buffer);
  }

  get isOpen(): boolean {
    return this.#mcu.flash === this.#bytes;
  }

  open(): void {
    this.#mcu.flash = this.#bytes;
    this.#mcu.flashView = this.#data;
  }

  close(): void {
    this.#mcu.flash = this.#refusingBytes;
    this.#mcu.flashView = this.#refusingData;
  }

  update(): void {
    if (this.ready()) this.open();
    else this.close();
  }

  changed(start: number, end: number): void {
    this.#dirtyStart = Math.min(this.#dirtyStart, start);
    this.#dirtyEnd = Math.max(this.#dirtyEnd, end);
  }

  /** What the chip holds, from the dirty range on: the cache is flushed. */
  flush(): void {
    if (this.#dirtyEnd > this.#dirtyStart) this.#bytes.set(this.chip.bytes.subarray(this.#dirtyStart, this.#dirtyEnd), this.#dirtyStart);
    this.#dirtyStart = Infinity;
    this.#dirtyEnd = 0;
  }

  /** After rp2040js's reset blanked its array: the whole chip again. */
  reload(): void {
    this.open();
    this.#bytes.fill(0xff, W25Q16_BYTES);
    this.#bytes.set(this.chip.bytes, 0);
    this.#dirtyStart = Infinity;
    this.#dirtyEnd = 0;
  }
}

class Ssi extends BasePeripheral {
  readonly regs = new Uint32Array(64);
  readonly #rx = new Uint32Array(RX_DEPTH);
  #rxStart = 0;
  #rxCount = 0;
  /** The SSI's own chip select (override normal): from a DR0 write until software sees the SSI idle or disables it. */
  transferring = false;
  rxOverflows = 0;

  constructor(mcu: RP2040, readonly bus: QspiFlash) {
    super(mcu, "SSI");
  }

  reset(): void {
    this.regs.fill(0);
    this.regs[SSI.ctrlr0 / 4] = BOOTROM_SSI.ctrlr0;
    this.regs[0xf4 / 4] = BOOTROM_SSI.spiCtrlr0;
    this.regs[0x14 / 4] = BOOTROM_SSI.baudr;
    this.regs[SSI.ser / 4] = 1;
    this.regs[SSI.ssienr / 4] = 1;
    this.#rxCount = 0;
    this.transferring = false;
  }

  get enabled(): boolean {
    return (this.regs[SSI.ssienr / 4] ?? 0) === 1;
  }

  get transferMode(): number {
    return ((this.regs[SSI.ctrlr0 / 4] ?? 0) >>> 8) & 3;
  }

  override readUint32(offset: number): number {
    if (offset >= SSI.dr0 && offset <= SSI.drLast) return this.#pull();
    if (offset === SSI.txflr) return 0; // frames go out as they are written
    if (offset === SSI.rxflr) return this.#rxCount;
    if (offset === SSI.idr) return 0x51535049;
    if (offset === SSI.version) return 0x3430312a;
    if (offset >= SSI.icrFirst && offset <= SSI.icrLast) return 0;
    if (offset === SSI.sr) {
      if (this.transferring) { // software saw the SSI idle: the frames are out, its select released
        this.transferring = false;
        this.bus.chipSelect();
      }
      return SR.tfnf | SR.tfe | (this.#rxCount > 0 ? SR.rfne : 0) | (this.#rxCount === RX_DEPTH ? SR.rff : 0);
    }
    return this.regs[(offset >>> 2) & 63] ?? 0;
  }

  override writeUint32(offset: number, value: number): void {
    if (offset >= SSI.dr0 && offset <= SSI.drLast) return this.#frame(value);
    this.regs[(offset >>> 2) & 63] = value >>> 0;
    if (offset === SSI.ssienr && (value & 1) === 0) { // disabling flushes the FIFOs and ends a transfer
      this.#rxCount = 0;
      this.transferring = false;
    }
    this.bus.chipSelect();
  }

  /** One frame out through the chip (MSB first, DFS_32 + 1 bits), its reply into the RX FIFO. */
  #frame(value: number): void {
    if (!this.enabled) return;
    if ((this.regs[SSI.ser / 4] ?? 0) & 1 && this.bus.selectedBySsi) this.transferring = true;
    this.bus.chipSelect();
    const bits = (((this.regs[SSI.ctrlr0 / 4] ?? 0) >>> 16) & 31) + 1;
    let reply = 0;
    for (let shift = Math.ceil(bits / 8) * 8 - 8; shift >= 0; shift -= 8) reply = (reply << 8) | this.bus.exchange((value >>> shift) & 0xff);
    if (this.transferMode !== TMOD_TX_ONLY) this.#push(reply >>> 0);
  }

  #push(value: number): void {
    if (this.#rxCount === RX_DEPTH) {
      this.rxOverflows++;
      return;
    }
    this.#rx[(this.#rxStart + this.#rxCount++) % RX_DEPTH] = value;
  }

  #pull(): number {
    if (this.#rxCount === 0) return 0;
    const value = this.#rx[this.#rxStart] ?? 0;
    this.#rxStart = (this.#rxStart + 1) % RX_DEPTH;
    this.#rxCount--;
    return value;
  }
}

/** IO_QSPI's six pads: status and control registers; the SS control's OUTOVER frames commands. */
class IoQspi extends BasePeripheral {
  readonly regs = new Uint32Array(32);

  constructor(mcu: RP2040, readonly bus: QspiFlash) {
    super(mcu, "IO_QSPI");
  }

  get ssOutover(): number {
    return ((this.regs[SS_CTRL / 4] ?? 0) >>> 8) & 3;
  }

  override readUint32(offset: number): number {
    if (offset === SS_STATUS) return this.bus.chip.selected ? 0 : (1 << 9) | (1 << 17); // OUTTOPAD, INFROMPAD: CS high
    return this.regs[(offset >>> 2) & 31] ?? 0;
  }

  override writeUint32(offset: number, value: number): void {
    this.regs[(offset >>> 2) & 31] = value >>> 0;
    if (offset === SS_CTRL) this.bus.chipSelect();
  }
}

/** XIP_CTRL: CTRL (reset EN | ERR_BADWRITE), FLUSH, STAT (flush ready, FIFO empty); the counters read 0. */
class XipCtrl extends BasePeripheral {
  ctrl = 3;

  constructor(mcu: RP2040, readonly bus: QspiFlash) {
    super(mcu, "XIP_CTRL");
  }

  override readUint32(offset: number): number {
    if (offset === 0x00) return this.ctrl;
    if (offset === 0x08) return 3;
    return 0;
  }

  override writeUint32(offset: number, value: number): void {
    if (offset === 0x00) this.ctrl = value & 0xb;
    else if (offset === 0x04 && (value & 1) === 1) this.bus.flush();
  }
}

export class QspiFlash {
  /** Cache flushes (XIP_CTRL.FLUSH writes). */
  flushes = 0;
  readonly #ssi: Ssi;
  readonly #io: IoQspi;
  readonly #xip: XipCtrl;
  readonly #window: XipWindow;

  constructor(mcu: RP2040, readonly chip: W25Q16) {
    this.#ssi = new Ssi(mcu, this);
    this.#io = new IoQspi(mcu, this);
    this.#xip = new XipCtrl(mcu, this);
    this.#window = new XipWindow(mcu, chip, () => this.#xipReady());
    const peripherals = (mcu as unknown as Replaceable).peripherals;
    peripherals[SSI_BASE] = this.#ssi;
    peripherals[IO_QSPI_BASE] = this.#io;
    peripherals[XIP_CTRL_BASE] = this.#xip;
    chip.onChange = (start, end) => {
      this.#window.changed(start, end);
      if ((this.#xip.ctrl & 1) === 0) this.#window.flush(); // cache disabled: reads go to the chip
    };
    this.reset();
  }

  /** A chip reset (rp2040js blanks its flash array): the XIP view reloaded, the SSI as the bootrom leaves it. */
  reset(): void {
    this.#ssi.reset();
    this.#io.regs.fill(0);
    this.#xip.ctrl = 3;
    this.#window.reload();
    this.chipSelect();
  }

  /** Before rp2040js's own reset, which writes to its flash array. */
  openWindow(): void {
    this.#window.open();
  }

  /** A copy of what the chip holds: the flash another emulation boots from. */
  snapshot(): Uint8Array {
    return this.chip.bytes.slice();
  }

  get rxOverflows(): number {
    return this.#ssi.rxOverflows;
  }

  /** IO_QSPI leaves the chip select to the SSI (OUTOVER normal or invert). */
  get selectedBySsi(): boolean {
    return this.#io.ssOutover <= OUTOVER.invert;
  }

  /** The chip select as IO_QSPI's override and the SSI give it; then whether XIP is reachable. */
  chipSelect(): void {
    const over = this.#io.ssOutover;
    if (!this.selectedBySsi) this.#ssi.transferring = false; // software drives it: the SSI's frames are out
    const asserted = over === OUTOVER.low || (over === OUTOVER.normal && this.#ssi.enabled && this.#ssi.transferring) ||
      (over === OUTOVER.invert && !this.#ssi.transferring);
    if (asserted && !this.chip.selected) this.chip.select();
    else if (!asserted && this.chip.selected) this.chip.deselect();
    this.#window.update();
  }

  exchange(byte: number): number {
    return this.chip.selected ? this.chip.exchange(byte) : 0xff;
  }

  flush(): void {
    this.flushes++;
    this.#window.flush();
  }

  #xipReady(): boolean {
    return this.#ssi.enabled && this.#ssi.transferMode === TMOD_EEPROM_READ && this.#io.ssOutover === OUTOVER.normal &&
      !this.chip.selected && !this.chip.busy && this.chip.powered && !this.chip.poweredDown;
  }

  /**
   * Why a break at `pc` was an instruction fetched from flash while XIP was out of reach (undefined: a real
   * breakpoint).
   */
  refusal(code: number, pc: number): string | undefined {
    if (code !== XIP_REFUSED_BREAK || this.#window.isOpen || pc < 0x10000000 || pc >= 0x14000000) return undefined;
    return `instruction fetch from flash at 0x${pc.toString(16)} while ${this.#why()}: code that drives the flash must ` +
      "run from RAM (with interrupts off) until XIP is back";
  }

  #why(): string {
    if (!this.#ssi.enabled) return "the SSI is disabled";
    if (this.#ssi.transferMode !== TMOD_EEPROM_READ) return "the SSI is in serial command mode, not XIP";
    if (this.#io.ssOutover !== OUTOVER.normal) return "the flash chip select is forced (IO_QSPI SS OUTOVER)";
    if (this.chip.selected) return "a flash command is under way";
    if (this.chip.busy) return "the flash is busy erasing or programming";
    return this.chip.powered ? "the flash is powered down (B9h)" : "the flash has no power";
  }
}
