/**
 * TMP117 digital temperature sensor (TI SNOSD82, https://www.ti.com/lit/ds/symlink/tmp117.pdf), in the ECMA-419
 * Sensor Class Pattern, with its ALERT pin as an interrupt: the handler only reads the result and configuration
 * into preallocated bytes and queues them in a ring (drops counted); nextAlert() decodes later, on the main loop.
 */
import type { DigitalConstructor, Digital } from "../../io/index.js";
import { StaticArena } from "../../mem/arena.js";
import { RingAllocator } from "../../mem/ring.js";
import { SampleStatus } from "../common/errors.js";
import { OptionCheck } from "../common/options.js";
import { checkSensorOptions, I2CSensor, statusOf, type ChipSpec, type SensorOptions } from "../common/sensor.js";

/** Registers (§7.6) and constants. */
export const TMP117_REGISTERS = Object.freeze({ temperature: 0x00, configuration: 0x01, highLimit: 0x02, lowLimit: 0x03, deviceId: 0x0f });
const DEVICE_ID = 0x0117;
/** 7.8125 m°C per LSB (§7.3.1). */
const LSB_C = 0.0078125;
const HIGH_ALERT = 0x8000;
const LOW_ALERT = 0x4000;
/** A queued alert: status, result word, configuration word. */
const RECORD_BYTES = 5;
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

function checkOptions(options: TMP117Options): TMP117Options {
  const check = checkSensorOptions(TMP117_SPEC, options);
  check.pin("alert", options.alert);
  check.callback("onAlert", options.onAlert);
  check.instance("ring", options.ring, RingAllocator, "RingAllocator");
  if (options.config !== undefined) checkConfig(check, "config", options.config);
  return options;
}

export interface TMP117Options extends SensorOptions {
  /** The ALERT line: `{io: device.io.Digital, pin: device.pin.alert}` (open drain, active low). */
  readonly alert?: { readonly io: DigitalConstructor; readonly pin: number };
  /** Called on the main loop after an alert is queued. */
  readonly onAlert?: (sensor: TMP117) => void;
  /** Where alert records go; by default a ring of its own for 32 alerts. */
  readonly ring?: RingAllocator;
  readonly config?: TMP117Config;
}

export class TMP117 extends I2CSensor {
  readonly #record = new Uint8Array(RECORD_BYTES);
  readonly #ring: RingAllocator;
  readonly #onAlert: ((sensor: TMP117) => void) | undefined;
  #alert: Digital | undefined;
  #config = 0x0220;
  /** A conversion was read: from then on the reset value 0x8000 (−256 °C) is a reading out of range, not "not ready". */
  #converted = false;

  constructor(options: TMP117Options) {
    super(checkOptions(options), TMP117_SPEC);
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
    this.#ring = options.ring ?? new RingAllocator(new StaticArena(32 * 8 + 8).carve("tmp117-alerts", 32 * 8));
    this.#onAlert = options.onAlert;
    this.#config = this.io.readUint16(TMP117_REGISTERS.configuration, true);
    if (options.config !== undefined) this.configure(options.config);
    if (options.alert !== undefined) this.#openAlert(options.alert);
  }

