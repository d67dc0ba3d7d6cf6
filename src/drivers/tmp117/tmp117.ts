/**
 * TMP117 digital temperature sensor (TI SNOSD82, https://www.ti.com/lit/ds/symlink/tmp117.pdf), in the ECMA-419
 * Sensor Class Pattern, with its ALERT pin as an interrupt: the handler only reads the result and configuration
 * into a slot of a record ring (drops counted); nextAlert() decodes later, on the main loop. In shutdown mode each
 * reading is a one-shot conversion: trigger() starts it, sample() reads it once done and says not-ready before.
 */
import { RecordRing } from "../../mem/record-ring.js";
import { SampleStatus } from "../common/errors.js";
import type { InterruptLine } from "../common/interrupt.js";
import { OptionCheck } from "../common/options.js";
import { checkSensorOptions, I2CSensor, statusOf, type ChipSpec, type SensorOptions } from "../common/sensor.js";

/** Registers (§7.6) and constants. */
export const TMP117_REGISTERS = Object.freeze({ temperature: 0x00, configuration: 0x01, highLimit: 0x02, lowLimit: 0x03, deviceId: 0x0f });
/** Configuration register fields (§7.6.1.2). */
export const TMP117_CONFIG = Object.freeze({
  highAlert: 0x8000, lowAlert: 0x4000, dataReady: 0x2000, eepromBusy: 0x1000,
  /** MOD[1:0]: 00 continuous, 01 shutdown, 11 one-shot (§7.4.2). */
  mode: 0x0c00, modeShutdown: 0x0400, modeOneShot: 0x0c00,
  /** CONV[2:0] and AVG[1:0]: the conversion cycle and averaging of Table 7-7. */
  conversionCycle: 0x0380, averaging: 0x0060,
  /** T/nA: 1 therm mode, 0 alert mode (§7.4.4). */
  therm: 0x0010,
  /** POL: 1 ALERT active high; DR/Alert: 1 ALERT reflects Data_Ready instead of the alert flags. */
  polarity: 0x0008, drAlert: 0x0004, softReset: 0x0002,
});
const C = TMP117_CONFIG;
const CONV_SHIFT = 7;
const AVG_SHIFT = 5;
/** Flags the chip sets; writing them back changes nothing, so they are masked out of what is written. */
const STATUS_FLAGS = C.highAlert | C.lowAlert | C.dataReady | C.eepromBusy;
const DEVICE_ID = 0x0117;
/** 7.8125 m°C per LSB (§7.3.1). */
const LSB_C = 0.0078125;
/** A one-shot by averaging: 1, 8, 32 or 64 conversions of 15.5 ms (§7.3.2). */
const ONE_SHOT_MS = Object.freeze([15.5, 124, 496, 992]);
/** A queued alert: status, result word, configuration word. */
const RECORD_BYTES = 5;
/** Alerts the default ring holds. */
const DEFAULT_ALERTS = 32;
/** ADD0 to GND, V+, SDA or SCL (Table 7-2); fast mode up to 400 kHz (§6.6). (The gateway's sensor types read it.) */
export const TMP117_SPEC: ChipSpec = Object.freeze({
  chip: "TMP117", addresses: Object.freeze([0x48, 0x49, 0x4a, 0x4b]), maxHz: 400_000,
  options: Object.freeze(["alert", "onAlert", "ring", "config"]),
});
/** Specified range (§1), also what the limit registers are meaningful for. */
const MIN_C = -55;
const MAX_C = 150;
const AVERAGING = Object.freeze([0, 8, 32, 64] as const);

export interface TMP117Config {
  readonly highLimitC?: number;
  readonly lowLimitC?: number;
  /** CONV code 0–7 (Table 7-7): with averaging, sets the conversion cycle (15.5 ms … 16 s). */
  readonly conversionCycle?: number;
  /** Averaged conversions: 0 (none), 8, 32 or 64. */
  readonly averaging?: 0 | 8 | 32 | 64;
  /** "shutdown": no conversion until trigger() (or sample()) starts a one-shot. */
  readonly mode?: "continuous" | "shutdown";
  /** "alert": flags latch until the configuration is read; "therm": hysteresis between the limits. */
  readonly alertMode?: "alert" | "therm";
}

