/**
 * TMP102 digital temperature sensor (TI SBOS397, https://www.ti.com/lit/ds/symlink/tmp102.pdf), in the ECMA-419
 * Sensor Class Pattern: 12-bit or extended 13-bit results (§7.5.3.3), continuous at 0.25–8 Hz or one-shot in shutdown
 * (trigger(), then sample(); §7.5.3.1–7.5.3.2), and the ALERT pin as an interrupt in comparator or interrupt mode
 * (§7.5.3.5): the handler reads the result and configuration into a record ring (drops counted) and nextAlert()
 * decodes later, on the main loop. sample(into) allocates nothing.
 */
import { RecordRing } from "../../mem/record-ring.js";
import { SampleStatus } from "../common/errors.js";
import type { InterruptLine } from "../common/interrupt.js";
import { OptionCheck } from "../common/options.js";
import { checkSensorOptions, I2CSensor, statusOf, type ChipSpec, type SensorOptions } from "../common/sensor.js";

/** Pointer register values (§7.5.1, Table 7). */
export const TMP102_REGISTERS = Object.freeze({ temperature: 0x00, configuration: 0x01, lowLimit: 0x02, highLimit: 0x03 });
/** Configuration register fields (§7.5.3, Table 10). */
export const TMP102_CONFIG = Object.freeze({
  /** OS: write 1 in shutdown to start a conversion; reads 1 once it is done (§7.5.3.2). */
  oneShot: 0x8000,
  /** R1 R0: read-only, 11 (12-bit resolution). */
  resolution: 0x6000,
  /** F1 F0: 1, 2, 4 or 6 consecutive faults (§7.5.3.6). */
  faultQueue: 0x1800,
  /** POL: 1 for an active-high ALERT (§7.5.3.8). */
  polarity: 0x0400,
  /** TM: 1 interrupt mode, 0 comparator mode (§7.5.3.5). */
  interruptMode: 0x0200,
  /** SD: shutdown (§7.5.3.1). */
  shutdown: 0x0100,
  /** CR1 CR0: 0.25, 1, 4 or 8 Hz (§7.5.3.4). */
  conversionRate: 0x00c0,
  /** AL: read-only comparator status, 0 while active with POL = 0 (§7.5.3.7). */
  alert: 0x0020,
  /** EM: extended 13-bit mode (§7.5.3.3). */
  extended: 0x0010,
});
const C = TMP102_CONFIG;
/** 0.0625 °C per LSB (§7.5.2). */
const LSB_C = 0.0625;
/** Conversion time: 26 ms typical, 35 ms maximum (§6.5). */
const CONVERSION_MS = 35;
const RATES_HZ = Object.freeze([0.25, 1, 4, 8] as const);
const FAULT_QUEUE = Object.freeze([1, 2, 4, 6] as const);
/** A queued alert: status, result word, configuration word. */
const RECORD_BYTES = 5;
const DEFAULT_ALERTS = 32;
/** Specified range (§1): −55…150 °C; the 12-bit format ends at 127.9375 °C, so beyond it needs extended mode. */
const MIN_C = -55;
const MAX_C = 150;
const MAX_12_BIT_C = 127.9375;
/** ADD0 to GND, V+, SDA or SCL (Table 4); I2C up to 3.4 MHz (§7.5.2). (The gateway's sensor types read it.) */
export const TMP102_SPEC: ChipSpec = Object.freeze({
  chip: "TMP102", addresses: Object.freeze([0x48, 0x49, 0x4a, 0x4b]), maxHz: 3_400_000,
  options: Object.freeze(["alert", "onAlert", "ring", "config"]),
});