  #openAlert(alert: { readonly io: DigitalConstructor; readonly pin: number }): void {
    const Digital = alert.io;
    try {
      this.#alert = new Digital({
        pin: alert.pin, mode: Digital.InputPullUp, edge: Digital.Falling, target: this,
        onReadable: function (this: Digital) {
          (this.target as TMP117).#alerted();
        },
      });
    } catch (error: unknown) {
      this.close();
      throw error;
    }
  }

  /** Changes only the options given; each is checked first, and nothing is written unless all are allowed. */
  configure(options: TMP117Config): void {
    this.checkOpen();
    const config = checkConfig(new OptionCheck(this.chip), "configure", options);
    if (config.highLimitC !== undefined) this.io.writeUint16(TMP117_REGISTERS.highLimit, Math.round(config.highLimitC / LSB_C) & 0xffff, true);
    if (config.lowLimitC !== undefined) this.io.writeUint16(TMP117_REGISTERS.lowLimit, Math.round(config.lowLimitC / LSB_C) & 0xffff, true);
    let c = this.#config & ~(HIGH_ALERT | LOW_ALERT | 0x2000 | 0x0002);
    if (config.conversionCycle !== undefined) c = (c & ~0x0380) | (config.conversionCycle << 7);
    if (config.averaging !== undefined) c = (c & ~0x0060) | (AVERAGING.indexOf(config.averaging) << 5);
    if (config.mode !== undefined) c = (c & ~0x0c00) | (config.mode === "shutdown" ? 0x0400 : 0);
    if (config.alertMode !== undefined) c = (c & ~0x0010) | (config.alertMode === "therm" ? 0x0010 : 0);
    this.#config = c & ~0x000c; // ALERT active low, reflecting the alert flags
    this.io.writeUint16(TMP117_REGISTERS.configuration, this.#config, true);
  }

  /**
   * Reads the latest result and the alert flags (reading the configuration clears them in alert mode). Fills `into`
   * in place without allocating; without `into`, a new object each call (as ECMA-419 asks). Returns undefined before
   * the first conversion, when there is nothing to report (`into` says not-ready).
   */
  sample(into: TMP117Sample = new TMP117Sample()): TMP117Sample | undefined {
    this.checkOpen();
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

  /** Decodes the oldest queued alert into `into`; false when none is queued. */
  nextAlert(into: TMP117Sample): boolean {
    this.checkOpen();
    const ring = this.#ring;
    const at = ring.peek();
    if (at < 0) return false;
    const record = this.#record;
    for (let i = 0; i < RECORD_BYTES; i++) record[i] = ring.bytes[at + i] ?? 0;
    ring.release(at);
    this.#decodeRecord(into);
    return true;
  }

  get pendingAlerts(): number {
    return this.#ring.count;
  }

  /** The interrupt path: read into preallocated bytes, queue, count; decoding waits for nextAlert(). */
  #alerted(): void {
    this.counters.interrupts++;
    this.#readRecord();
    const at = this.#ring.claim(RECORD_BYTES);
    if (at < 0) {
      this.counters.dropped++;
      this.fault(SampleStatus.dropped, TMP117_REGISTERS.temperature, undefined);
      return;
    }
    this.#ring.bytes.set(this.#record, at);
    this.#ring.commit(RECORD_BYTES);
    this.#onAlert?.(this);
  }

  #readRecord(): void {
    const record = this.#record;
    try {
      const result = this.io.readUint16(TMP117_REGISTERS.temperature, true);
      const config = this.io.readUint16(TMP117_REGISTERS.configuration, true);
      record[0] = SampleStatus.ok;
      record[1] = result >> 8;
      record[2] = result & 0xff;
      record[3] = config >> 8;
      record[4] = config & 0xff;
    } catch (error: unknown) {
      record[0] = statusOf(error);
      this.fault(record[0] ?? SampleStatus.bus, TMP117_REGISTERS.temperature, error);
    }
  }

  #decodeRecord(into: TMP117Sample): void {
    const record = this.#record;
    const status = record[0] ?? SampleStatus.bus;
    this.#decode(status, ((record[1] ?? 0) << 8) | (record[2] ?? 0), ((record[3] ?? 0) << 8) | (record[4] ?? 0), into);
  }

  /** Fills `into` from a status and, when it is ok, the result and configuration words. */
  #decode(status: number, result: number, config: number, into: TMP117Sample): void {
    this.counters.attempts++;
    into.status = status;
    into.valid = false;
    into.temperature = Number.NaN;
    const highAlert = status === SampleStatus.ok && (config & HIGH_ALERT) !== 0;
    const lowAlert = status === SampleStatus.ok && (config & LOW_ALERT) !== 0;
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

  protected override closeExtras(): void {
    this.#alert?.close();
    this.#alert = undefined;
  }
}

export default TMP117;
