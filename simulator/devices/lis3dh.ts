/**
 * LIS3DH 3-axis accelerometer model (ST DocID17530, https://www.st.com/resource/en/datasheet/lis3dh.pdf): WHO_AM_I
 * 0x33, output data rates of CTRL_REG1, full scale and high-resolution of CTRL_REG4, 16-bit left-justified
 * outputs, the 32-level FIFO in bypass, FIFO and stream modes (FIFO_CTRL_REG, FIFO_SRC_REG), and INT1 for
 * data-ready (I1_ZYXDA) and FIFO watermark (I1_WTM). Bit 7 of the register address auto-increments (§6.1.1).
 */
import type { SimTimer, VirtualClock } from "../clock.js";
import type { PinBank } from "../pins.js";
import { FaultableSignal, constant, type Signal } from "../signals.js";
import { RegisterDevice } from "./register-device.js";

export const LIS3DH_REGISTERS = Object.freeze({
  whoAmI: 0x0f, ctrlReg1: 0x20, ctrlReg3: 0x22, ctrlReg4: 0x23, ctrlReg5: 0x24, statusReg: 0x27, outXL: 0x28,
  fifoCtrlReg: 0x2e, fifoSrcReg: 0x2f,
});
export const LIS3DH_WHO_AM_I = 0x33;
const ODR_HZ = [0, 1, 10, 25, 50, 100, 200, 400, 1600, 1344];
/** mg per digit at ±2/4/8/16 g in high-resolution mode (Table 4); normal mode ×4, low-power ×16. */
const MG_PER_DIGIT_HR = [1, 2, 4, 12];
const FIFO_DEPTH = 32;

export interface LIS3DHOptions {
  readonly address?: 0x18 | 0x19;
  readonly xG?: Signal;
  readonly yG?: Signal;
  readonly zG?: Signal;
  /** The pin INT1 is wired to (active high). */
  readonly int1Pin?: number;
}

export class LIS3DHModel extends RegisterDevice {
  readonly axes: readonly [FaultableSignal, FaultableSignal, FaultableSignal];
  readonly int1Pin: number;
  samples = 0;
  overruns = 0;
  readonly #fifo = new Int16Array(FIFO_DEPTH * 3);
  #fifoStart = 0;
  #fifoCount = 0;
  #autoIncrement = false;
  readonly #sampler: SimTimer;

  constructor(readonly clock: VirtualClock, readonly pins: PinBank | undefined, options: LIS3DHOptions = {}) {
    super(options.address ?? 0x18);
    this.axes = [new FaultableSignal(options.xG ?? constant(0)), new FaultableSignal(options.yG ?? constant(0)),
      new FaultableSignal(options.zG ?? constant(1))];
    this.int1Pin = options.int1Pin ?? -1;
    this.registers[LIS3DH_REGISTERS.whoAmI] = LIS3DH_WHO_AM_I;
    this.registers[LIS3DH_REGISTERS.ctrlReg1] = 0x07;
    this.registers[LIS3DH_REGISTERS.fifoSrcReg] = 0x20;
    this.#sampler = clock.hardwareTimer(() => this.#sample());
  }

  protected override selectRegister(byte: number): number {
    this.#autoIncrement = (byte & 0x80) !== 0;
    return byte & 0x7f;
  }

  protected override nextRegister(register: number): number {
    if (!this.#autoIncrement) return register;
    if (register === 0x2d && this.#fifoEnabled()) return LIS3DH_REGISTERS.outXL; // FIFO bursts wrap to OUT_X_L
    return (register + 1) & 0x7f;
  }

  #fifoEnabled(): boolean {
    return ((this.registers[LIS3DH_REGISTERS.ctrlReg5] ?? 0) & 0x40) !== 0 && this.#fifoMode() !== 0;
  }

  #fifoMode(): number {
    return ((this.registers[LIS3DH_REGISTERS.fifoCtrlReg] ?? 0) >> 6) & 3;
  }

