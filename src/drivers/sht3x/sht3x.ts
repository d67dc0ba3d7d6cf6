/**
 * SHT3x humidity and temperature sensor (Sensirion SHT3x-DIS,
 * https://sensirion.com/media/documents/213E6A3B/63A5A569/Datasheet_SHT3x_DIS.pdf), in the ECMA-419 Sensor Class
 * Pattern. Every word is CRC-checked (§4.12): a failed check makes the sample invalid and is counted — never a
 * silently missing field. sample(into) fills a caller-owned result and allocates nothing.
 */
import { SampleStatus } from "../common/errors.js";
import { sensirionCrc8 } from "../common/crc8.js";
import { Hygrometer, Thermometer } from "../common/readings.js";
import { OptionCheck } from "../common/options.js";
import { checkSensorOptions, I2CSensor, statusOf, type ChipSpec, type SensorOptions } from "../common/sensor.js";

/** Commands, datasheet Table 9–13. */
export const SHT3X = Object.freeze({
  singleShotStretch: Object.freeze([0x2c06, 0x2c0d, 0x2c10]), // high, medium, low repeatability, clock stretching
  singleShot: Object.freeze([0x2400, 0x240b, 0x2416]),
  periodic: Object.freeze({ 2000: 0x2032, 1000: 0x2130, 500: 0x2236, 250: 0x2334, 100: 0x2737 }),
  fetchData: 0xe000, break: 0x3093, softReset: 0x30a2, readStatus: 0xf32d, clearStatus: 0x3041,
  /** Maximum measurement duration in ms by repeatability (Table 4). */
  durationMs: Object.freeze([15, 6, 4]),
});

export type Repeatability = "high" | "medium" | "low";
export type SHT3xPeriodMs = 2000 | 1000 | 500 | 250 | 100;
const REPEATABILITY: readonly Repeatability[] = Object.freeze(["high", "medium", "low"]);
/** Periodic modes, Table 10: 0.5, 1, 2, 4 and 10 measurements per second. */
const PERIODS_MS: readonly (SHT3xPeriodMs | undefined)[] = Object.freeze([2000, 1000, 500, 250, 100, undefined]);
/** Address pin low or high (§3.3); up to 1 MHz (Table 20). (The gateway's sensor types read it.) */
export const SHT3X_SPEC: ChipSpec = Object.freeze({ chip: "SHT3x", addresses: Object.freeze([0x44, 0x45]), maxHz: 1_000_000, options: Object.freeze(["config"]) });

export interface SHT3xConfig {
  readonly repeatability?: Repeatability;
  /** Periodic acquisition at this period; undefined for single shots. */
  readonly periodMs?: SHT3xPeriodMs | undefined;
}

/**
 * A sample in the ECMA-419 compound shape `{thermometer: {temperature}, hygrometer: {humidity}}` (°C, %RH), with
 * `status` and `valid` alongside: valid with both values, or invalid with NaN values and the reason in `status`.
 */
export class SHT3xSample {
  status: number = SampleStatus.notReady;
  valid = false;
  readonly thermometer = new Thermometer();
  readonly hygrometer = new Hygrometer();
}

export type SHT3xOptions = SensorOptions & { readonly config?: SHT3xConfig };

function checkConfig(check: OptionCheck, option: string, value: unknown): SHT3xConfig {
  const config = check.keys(option, value, ["repeatability", "periodMs"]);
  if (config.repeatability !== undefined) check.oneOf(`${option}.repeatability`, config.repeatability, REPEATABILITY);
  if ("periodMs" in config) check.oneOf(`${option}.periodMs`, config.periodMs, PERIODS_MS);
  return config as SHT3xConfig;
}

export class SHT3x extends I2CSensor {
  readonly #command = new Uint8Array(2);
  readonly #frame = new Uint8Array(6);
  #repeatability = 0;
  #periodic = false;
  #triggered = false;
  #cause: unknown = undefined;

  constructor(options: SHT3xOptions) {
    const check = checkSensorOptions(SHT3X_SPEC, options);
    if (options.config !== undefined) checkConfig(check, "config", options.config);
    super(options, SHT3X_SPEC, check);
    this.#checkChip();
    if (options.config !== undefined) this.configure(options.config);
  }

