/**
 * MPU-6050 accelerometer and gyroscope model (InvenSense PS-MPU-6000A-00 product specification and RM-MPU-6000A-00
 * register map, https://invensense.tdk.com/wp-content/uploads/2015/02/MPU-6000-Register-Map1.pdf): WHO_AM_I 0x68
 * (§4.32), asleep after power-up and reset (PWR_MGMT_1 0x40, §4.28), the sample rate of SMPLRT_DIV and DLPF_CFG
 * (§4.2–4.3), the full-scale ranges of GYRO_CONFIG and ACCEL_CONFIG (§4.4–4.5), big-endian outputs with the
 * temperature between them (§4.17–4.19), the 1024-byte FIFO (FIFO_EN, USER_CTRL, FIFO_COUNT, FIFO_R_W, §4.7, §4.29–4.31)
 * and its overflow, and the INT pin: data ready and FIFO overflow (INT_ENABLE, INT_STATUS), level, open drain, latched
 * or a 50 µs pulse, cleared by reading INT_STATUS or any register (INT_PIN_CFG, §4.14–4.16).
 */
import type { SimTimer, VirtualClock } from "../clock.js";
import type { PinBank } from "../pins.js";
import { FaultableSignal, constant, type Signal } from "../signals.js";
import { RegisterDevice } from "./register-device.js";

export const MPU6050_REGISTERS = Object.freeze({
  smplrtDiv: 0x19, config: 0x1a, gyroConfig: 0x1b, accelConfig: 0x1c, fifoEn: 0x23, intPinCfg: 0x37, intEnable: 0x38,
  intStatus: 0x3a, accelXoutH: 0x3b, tempOutH: 0x41, gyroXoutH: 0x43, gyroZoutL: 0x48, signalPathReset: 0x68,
  userCtrl: 0x6a, pwrMgmt1: 0x6b, pwrMgmt2: 0x6c, fifoCountH: 0x72, fifoCountL: 0x73, fifoRW: 0x74, whoAmI: 0x75,
});
export const MPU6050_WHO_AM_I = 0x68;
const R = MPU6050_REGISTERS;
const FIFO_BYTES = 1024;
/** INT_STATUS / INT_ENABLE bits (§4.15–4.16). */
const DATA_RDY = 0x01;
const FIFO_OFLOW = 0x10;
/** INT_PIN_CFG bits (§4.14). */
const INT_LEVEL = 0x80;
const LATCH_INT_EN = 0x20;
const INT_RD_CLEAR = 0x10;
/** LSB per g by AFS_SEL, per °/s by FS_SEL (product specification §6.1–6.2). */
const ACCEL_LSB_PER_G = Object.freeze([16384, 8192, 4096, 2048]);
const GYRO_LSB_PER_DPS = Object.freeze([131, 65.5, 32.8, 16.4]);
const PULSE_MS = 0.05;

export interface MPU6050Options {
  readonly address?: 0x68 | 0x69;
  readonly xG?: Signal;
  readonly yG?: Signal;
  readonly zG?: Signal;
  readonly xDps?: Signal;
  readonly yDps?: Signal;
  readonly zDps?: Signal;
  readonly temperatureC?: Signal;
  /** The pin INT is wired to. */
  readonly intPin?: number;
}

export class MPU6050Model extends RegisterDevice {
  readonly xG: FaultableSignal;
  readonly yG: FaultableSignal;
  readonly zG: FaultableSignal;
  readonly xDps: FaultableSignal;
  readonly yDps: FaultableSignal;
  readonly zDps: FaultableSignal;
  readonly temperatureC: FaultableSignal;
  readonly intPin: number;
  samples = 0;
  overflows = 0;
  readonly #fifo = new Uint8Array(FIFO_BYTES);
  #fifoStart = 0;
  #fifoCount = 0;
  readonly #sampler: SimTimer;
  readonly #pulse: SimTimer;
  #pulsing = false;