  protected override writeRegister(register: number, value: number): void {
    if (register === LIS3DH_REGISTERS.whoAmI || register === LIS3DH_REGISTERS.statusReg || register === LIS3DH_REGISTERS.fifoSrcReg) return;
    this.registers[register] = value;
    if (register === LIS3DH_REGISTERS.ctrlReg1) this.#startSampling();
    if (register === LIS3DH_REGISTERS.fifoCtrlReg && this.#fifoMode() === 0) this.#fifoCount = 0; // bypass resets
    this.#updateSource();
  }

  #startSampling(): void {
    const hz = ODR_HZ[((this.registers[LIS3DH_REGISTERS.ctrlReg1] ?? 0) >> 4) & 0x0f] ?? 0;
    if (hz > 0) this.clock.scheduleHardware(this.#sampler, 1000 / hz);
    else this.clock.cancelHardware(this.#sampler);
  }

  #digitsPerG(): number {
    const ctrl1 = this.registers[LIS3DH_REGISTERS.ctrlReg1] ?? 0;
    const ctrl4 = this.registers[LIS3DH_REGISTERS.ctrlReg4] ?? 0;
    const shift = ctrl1 & 0x08 ? 8 : ctrl4 & 0x08 ? 4 : 6; // low-power 8-bit, high-resolution 12-bit, normal 10-bit
    const scale = (MG_PER_DIGIT_HR[(ctrl4 >> 4) & 3] ?? 1) * (shift === 8 ? 16 : shift === 6 ? 4 : 1);
    return (1000 / scale) * (1 << shift);
  }

  #sample(): void {
    const perG = this.#digitsPerG();
    const now = this.clock.now;
    let at = this.#fifoEnabled() ? (this.#fifoStart + this.#fifoCount) % FIFO_DEPTH : 0;
    if (this.#fifoEnabled() && this.#fifoCount === FIFO_DEPTH) {
      this.overruns++;
      if (this.#fifoMode() === 1) at = -1; // FIFO mode stops collecting when full
      else this.#fifoStart = (this.#fifoStart + 1) % FIFO_DEPTH; // stream mode drops the oldest
    }
    if (at >= 0) {
      for (let axis = 0; axis < 3; axis++) {
        const digits = Math.round((this.axes[axis]?.valueAt(now) ?? 0) * perG);
        this.#fifo[at * 3 + axis] = Math.max(-32768, Math.min(32767, digits));
      }
      if (this.#fifoEnabled()) this.#fifoCount = Math.min(FIFO_DEPTH, this.#fifoCount + 1);
      else this.#fifoCount = 1;
    }
    this.samples++;
    this.registers[LIS3DH_REGISTERS.statusReg] = (this.registers[LIS3DH_REGISTERS.statusReg] ?? 0) | 0x08;
    this.#updateSource();
    this.#startSampling();
  }

  protected override readRegister(register: number): number {
    if (register >= LIS3DH_REGISTERS.outXL && register <= 0x2d) {
      const index = register - LIS3DH_REGISTERS.outXL;
      const value = this.#fifo[this.#fifoStart * 3 + (index >> 1)] ?? 0;
      const byte = index & 1 ? (value >> 8) & 0xff : value & 0xff;
      if (register === 0x2d) this.#popSample();
      return byte;
    }
    return this.registers[register] ?? 0;
  }

  #popSample(): void {
    this.registers[LIS3DH_REGISTERS.statusReg] = (this.registers[LIS3DH_REGISTERS.statusReg] ?? 0) & ~0x08;
    if (this.#fifoEnabled() && this.#fifoCount > 0) {
      this.#fifoStart = (this.#fifoStart + 1) % FIFO_DEPTH;
      this.#fifoCount--;
    }
    this.#updateSource();
  }

  /** FIFO_SRC_REG and INT1 follow the FIFO level and the data-ready flag. */
  #updateSource(): void {
    const threshold = (this.registers[LIS3DH_REGISTERS.fifoCtrlReg] ?? 0) & 0x1f;
    const count = this.#fifoEnabled() ? this.#fifoCount : 0;
    const watermark = this.#fifoEnabled() && count > threshold;
    const overrun = this.#fifoEnabled() && count === FIFO_DEPTH;
    this.registers[LIS3DH_REGISTERS.fifoSrcReg] = (watermark ? 0x80 : 0) | (overrun ? 0x40 : 0) | (count === 0 ? 0x20 : 0) | Math.min(count, 31);
    if (this.pins === undefined || this.int1Pin < 0) return;
    const ctrl3 = this.registers[LIS3DH_REGISTERS.ctrlReg3] ?? 0;
    const dataReady = ((this.registers[LIS3DH_REGISTERS.statusReg] ?? 0) & 0x08) !== 0;
    const asserted = ((ctrl3 & 0x10) !== 0 && dataReady) || ((ctrl3 & 0x04) !== 0 && watermark);
    this.pins.drive(this.int1Pin, asserted ? 1 : 0);
  }

  /** Samples waiting in the FIFO. */
  get fifoLevel(): number {
    return this.#fifoCount;
  }
}
