/**
 * BMP280 barometric pressure and temperature sensor model (Bosch BST-BMP280-DS001,
 * https://www.bosch-sensortec.com/media/boschsensortec/downloads/datasheets/bst-bmp280-ds001.pdf): chip ID 0x58,
 * the datasheet's example calibration (§8.1 / §3.12), raw 20-bit ADC values found by inverting the datasheet's
 * compensation so they decode to the set pressure and temperature, forced and normal modes, and reset.
 */
import type { VirtualClock } from "../clock.js";
import { FaultableSignal, constant, type Signal } from "../signals.js";
import { RegisterDevice } from "./register-device.js";

export const BMP280_REGISTERS = Object.freeze({
  calib00: 0x88, id: 0xd0, reset: 0xe0, status: 0xf3, ctrlMeas: 0xf4, config: 0xf5, pressMsb: 0xf7, tempMsb: 0xfa,
});
export const BMP280_CHIP_ID = 0x58;

/** Calibration of the datasheet's worked example (§8.1): adc_T 519888 → 25.08 °C, adc_P 415148 → 100653.27 Pa. */
export const BMP280_EXAMPLE_CALIBRATION = Object.freeze({
  T1: 27504, T2: 26435, T3: -1000,
  P1: 36477, P2: -10685, P3: 3024, P4: 2855, P5: 140, P6: -7, P7: 15500, P8: -14600, P9: 6000,
});
type Calibration = typeof BMP280_EXAMPLE_CALIBRATION;

/** The datasheet's floating-point compensation (§8.1): t_fine; the temperature in °C is t_fine / 5120. */
export function bmp280TFine(adcT: number, c: Calibration): number {
  const var1 = (adcT / 16384 - c.T1 / 1024) * c.T2;
  const var2 = (adcT / 131072 - c.T1 / 8192) * (adcT / 131072 - c.T1 / 8192) * c.T3;
  return var1 + var2;
}

export function bmp280Pressure(adcP: number, tFine: number, c: Calibration): number {
  let var1 = tFine / 2 - 64000;
  let var2 = (var1 * var1 * c.P6) / 32768;
  var2 = var2 + var1 * c.P5 * 2;
  var2 = var2 / 4 + c.P4 * 65536;
  var1 = ((c.P3 * var1 * var1) / 524288 + c.P2 * var1) / 524288;
  var1 = (1 + var1 / 32768) * c.P1;
  if (var1 === 0) return 0;
  let p = 1048576 - adcP;
  p = ((p - var2 / 4096) * 6250) / var1;
  var1 = (c.P9 * p * p) / 2147483648;
  var2 = (p * c.P8) / 32768;
  return p + (var1 + var2 + c.P7) / 16;
}

/** The 20-bit ADC value that decodes to `temperatureC` (temperature rises with adc_T). Bisection, no allocation. */
function adcForTemperature(temperatureC: number, c: Calibration): number {
  let low = 0;
  let high = (1 << 20) - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (bmp280TFine(mid, c) / 5120 < temperatureC) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The 20-bit ADC value that decodes to `pressurePa` at `tFine` (pressure falls as adc_P rises). */
function adcForPressure(pressurePa: number, tFine: number, c: Calibration): number {
  let low = 0;
  let high = (1 << 20) - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (bmp280Pressure(mid, tFine, c) > pressurePa) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Oversampling count of an osrs code (§3.3.1): 0 skipped, 1..5 → 1, 2, 4, 8, 16. */
function oversampling(code: number): number {
  return code === 0 ? 0 : 1 << (Math.min(code, 5) - 1);
}

export interface BMP280Options {
  readonly address?: 0x76 | 0x77;
  readonly temperatureC?: Signal;
  readonly pressurePa?: Signal;
  readonly calibration?: Calibration;
}

export class BMP280Model extends RegisterDevice {
  readonly temperatureC: FaultableSignal;
  readonly pressurePa: FaultableSignal;
  readonly calibration: Calibration;
  measurements = 0;
  #busyUntil = 0;

  constructor(readonly clock: VirtualClock, options: BMP280Options = {}) {
    super(options.address ?? 0x76);
    this.temperatureC = new FaultableSignal(options.temperatureC ?? constant(25.08));
    this.pressurePa = new FaultableSignal(options.pressurePa ?? constant(100653.27));
    this.calibration = options.calibration ?? BMP280_EXAMPLE_CALIBRATION;
    this.#reset();
  }

  #reset(): void {
    this.registers.fill(0);
    this.registers[BMP280_REGISTERS.id] = BMP280_CHIP_ID;
    const c = this.calibration;
    const words = [c.T1, c.T2, c.T3, c.P1, c.P2, c.P3, c.P4, c.P5, c.P6, c.P7, c.P8, c.P9];
    words.forEach((word, i) => {
      this.registers[BMP280_REGISTERS.calib00 + 2 * i] = word & 0xff;
      this.registers[BMP280_REGISTERS.calib00 + 2 * i + 1] = (word >> 8) & 0xff;
    });
    this.registers[BMP280_REGISTERS.pressMsb] = 0x80; // reset values of the data registers (§4.2)
    this.registers[BMP280_REGISTERS.tempMsb] = 0x80;
  }

  /** t_measure max (§3.8.1): 1.25 + 2.3·osrs_t + 2.3·osrs_p + 0.575 ms, in oversampling counts. */
  #measureMs(ctrl: number): number {
    const t = oversampling((ctrl >> 5) & 7);
    const p = oversampling((ctrl >> 2) & 7);
    return 1.25 + 2.3 * t + (p > 0 ? 2.3 * p + 0.575 : 0);
  }

  protected override writeRegister(register: number, value: number): void {
    if (register === BMP280_REGISTERS.reset) {
      if (value === 0xb6) this.#reset();
      return;
    }
    if (register < BMP280_REGISTERS.status || register > BMP280_REGISTERS.config) return; // read-only
    this.registers[register] = value;
    if (register === BMP280_REGISTERS.ctrlMeas && (value & 3) !== 0) this.#measure(value);
  }

  #measure(ctrl: number): void {
    this.#busyUntil = this.clock.now + this.#measureMs(ctrl);
    const c = this.calibration;
    const adcT = adcForTemperature(this.temperatureC.valueAt(this.#busyUntil), c);
    const adcP = adcForPressure(this.pressurePa.valueAt(this.#busyUntil), bmp280TFine(adcT, c), c);
    this.#store(BMP280_REGISTERS.tempMsb, (ctrl >> 5) & 7 ? adcT : 0x80000);
    this.#store(BMP280_REGISTERS.pressMsb, (ctrl >> 2) & 7 ? adcP : 0x80000);
    this.measurements++;
    if ((ctrl & 3) !== 3) this.registers[BMP280_REGISTERS.ctrlMeas] = ctrl & ~3; // forced mode ends in sleep
  }

  #store(msb: number, adc: number): void {
    this.registers[msb] = (adc >> 12) & 0xff;
    this.registers[msb + 1] = (adc >> 4) & 0xff;
    this.registers[msb + 2] = (adc & 0x0f) << 4;
  }

  protected override readRegister(register: number): number {
    if (register === BMP280_REGISTERS.status) return this.clock.now < this.#busyUntil ? 0x08 : 0x00;
    const ctrl = this.registers[BMP280_REGISTERS.ctrlMeas] ?? 0;
    if (register === BMP280_REGISTERS.pressMsb && (ctrl & 3) === 3 && this.clock.now >= this.#busyUntil) this.#measure(ctrl);
    return this.registers[register] ?? 0;
  }
}