  constructor(readonly clock: VirtualClock, readonly pins: PinBank | undefined, options: MPU6050Options = {}) {
    super(options.address ?? 0x68);
    this.xG = new FaultableSignal(options.xG ?? constant(0));
    this.yG = new FaultableSignal(options.yG ?? constant(0));
    this.zG = new FaultableSignal(options.zG ?? constant(1));
    this.xDps = new FaultableSignal(options.xDps ?? constant(0));
    this.yDps = new FaultableSignal(options.yDps ?? constant(0));
    this.zDps = new FaultableSignal(options.zDps ?? constant(0));
    this.temperatureC = new FaultableSignal(options.temperatureC ?? constant(25));
    this.intPin = options.intPin ?? -1;
    this.#sampler = clock.hardwareTimer(() => this.#sample());
    this.#pulse = clock.hardwareTimer(() => {
      this.#pulsing = false;
      this.#updatePin();
    });
    this.#reset();
  }

  #reset(): void {
    this.registers.fill(0);
    this.registers[R.whoAmI] = MPU6050_WHO_AM_I;
    this.registers[R.pwrMgmt1] = 0x40; // SLEEP after power-up and DEVICE_RESET (§4.28)
    this.#fifoCount = 0;
    this.clock.cancelHardware(this.#sampler);
    this.#updatePin();
  }

  /** Sample rate = gyroscope output rate / (1 + SMPLRT_DIV); 8 kHz with the DLPF off (0 or 7), else 1 kHz (§4.2). */
  get rateHz(): number {
    const dlpf = (this.registers[R.config] ?? 0) & 7;
    return (dlpf === 0 || dlpf === 7 ? 8000 : 1000) / (1 + (this.registers[R.smplrtDiv] ?? 0));
  }

  #asleep(): boolean {
    return ((this.registers[R.pwrMgmt1] ?? 0) & 0x40) !== 0;
  }

  #schedule(): void {
    if (this.#asleep()) this.clock.cancelHardware(this.#sampler);
    else this.clock.scheduleHardware(this.#sampler, 1000 / this.rateHz);
  }

  protected override nextRegister(register: number): number {
    return register === R.fifoRW ? register : (register + 1) & 0xff; // FIFO_R_W reads stream from the FIFO
  }

  protected override writeRegister(register: number, value: number): void {
    if (register === R.whoAmI || register === R.intStatus || (register >= R.accelXoutH && register <= R.gyroZoutL)) return;
    if (register === R.pwrMgmt1 && (value & 0x80) !== 0) return this.#reset(); // DEVICE_RESET, self-clearing
    if (register === R.userCtrl && (value & 0x04) !== 0) this.#fifoCount = 0; // FIFO_RESET, self-clearing
    this.registers[register] = register === R.userCtrl ? value & ~0x07 : value;
    if (register === R.pwrMgmt1 || register === R.smplrtDiv || register === R.config) this.#schedule();
    if (register === R.intPinCfg || register === R.intEnable) this.#updatePin();
  }

  protected override readRegister(register: number): number {
    if (register === R.fifoCountH) return (this.#fifoCount >> 8) & 0xff;
    if (register === R.fifoCountL) return this.#fifoCount & 0xff;
    if (register === R.fifoRW) return this.#pop();
    const value = this.registers[register] ?? 0;
    if (register === R.intStatus) this.#clearStatus();
    return value;
  }

  protected override afterRead(): void {
    if (((this.registers[R.intPinCfg] ?? 0) & INT_RD_CLEAR) !== 0) this.#clearStatus(); // any read clears
  }

  #clearStatus(): void {
    if (this.registers[R.intStatus] === 0) return;
    this.registers[R.intStatus] = 0;
    this.#updatePin();
  }

  #pop(): number {
    if (this.#fifoCount === 0) return 0xff;
    const byte = this.#fifo[this.#fifoStart] ?? 0;
    this.#fifoStart = (this.#fifoStart + 1) % FIFO_BYTES;
    this.#fifoCount--;
    return byte;
  }

  #push(byte: number): void {
    if (this.#fifoCount === FIFO_BYTES) { // full: the oldest byte is lost (§4.15 FIFO_OFLOW_INT)
      this.#fifoStart = (this.#fifoStart + 1) % FIFO_BYTES;
      this.#fifoCount--;
      if (((this.registers[R.intStatus] ?? 0) & FIFO_OFLOW) === 0) this.overflows++;
      this.registers[R.intStatus] = (this.registers[R.intStatus] ?? 0) | FIFO_OFLOW;
    }
    this.#fifo[(this.#fifoStart + this.#fifoCount) % FIFO_BYTES] = byte;
    this.#fifoCount++;
  }

  #sample(): void {
    const now = this.clock.now;
    const afs = ((this.registers[R.accelConfig] ?? 0) >> 3) & 3;
    const fs = ((this.registers[R.gyroConfig] ?? 0) >> 3) & 3;
    const perG = ACCEL_LSB_PER_G[afs] ?? 16384;
    const perDps = GYRO_LSB_PER_DPS[fs] ?? 131;
    this.#store(R.accelXoutH, this.xG.valueAt(now) * perG);
    this.#store(R.accelXoutH + 2, this.yG.valueAt(now) * perG);
    this.#store(R.accelXoutH + 4, this.zG.valueAt(now) * perG);
    this.#store(R.tempOutH, (this.temperatureC.valueAt(now) - 36.53) * 340); // §4.18: T = TEMP_OUT / 340 + 36.53
    this.#store(R.gyroXoutH, this.xDps.valueAt(now) * perDps);
    this.#store(R.gyroXoutH + 2, this.yDps.valueAt(now) * perDps);
    this.#store(R.gyroXoutH + 4, this.zDps.valueAt(now) * perDps);
    this.samples++;
    if (((this.registers[R.userCtrl] ?? 0) & 0x40) !== 0) this.#toFifo();
    this.registers[R.intStatus] = (this.registers[R.intStatus] ?? 0) | DATA_RDY;
    this.#pulsing = ((this.registers[R.intPinCfg] ?? 0) & LATCH_INT_EN) === 0;
    if (this.#pulsing) this.clock.scheduleHardware(this.#pulse, PULSE_MS);
    this.#updatePin();
    this.#schedule();
  }

  #store(register: number, value: number): void {
    const raw = Math.max(-32768, Math.min(32767, Math.round(value)));
    this.registers[register] = (raw >> 8) & 0xff;
    this.registers[register + 1] = raw & 0xff;
  }

  /** FIFO_EN picks what goes in, in register order: accelerometer, temperature, gyroscope X, Y, Z (§4.7). */
  #toFifo(): void {
    const enabled = this.registers[R.fifoEn] ?? 0;
    if (enabled & 0x08) for (let i = 0; i < 6; i++) this.#push(this.registers[R.accelXoutH + i] ?? 0);
    if (enabled & 0x80) for (let i = 0; i < 2; i++) this.#push(this.registers[R.tempOutH + i] ?? 0);
    for (let axis = 0; axis < 3; axis++) {
      if ((enabled & (0x40 >> axis)) === 0) continue;
      for (let i = 0; i < 2; i++) this.#push(this.registers[R.gyroXoutH + axis * 2 + i] ?? 0);
    }
  }

  /** INT follows INT_STATUS & INT_ENABLE: latched until cleared, or a 50 µs pulse; active low with INT_LEVEL. */
  #updatePin(): void {
    if (this.pins === undefined || this.intPin < 0) return;
    const cfg = this.registers[R.intPinCfg] ?? 0;
    const pending = ((this.registers[R.intStatus] ?? 0) & (this.registers[R.intEnable] ?? 0)) !== 0;
    const asserted = pending && ((cfg & LATCH_INT_EN) !== 0 || this.#pulsing);
    const activeLow = (cfg & INT_LEVEL) !== 0;
    this.pins.drive(this.intPin, asserted !== activeLow ? 1 : 0);
  }

  /** Bytes waiting in the FIFO. */
  get fifoLevel(): number {
    return this.#fifoCount;
  }
}
