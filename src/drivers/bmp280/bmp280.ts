/**
 * BMP280 pressure and temperature sensor (Bosch BST-BMP280-DS001,
 * https://www.bosch-sensortec.com/media/boschsensortec/downloads/datasheets/bst-bmp280-ds001.pdf), in the ECMA-419
 * Sensor Class Pattern: chip-ID check, calibration read once, the datasheet's floating-point compensation (§8.1),
 * normal mode by default (always fresh data) or forced mode with trigger(). sample() allocates nothing.
 */
import { SampleStatus } from "../common/errors.js";
import { OptionCheck } from "../common/options.js";
import { Barometer, Thermometer } from "../common/readings.js";
import { checkSensorOptions, I2CSensor, statusOf, type ChipSpec, type SensorOptions } from "../common/sensor.js";

/** Register map, §4.3. */
export const BMP280_REGISTERS = Object.freeze({ calib: 0x88, id: 0xd0, reset: 0xe0, status: 0xf3, ctrlMeas: 0xf4, config: 0xf5, data: 0xf7, chipId: 0x58 });

export type Oversampling = 0 | 1 | 2 | 4 | 8 | 16;
/** Oversampling → osrs code is its index; standby ms → t_sb code likewise (§3.6.3). */
const OVERSAMPLING: readonly Oversampling[] = Object.freeze([0, 1, 2, 4, 8, 16]);
const STANDBY_MS = Object.freeze([0.5, 62.5, 125, 250, 500, 1000, 2000, 4000] as const);
/** SDO low or high (§5.2); I2C up to 3.4 MHz (§5.2). (The gateway's sensor types read it.) */
export const BMP280_SPEC: ChipSpec = Object.freeze({ chip: "BMP280", addresses: Object.freeze([0x76, 0x77]), maxHz: 3_400_000, options: Object.freeze(["config"]) });

/** Samples taken for an osrs code: 0 skipped, then 1, 2, 4, 8, 16. */
function samples(code: number): number {
  return code === 0 ? 0 : 1 << (code - 1);
}

export interface BMP280Config {
  readonly temperatureOversampling?: Oversampling;
  readonly pressureOversampling?: Oversampling;
  /** "normal" measures continuously; "forced" measures once per trigger(). */
  readonly mode?: "normal" | "forced";
  readonly standbyMs?: 0.5 | 62.5 | 125 | 250 | 500 | 1000 | 2000 | 4000;
  /** IIR filter coefficient code 0–4 (off, 2, 4, 8, 16). */
  readonly filter?: 0 | 1 | 2 | 3 | 4;
}

/**
 * A sample in the ECMA-419 compound shape `{barometer: {pressure}, thermometer: {temperature}}` (Pa, °C), with
 * `status` and `valid` alongside: valid with both values, or invalid with NaN values and the reason in `status`.
 */
export class BMP280Sample {
  status: number = SampleStatus.notReady;
  valid = false;
  readonly barometer = new Barometer();
  readonly thermometer = new Thermometer();
}

export type BMP280Options = SensorOptions & { readonly config?: BMP280Config };

function checkConfig(check: OptionCheck, option: string, value: unknown): BMP280Config {
  const config = check.keys(option, value, ["temperatureOversampling", "pressureOversampling", "mode", "standbyMs", "filter"]);
  // osrs_t/osrs_p (Tables 21–22), mode (Table 10), t_sb (Table 11), filter (Table 7)
  if (config.temperatureOversampling !== undefined) check.oneOf(`${option}.temperatureOversampling`, config.temperatureOversampling, OVERSAMPLING);
  if (config.pressureOversampling !== undefined) check.oneOf(`${option}.pressureOversampling`, config.pressureOversampling, OVERSAMPLING);
  if (config.mode !== undefined) check.oneOf(`${option}.mode`, config.mode, ["normal", "forced"]);
  if (config.standbyMs !== undefined) check.oneOf(`${option}.standbyMs`, config.standbyMs, STANDBY_MS);
  if (config.filter !== undefined) check.whole(`${option}.filter`, config.filter, 0, 4);
  return config as BMP280Config;
}

export class BMP280 extends I2CSensor {
  readonly #calibration = new Float64Array(12); // T1..T3, P1..P9
  readonly #raw = new Uint8Array(24);
  readonly #data = new Uint8Array(6);
  #tOsrs = 1;
  #pOsrs = 3;
  #forced = false;
  #standby = 1;
  #filter = 0;
  #cause: unknown = undefined;