export interface TMP102Config {
  readonly highLimitC?: number;
  readonly lowLimitC?: number;
  readonly conversionRateHz?: 0.25 | 1 | 4 | 8;
  /** 13-bit results up to 150 °C (and limits in the same format). */
  readonly extended?: boolean;
  /** "shutdown": no conversion until trigger() (or sample()) starts a one-shot. */
  readonly mode?: "continuous" | "shutdown";
  /** "comparator": ALERT while above the high limit until below the low one; "interrupt": a pulse per crossing, until read. */
  readonly alertMode?: "comparator" | "interrupt";
  readonly faultQueue?: 1 | 2 | 4 | 6;
}

/**
 * A sample in the ECMA-419 Temperature shape `{temperature, alert}` (°C; `alert` true while the comparator is active,
 * from the AL bit), with `status` and `valid` alongside.
 */
export class TMP102Sample {
  status: number = SampleStatus.notReady;
  valid = false;
  temperature = Number.NaN;
  alert = false;
}

export interface TMP102Options extends SensorOptions {
  /** The ALERT line: `{io: device.io.Digital, pin}` (open drain, active low). */
  readonly alert?: InterruptLine;
  readonly onAlert?: (sensor: TMP102) => void;
  /** Where alert records go (5 bytes each); by default a ring of its own for 32 alerts. */
  readonly ring?: RecordRing;
  readonly config?: TMP102Config;
}

function checkConfig(check: OptionCheck, option: string, value: unknown, extended: boolean): TMP102Config {
  const config = check.keys(option, value, ["highLimitC", "lowLimitC", "conversionRateHz", "extended", "mode", "alertMode", "faultQueue"]);
  if (config.extended !== undefined) check.boolean(`${option}.extended`, config.extended);
  const max = (config.extended ?? extended) === true ? MAX_C : MAX_12_BIT_C;
  if (config.highLimitC !== undefined) check.number(`${option}.highLimitC`, config.highLimitC, MIN_C, max, "°C");
  if (config.lowLimitC !== undefined) check.number(`${option}.lowLimitC`, config.lowLimitC, MIN_C, max, "°C");
  if (typeof config.highLimitC === "number" && typeof config.lowLimitC === "number" && config.lowLimitC > config.highLimitC) {
    check.refuse(`${option}.lowLimitC`, config.lowLimitC, `at most highLimitC (${config.highLimitC})`);
  }
  if (config.conversionRateHz !== undefined) check.oneOf(`${option}.conversionRateHz`, config.conversionRateHz, RATES_HZ);
  if (config.mode !== undefined) check.oneOf(`${option}.mode`, config.mode, ["continuous", "shutdown"]);
  if (config.alertMode !== undefined) check.oneOf(`${option}.alertMode`, config.alertMode, ["comparator", "interrupt"]);
  if (config.faultQueue !== undefined) check.oneOf(`${option}.faultQueue`, config.faultQueue, FAULT_QUEUE);
  return config as TMP102Config;
}

function checkOptions(options: TMP102Options): OptionCheck {
  const check = checkSensorOptions(TMP102_SPEC, options);
  check.pin("alert", options.alert);
  check.callback("onAlert", options.onAlert);
  check.ring("ring", options.ring, RECORD_BYTES);
  if (options.config !== undefined) checkConfig(check, "config", options.config, false);
  return check;
}

/** A limit in °C as the register holds it: 12-bit or 13-bit, left-justified (§7.5.4). */
function limitWord(celsius: number, extended: boolean): number {
  const raw = Math.round(celsius / LSB_C);
  return (extended ? raw << 3 : raw << 4) & 0xffff;
}

export class TMP102 extends I2CSensor {
  readonly #spare = new Uint8Array(RECORD_BYTES);
  readonly #ring: RecordRing;
  readonly #onAlert: ((sensor: TMP102) => void) | undefined;
  /** What the driver last wrote: power-up 0x60A0 (4 Hz, comparator, one fault, active low). */
  #config = 0x60a0;
  #highLimitC = 80;
  #lowLimitC = 75;
  #oneShot = false;
  #triggerStatus: number = SampleStatus.ok;