/**
 * A sample in the ECMA-419 Temperature shape `{temperature, alert}` (°C; `alert` true when the high or low flag is
 * set, as the TMP117 class document gives it), with `highAlert`, `lowAlert`, `status` and `valid` alongside.
 */
export class TMP117Sample {
  status: number = SampleStatus.notReady;
  valid = false;
  temperature = Number.NaN;
  alert = false;
  highAlert = false;
  lowAlert = false;
}

function checkConfig(check: OptionCheck, option: string, value: unknown): TMP117Config {
  const config = check.keys(option, value, ["highLimitC", "lowLimitC", "conversionCycle", "averaging", "mode", "alertMode"]);
  if (config.highLimitC !== undefined) check.number(`${option}.highLimitC`, config.highLimitC, MIN_C, MAX_C, "°C");
  if (config.lowLimitC !== undefined) check.number(`${option}.lowLimitC`, config.lowLimitC, MIN_C, MAX_C, "°C");
  if (typeof config.highLimitC === "number" && typeof config.lowLimitC === "number" && config.lowLimitC > config.highLimitC) {
    check.refuse(`${option}.lowLimitC`, config.lowLimitC, `at most highLimitC (${config.highLimitC})`);
  }
  if (config.conversionCycle !== undefined) check.whole(`${option}.conversionCycle`, config.conversionCycle, 0, 7); // Table 7-7
  if (config.averaging !== undefined) check.oneOf(`${option}.averaging`, config.averaging, AVERAGING);
  if (config.mode !== undefined) check.oneOf(`${option}.mode`, config.mode, ["continuous", "shutdown"]);
  if (config.alertMode !== undefined) check.oneOf(`${option}.alertMode`, config.alertMode, ["alert", "therm"]);
  return config as TMP117Config;
}

function checkOptions(options: TMP117Options): OptionCheck {
  const check = checkSensorOptions(TMP117_SPEC, options);
  check.pin("alert", options.alert);
  check.callback("onAlert", options.onAlert);
  check.ring("ring", options.ring, RECORD_BYTES);
  if (options.config !== undefined) checkConfig(check, "config", options.config);
  return check;
}

export interface TMP117Options extends SensorOptions {
  /** The ALERT line: `{io: device.io.Digital, pin: device.pin.alert}` (open drain, active low). */
  readonly alert?: InterruptLine;
  /** Called on the main loop after an alert is queued. */
  readonly onAlert?: (sensor: TMP117) => void;
  /** Where alert records go (5 bytes each); by default a ring of its own for 32 alerts. */
  readonly ring?: RecordRing;
  readonly config?: TMP117Config;
}

export class TMP117 extends I2CSensor {
  /** Where an alert read goes when the ring is full: it must still be read, to release the latched ALERT line. */
  readonly #spare = new Uint8Array(RECORD_BYTES);
  readonly #ring: RecordRing;
  readonly #onAlert: ((sensor: TMP117) => void) | undefined;
  #config = 0x0220;
  /** A conversion was read: from then on the reset value 0x8000 (−256 °C) is a reading out of range, not "not ready". */
  #converted = false;
  /** Shutdown mode: a one-shot was started and its result not read yet. */
  #oneShot = false;
  /** A trigger() whose write failed: the next sample() reports it. */
  #triggerStatus: number = SampleStatus.ok;