  constructor(options: BMP280Options) {
    const check = checkSensorOptions(BMP280_SPEC, options);
    if (options.config !== undefined) checkConfig(check, "config", options.config);
    super(options, BMP280_SPEC, check);
    let id = -1;
    try {
      id = this.io.readUint8(BMP280_REGISTERS.id);
      this.io.readBuffer(BMP280_REGISTERS.calib, this.#raw);
    } catch (error: unknown) {
      this.refuse("no-answer", BMP280_REGISTERS.id, `no BMP280 answered at 0x${this.address.toString(16)}: check wiring and the ` +
        `address (0x76 with SDO low, 0x77 high) (${error instanceof Error ? error.message : String(error)})`);
    }
    if (id !== BMP280_REGISTERS.chipId) {
      this.refuse("wrong-chip", BMP280_REGISTERS.id, `the device at 0x${this.address.toString(16)} has chip ID 0x${id.toString(16)}, ` +
        "not the BMP280's 0x58 (a BME280 answers 0x60)");
    }
    this.#readCalibration();
    this.configure(options.config ?? {});
  }

  #readCalibration(): void {
    const view = new DataView(this.#raw.buffer);
    for (let i = 0; i < 12; i++) {
      // dig_T1 and dig_P1 are unsigned, the rest signed (§3.11.2), little-endian.
      this.#calibration[i] = i === 0 || i === 3 ? view.getUint16(i * 2, true) : view.getInt16(i * 2, true);
    }
  }

  /** Changes only the options given; each is checked first, and nothing is written unless all are allowed. */
  configure(options: BMP280Config): void {
    this.checkOpen();
    const config = checkConfig(this.optionCheck(), "configure", options);
    if (config.temperatureOversampling !== undefined) this.#tOsrs = OVERSAMPLING.indexOf(config.temperatureOversampling);
    if (config.pressureOversampling !== undefined) this.#pOsrs = OVERSAMPLING.indexOf(config.pressureOversampling);
    if (config.mode !== undefined) this.#forced = config.mode === "forced";
    if (config.standbyMs !== undefined) this.#standby = STANDBY_MS.indexOf(config.standbyMs);
    if (config.filter !== undefined) this.#filter = config.filter;
    this.io.writeUint8(BMP280_REGISTERS.config, (this.#standby << 5) | (this.#filter << 2));
    this.io.writeUint8(BMP280_REGISTERS.ctrlMeas, (this.#tOsrs << 5) | (this.#pOsrs << 2) | (this.#forced ? 0 : 3));
  }

  /** Forced mode: starts one measurement; returns the ms to wait (t_measure max, §3.8.1). */
  trigger(): number {
    this.checkOpen();
    this.io.writeUint8(BMP280_REGISTERS.ctrlMeas, (this.#tOsrs << 5) | (this.#pOsrs << 2) | 1);
    return 1.25 + 2.3 * samples(this.#tOsrs) + (this.#pOsrs > 0 ? 2.3 * samples(this.#pOsrs) + 0.575 : 0);
  }

  /**
   * Reads the latest measurement. Fills `into` in place without allocating; without `into`, a new object each call
   * (as ECMA-419 asks). Returns undefined when there is nothing to report yet (`into` says not-ready).
   */
  sample(into: BMP280Sample = new BMP280Sample()): BMP280Sample | undefined {
    this.checkOpen();
    this.counters.attempts++;
    into.valid = false;
    into.status = this.#read();
    if (into.status === SampleStatus.ok) this.#compensate(into);
    if (into.status === SampleStatus.ok) {
      into.valid = true;
      this.counters.valid++;
      return into;
    }
    into.barometer.pressure = Number.NaN; // never a half-valid result
    into.thermometer.temperature = Number.NaN;
    if (into.status === SampleStatus.notReady) return undefined;
    this.fault(into.status, BMP280_REGISTERS.data, this.#cause);
    return into;
  }

  #read(): number {
    this.#cause = undefined;
    try {
      if (this.#forced && (this.io.readUint8(BMP280_REGISTERS.status) & 0x08) !== 0) return SampleStatus.notReady;
      this.io.readBuffer(BMP280_REGISTERS.data, this.#data);
    } catch (error: unknown) {
      this.#cause = error;
      return statusOf(error);
    }
    // 0x80000 is the reset value of a skipped or never-run measurement (§4.3.6–4.3.7).
    return this.#adc(3) === 0x80000 ? SampleStatus.notReady : SampleStatus.ok;
  }

  #adc(at: number): number {
    const d = this.#data;
    return ((d[at] ?? 0) << 12) | ((d[at + 1] ?? 0) << 4) | ((d[at + 2] ?? 0) >> 4);
  }

  /** §8.1, double precision. */
  #compensate(into: BMP280Sample): void {
    const c = this.#calibration;
    const adcT = this.#adc(3);
    const adcP = this.#adc(0);
    const t1 = c[0] ?? 0, t2 = c[1] ?? 0, t3 = c[2] ?? 0;
    let var1 = (adcT / 16384 - t1 / 1024) * t2;
    let var2 = (adcT / 131072 - t1 / 8192) * (adcT / 131072 - t1 / 8192) * t3;
    const tFine = var1 + var2;
    into.thermometer.temperature = tFine / 5120;
    var1 = tFine / 2 - 64000;
    var2 = (var1 * var1 * (c[8] ?? 0)) / 32768 + var1 * (c[7] ?? 0) * 2;
    var2 = var2 / 4 + (c[6] ?? 0) * 65536;
    var1 = (((c[5] ?? 0) * var1 * var1) / 524288 + (c[4] ?? 0) * var1) / 524288;
    var1 = (1 + var1 / 32768) * (c[3] ?? 0);
    if (var1 === 0 || adcP === 0x80000) {
      into.status = SampleStatus.notReady; // pressure skipped, or a division by zero the datasheet guards against
      return;
    }
    let p = ((1048576 - adcP - var2 / 4096) * 6250) / var1;
    var1 = ((c[11] ?? 0) * p * p) / 2147483648;
    var2 = (p * (c[10] ?? 0)) / 32768;
    p += (var1 + var2 + (c[9] ?? 0)) / 16;
    into.barometer.pressure = p;
    // Operating range (Table 1): 300–1100 hPa, −40…85 °C.
    const t = into.thermometer.temperature;
    if (p < 30000 || p > 110000 || t < -40 || t > 85) into.status = SampleStatus.outOfRange;
  }
}

export default BMP280;