  constructor(options: TMP102Options) {
    super(options, TMP102_SPEC, checkOptions(options));
    let config = 0;
    try {
      config = this.io.readUint16(TMP102_REGISTERS.configuration, true);
    } catch (error: unknown) {
      this.refuse("no-answer", TMP102_REGISTERS.configuration, `no TMP102 answered at 0x${this.address.toString(16)}: check ` +
        `wiring and the ADD0 address (0x48–0x4B) (${error instanceof Error ? error.message : String(error)})`);
    }
    // The TMP102 has no ID register: its read-only resolution bits read 11 and bits 3:0 read 0 (Table 10).
    if ((config & (C.resolution | 0x000f)) !== C.resolution) {
      this.refuse("wrong-chip", TMP102_REGISTERS.configuration, `the device at 0x${this.address.toString(16)} has ` +
        `configuration 0x${config.toString(16)}, which a TMP102 cannot have (R1 R0 read 11, bits 3:0 read 0)`);
    }
    // From the power-up configuration, whatever a previous run left: the options given decide, nothing else
    this.#ring = options.ring ?? new RecordRing(DEFAULT_ALERTS, RECORD_BYTES);
    this.#onAlert = options.onAlert;
    this.configure(options.config ?? {});
    if (options.alert !== undefined) this.openLine(options.alert, "falling", (sensor) => sensor.#alerted());
  }

  /** Changes only the options given; each is checked first, and nothing is written unless all are allowed. */
  configure(options: TMP102Config): void {
    this.checkOpen();
    const config = checkConfig(this.optionCheck(), "configure", options, (this.#config & C.extended) !== 0);
    let c = this.#config;
    if (config.extended !== undefined) c = (c & ~C.extended) | (config.extended ? C.extended : 0);
    if (config.conversionRateHz !== undefined) c = (c & ~C.conversionRate) | (RATES_HZ.indexOf(config.conversionRateHz) << 6);
    if (config.mode !== undefined) c = (c & ~C.shutdown) | (config.mode === "shutdown" ? C.shutdown : 0);
    if (config.alertMode !== undefined) c = (c & ~C.interruptMode) | (config.alertMode === "interrupt" ? C.interruptMode : 0);
    if (config.faultQueue !== undefined) c = (c & ~C.faultQueue) | (FAULT_QUEUE.indexOf(config.faultQueue) << 11);
    this.#config = c & ~C.polarity; // ALERT active low, with the line's pull-up
    this.#oneShot = false;
    const extended = (c & C.extended) !== 0;
    if (config.highLimitC !== undefined) this.#highLimitC = config.highLimitC;
    if (config.lowLimitC !== undefined) this.#lowLimitC = config.lowLimitC;
    this.io.writeUint16(TMP102_REGISTERS.configuration, this.#config, true);
    // The limits' format follows EM, so they are written after it, every time (§7.5.4)
    this.io.writeUint16(TMP102_REGISTERS.highLimit, limitWord(this.#highLimitC, extended), true);
    this.io.writeUint16(TMP102_REGISTERS.lowLimit, limitWord(this.#lowLimitC, extended), true);
  }

  get #shutdown(): boolean {
    return (this.#config & C.shutdown) !== 0;
  }

  /**
   * Shutdown mode: starts a one-shot conversion and returns the ms it takes at most (35, §6.5); sample() after that
   * reads it. In continuous mode there is nothing to start: 0. A failed write shows in the next sample().
   */
  trigger(): number {
    this.checkOpen();
    if (!this.#shutdown) return 0;
    try {
      this.io.writeUint16(TMP102_REGISTERS.configuration, this.#config | C.oneShot, true);
      this.#oneShot = true;
    } catch (error: unknown) {
      this.#triggerStatus = this.fault(statusOf(error), TMP102_REGISTERS.configuration, error);
    }
    return CONVERSION_MS;
  }

  /**
   * Reads the latest result and the AL bit. Fills `into` in place without allocating; without `into`, a new object
   * each call (as ECMA-419 asks). In shutdown mode it reads a finished one-shot, and otherwise starts one and returns
   * undefined (`into` says not-ready), so a shutdown TMP102 never reports an old reading.
   */
  sample(into: TMP102Sample = new TMP102Sample()): TMP102Sample | undefined {
    this.checkOpen();
    if (this.#triggerStatus !== SampleStatus.ok) {
      this.#decode(this.#triggerStatus, 0, 0, into);
      this.#triggerStatus = SampleStatus.ok;
      return into;
    }
    if (this.#shutdown && !this.#oneShot) {
      this.trigger();
      if (this.#triggerStatus !== SampleStatus.ok) return this.sample(into);
      this.#decode(SampleStatus.notReady, 0, 0, into);
      return undefined;
    }
    let config = 0;
    let result = 0;
    try {
      config = this.io.readUint16(TMP102_REGISTERS.configuration, true);
      if (!this.#shutdown || (config & C.oneShot) !== 0) result = this.io.readUint16(TMP102_REGISTERS.temperature, true);
    } catch (error: unknown) {
      this.#decode(this.fault(statusOf(error), TMP102_REGISTERS.temperature, error), 0, 0, into);
      return into;
    }
    if (this.#shutdown && (config & C.oneShot) === 0) { // OS reads 0 while the one-shot converts
      this.#decode(SampleStatus.notReady, 0, 0, into);
      return undefined;
    }
    this.#oneShot = false;
    this.#decode(SampleStatus.ok, result, config, into);
    return into;
  }

  /** Decodes the oldest queued alert into `into`; false when none is queued. */
  nextAlert(into: TMP102Sample): boolean {
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

  /** The interrupt path: read into a ring slot (reading also clears an interrupt-mode ALERT), count. */
  #alerted(): void {
    this.counters.interrupts++;
    const ring = this.#ring;
    const at = ring.claim();
    if (at < 0) {
      this.#readRecord(this.#spare, 0);
      this.counters.dropped++;
      this.fault(SampleStatus.dropped, TMP102_REGISTERS.temperature, undefined);
      return;
    }
    this.#readRecord(ring.bytes, at);
    ring.commit();
    this.#onAlert?.(this);
  }

  #readRecord(record: Uint8Array, at: number): void {
    try {
      const result = this.io.readUint16(TMP102_REGISTERS.temperature, true);
      const config = this.io.readUint16(TMP102_REGISTERS.configuration, true);
      record[at] = SampleStatus.ok;
      record[at + 1] = result >> 8;
      record[at + 2] = result & 0xff;
      record[at + 3] = config >> 8;
      record[at + 4] = config & 0xff;
    } catch (error: unknown) {
      record[at] = this.fault(statusOf(error), TMP102_REGISTERS.temperature, error);
    }
  }

  #decode(status: number, result: number, config: number, into: TMP102Sample): void {
    this.counters.attempts++;
    into.status = status;
    into.valid = false;
    into.temperature = Number.NaN;
    into.alert = status === SampleStatus.ok && (config & C.alert) === 0; // POL = 0: AL reads 0 while active
    if (status !== SampleStatus.ok) return;
    // Bit 0 says which format the result is in: 1 for extended 13-bit (§7.5.3.3)
    const extended = (result & 1) !== 0;
    const signed = (result << 16) >> 16;
    const raw = extended ? signed >> 3 : signed >> 4;
    const limit = extended ? 4095 : 2047;
    const temperature = raw * LSB_C;
    // Beyond the specified range, or pinned at the format's end (the true value lies beyond it): not a temperature.
    if (temperature < MIN_C || temperature > MAX_C || raw >= limit || raw <= -limit - 1) {
      into.status = this.fault(SampleStatus.outOfRange, TMP102_REGISTERS.temperature, undefined);
      return;
    }
    into.temperature = temperature;
    into.valid = true;
    this.counters.valid++;
  }
}

export default TMP102;