  /**
   * The SHT3x has no ID register: a status read whose CRC checks out is how it answers. Break first: after a reset of
   * the MCU alone the chip may still be in periodic mode, where it takes only Break and Fetch Data (§4.11); in idle
   * mode Break changes nothing.
   */
  #checkChip(): void {
    try {
      this.#send(SHT3X.break);
      this.#send(SHT3X.readStatus);
      this.io.read(this.#frame.subarray(0, 3));
    } catch (error: unknown) {
      this.refuse("no-answer", SHT3X.readStatus, `no SHT3x answered at 0x${this.address.toString(16)}: check wiring and ` +
        `the address (0x44 with ADDR low, 0x45 high) (${error instanceof Error ? error.message : String(error)})`);
    }
    if (sensirionCrc8(this.#frame, 0) !== this.#frame[2]) {
      this.refuse("wrong-chip", SHT3X.readStatus, `the device at 0x${this.address.toString(16)} is not an SHT3x ` +
        "(its status word fails the Sensirion CRC)");
    }
  }

  #send(command: number): void {
    this.#command[0] = command >> 8;
    this.#command[1] = command & 0xff;
    this.io.write(this.#command);
  }

  /** Changes only the options given; each is checked first, and nothing is sent unless all are allowed. */
  configure(options: SHT3xConfig): void {
    this.checkOpen();
    const config = checkConfig(this.optionCheck(), "configure", options);
    if (config.repeatability !== undefined) this.#repeatability = REPEATABILITY.indexOf(config.repeatability);
    if ("periodMs" in config) {
      if (this.#periodic) this.#send(SHT3X.break);
      this.#periodic = config.periodMs !== undefined;
      if (config.periodMs !== undefined) this.#send(SHT3X.periodic[config.periodMs]);
    }
  }

  /** Starts a single-shot measurement without clock stretching; returns the ms to wait before sample(). */
  trigger(): number {
    this.checkOpen();
    this.#send(SHT3X.singleShot[this.#repeatability] ?? 0x2400);
    this.#triggered = true;
    return SHT3X.durationMs[this.#repeatability] ?? 15;
  }

  /**
   * Reads a measurement: the one trigger() started, the latest periodic one, or else a single shot with clock
   * stretching (blocks the bus up to 15 ms). Fills `into` in place without allocating; without `into`, a new object
   * each call (as ECMA-419 asks). Returns undefined when there is nothing to report yet (`into` says not-ready).
   */
  sample(into: SHT3xSample = new SHT3xSample()): SHT3xSample | undefined {
    this.checkOpen();
    this.counters.attempts++;
    into.valid = false;
    into.thermometer.temperature = Number.NaN;
    into.hygrometer.humidity = Number.NaN;
    into.status = this.#read();
    if (into.status === SampleStatus.ok) this.#decode(into);
    if (into.status === SampleStatus.ok) {
      into.valid = true;
      this.counters.valid++;
    } else if (into.status === SampleStatus.notReady) {
      return undefined;
    } else {
      this.fault(into.status, SHT3X.fetchData, this.#cause);
    }
    return into;
  }

  #read(): number {
    const triggered = this.#triggered;
    this.#triggered = false;
    this.#cause = undefined;
    let commandSent = false;
    try {
      if (this.#periodic) this.#send(SHT3X.fetchData);
      else if (!triggered) this.#send(SHT3X.singleShotStretch[this.#repeatability] ?? 0x2c06);
      commandSent = true;
      this.io.read(this.#frame);
    } catch (error: unknown) {
      const status = statusOf(error);
      this.#cause = error;
      // A NACKed read header means "no data yet" only where the datasheet says so: before a no-stretch shot is done,
      // or a periodic fetch the chip acknowledged with no new measurement (§4.5, §4.6). A NACKed command is a fault.
      const waiting = triggered || (this.#periodic && commandSent);
      return status === SampleStatus.nack && waiting ? SampleStatus.notReady : status;
    }
    const frame = this.#frame;
    if (sensirionCrc8(frame, 0) !== frame[2] || sensirionCrc8(frame, 3) !== frame[5]) return SampleStatus.crc;
    return SampleStatus.ok;
  }

  #decode(into: SHT3xSample): void {
    const frame = this.#frame;
    // §4.13: T = −45 + 175 · S_T / (2^16 − 1), RH = 100 · S_RH / (2^16 − 1)
    const temperature = -45 + (175 * (((frame[0] ?? 0) << 8) | (frame[1] ?? 0))) / 65535;
    // Specified range (Table 1–2): −40…125 °C; the raw extremes mean a saturated or broken sensor.
    if (temperature < -40 || temperature > 125) {
      into.status = SampleStatus.outOfRange;
      return;
    }
    into.thermometer.temperature = temperature;
    into.hygrometer.humidity = (100 * (((frame[3] ?? 0) << 8) | (frame[4] ?? 0))) / 65535;
  }

  protected override closeExtras(): void {
    if (!this.#periodic) return;
    try {
      this.#send(SHT3X.break);
    } catch (error: unknown) {
      this.fault(statusOf(error), SHT3X.break, error); // closing anyway; the fault is counted
    }
  }
}

export default SHT3x;