  constructor(options: TMP117Options) {
    super(options, TMP117_SPEC, checkOptions(options));
    let id = -1;
    try {
      id = this.io.readUint16(TMP117_REGISTERS.deviceId, true);
    } catch (error: unknown) {
      this.refuse("no-answer", TMP117_REGISTERS.deviceId, `no TMP117 answered at 0x${this.address.toString(16)}: check ` +
        `wiring and the ADD0 address (0x48–0x4B) (${error instanceof Error ? error.message : String(error)})`);
    }
    if ((id & 0x0fff) !== DEVICE_ID) {
      this.refuse("wrong-chip", TMP117_REGISTERS.deviceId, `the device at 0x${this.address.toString(16)} has device ID ` +
        `0x${id.toString(16)}, not the TMP117's 0x117`);
    }
    this.#ring = options.ring ?? new RecordRing(DEFAULT_ALERTS, RECORD_BYTES);
    this.#onAlert = options.onAlert;
    this.#config = this.io.readUint16(TMP117_REGISTERS.configuration, true);
    if (options.config !== undefined) this.configure(options.config);
    if (options.alert !== undefined) this.openLine(options.alert, "falling", (sensor) => sensor.#alerted());
  }

  /** Changes only the options given; each is checked first, and nothing is written unless all are allowed. */
  configure(options: TMP117Config): void {
    this.checkOpen();
    const config = checkConfig(this.optionCheck(), "configure", options);
    if (config.highLimitC !== undefined) this.io.writeUint16(TMP117_REGISTERS.highLimit, Math.round(config.highLimitC / LSB_C) & 0xffff, true);
    if (config.lowLimitC !== undefined) this.io.writeUint16(TMP117_REGISTERS.lowLimit, Math.round(config.lowLimitC / LSB_C) & 0xffff, true);
    let c = this.#config & ~(STATUS_FLAGS | C.softReset);
    if (config.conversionCycle !== undefined) c = (c & ~C.conversionCycle) | (config.conversionCycle << CONV_SHIFT);
    if (config.averaging !== undefined) c = (c & ~C.averaging) | (AVERAGING.indexOf(config.averaging) << AVG_SHIFT);
    if (config.mode !== undefined) c = (c & ~C.mode) | (config.mode === "shutdown" ? C.modeShutdown : 0);
    if (config.alertMode !== undefined) c = (c & ~C.therm) | (config.alertMode === "therm" ? C.therm : 0);
    this.#config = c & ~(C.polarity | C.drAlert); // ALERT active low, reflecting the alert flags
    this.#oneShot = false;
    this.io.writeUint16(TMP117_REGISTERS.configuration, this.#config, true);
  }

  get #shutdown(): boolean {
    return (this.#config & C.mode) === C.modeShutdown;
  }

  /**
   * Shutdown mode: starts a one-shot conversion and returns the ms it takes (15.5 ms, or 124 ms at the default
   * averaging of 8); sample() after that reads it. In continuous mode there is nothing to start: 0. A failed write is counted
   * and reported by the next sample().
   */
  trigger(): number {
    this.checkOpen();
    if (!this.#shutdown) return 0;
    try {
      this.io.writeUint16(TMP117_REGISTERS.configuration, (this.#config & ~C.mode) | C.modeOneShot, true);
      this.#oneShot = true;
    } catch (error: unknown) {
      this.#triggerStatus = this.fault(statusOf(error), TMP117_REGISTERS.configuration, error);
    }
    return ONE_SHOT_MS[(this.#config & C.averaging) >> AVG_SHIFT] ?? 15.5;
  }

  /**
   * Reads the latest result and the alert flags (reading the configuration clears them in alert mode). Fills `into`
   * in place without allocating; without `into`, a new object each call (as ECMA-419 asks). Returns undefined when
   * there is nothing to report (`into` says not-ready): before the first conversion, and in shutdown mode until a
   * one-shot is done — a sample() with none started starts one, so a shutdown TMP117 never reports an old reading.
   */
  sample(into: TMP117Sample = new TMP117Sample()): TMP117Sample | undefined {
    this.checkOpen();
    if (this.#triggerStatus !== SampleStatus.ok) {
      this.#decode(this.#triggerStatus, 0, 0, into);
      this.#triggerStatus = SampleStatus.ok;
      return into;
    }
    if (this.#shutdown) return this.#sampleOneShot(into);
    const io = this.io;
    let result: number;
    let config: number;
    try {
      result = io.readUint16(TMP117_REGISTERS.temperature, true);
      config = io.readUint16(TMP117_REGISTERS.configuration, true);
    } catch (error: unknown) {
      this.#decode(this.fault(statusOf(error), TMP117_REGISTERS.temperature, error), 0, 0, into);
      return into;
    }
    this.#decode(SampleStatus.ok, result, config, into);
    return into.status === SampleStatus.notReady ? undefined : into;
  }

  /** Shutdown mode: the one-shot's result once Data_Ready says it is done (§7.6.1.2), else not-ready. */
  #sampleOneShot(into: TMP117Sample): TMP117Sample | undefined {
    if (!this.#oneShot) {
      this.trigger();
      if (this.#triggerStatus !== SampleStatus.ok) return this.sample(into);
      this.#decode(SampleStatus.notReady, 0, 0, into);
      return undefined;
    }
    let config = 0;
    let result = 0;
    try {
      config = this.io.readUint16(TMP117_REGISTERS.configuration, true);
      if ((config & C.dataReady) !== 0) result = this.io.readUint16(TMP117_REGISTERS.temperature, true);
    } catch (error: unknown) {
      this.#decode(this.fault(statusOf(error), TMP117_REGISTERS.temperature, error), 0, 0, into);
      return into;
    }
    if ((config & C.dataReady) === 0) {
      this.#decode(SampleStatus.notReady, 0, 0, into);
      return undefined;
    }
    this.#oneShot = false;
    this.#converted = true;
    this.#decode(SampleStatus.ok, result, config, into);
    return into;
  }

  /** Decodes the oldest queued alert into `into`; false when none is queued. */
  nextAlert(into: TMP117Sample): boolean {
    this.checkOpen();
    const ring = this.#ring;
    const at = ring.oldest;
    if (at < 0) return false;
    const b = ring.bytes;
    const status = b[at] ?? SampleStatus.bus;
    const result = ((b[at + 1] ?? 0) << 8) | (b[at + 2] ?? 0);
    const config = ((b[at + 3] ?? 0) << 8) | (b[at + 4] ?? 0);
    ring.release(at);
    this.#decode(status, result, config, into);
    return true;
  }

  get pendingAlerts(): number {
    return this.#ring.count;
  }

  /** The interrupt path: read into a ring slot, count; decoding waits for nextAlert(). */
  #alerted(): void {
    this.counters.interrupts++;
    const ring = this.#ring;
    const at = ring.claim();
    if (at < 0) {
      this.#readRecord(this.#spare, 0); // releases the latched ALERT; the record itself is lost
      this.counters.dropped++;
      this.fault(SampleStatus.dropped, TMP117_REGISTERS.temperature, undefined);
      return;
    }
    this.#readRecord(ring.bytes, at);
    ring.commit();
    this.#onAlert?.(this);
  }

  #readRecord(record: Uint8Array, at: number): void {
    try {
      const result = this.io.readUint16(TMP117_REGISTERS.temperature, true);
      const config = this.io.readUint16(TMP117_REGISTERS.configuration, true);
      record[at] = SampleStatus.ok;
      record[at + 1] = result >> 8;
      record[at + 2] = result & 0xff;
      record[at + 3] = config >> 8;
      record[at + 4] = config & 0xff;
    } catch (error: unknown) {
      record[at] = this.fault(statusOf(error), TMP117_REGISTERS.temperature, error);
    }
  }

  /** Fills `into` from a status and, when it is ok, the result and configuration words. */
  #decode(status: number, result: number, config: number, into: TMP117Sample): void {
    this.counters.attempts++;
    into.status = status;
    into.valid = false;
    into.temperature = Number.NaN;
    const highAlert = status === SampleStatus.ok && (config & C.highAlert) !== 0;
    const lowAlert = status === SampleStatus.ok && (config & C.lowAlert) !== 0;
    into.highAlert = highAlert;
    into.lowAlert = lowAlert;
    into.alert = highAlert || lowAlert;
    if (status !== SampleStatus.ok) return;
    const raw = (result << 16) >> 16;
    if (raw === -32768 && !this.#converted) {
      into.status = SampleStatus.notReady; // the reset value: no conversion yet (§7.6.1.1)
      return;
    }
    this.#converted = true;
    const temperature = raw * LSB_C;
    // Specified range −55…150 °C (§1); beyond it the reading is not a temperature.
    if (temperature < MIN_C || temperature > MAX_C) {
      into.status = this.fault(SampleStatus.outOfRange, TMP117_REGISTERS.temperature, undefined);
      return;
    }
    into.temperature = temperature;
    into.valid = true;
    this.counters.valid++;
  }
}

export default TMP117;
