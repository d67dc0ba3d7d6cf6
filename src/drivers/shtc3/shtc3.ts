/**
 * SHTC3 humidity and temperature sensor (Sensirion SHTC3 datasheet, version 4,
 * https://sensirion.com/media/documents/643F9C8E/63A5A436/Datasheet_SHTC3.pdf), in the ECMA-419 Sensor Class Pattern:
 * normal or low-power measurements (Table 9), read with clock stretching (sample() blocks the bus up to 12.1 ms) or
 * by polling (trigger(), wait what it says, sample()); optionally asleep between measurements (§5.2: 0.3 µA instead
 * of 45 µA idle, Table 3), which needs the timer module for the 240 µs wake-up. Every word is CRC-checked (§5.10).
 */
import type { TimerApi } from "../../io/index.js";
import { SampleStatus } from "../common/errors.js";
import { sensirionCrc8 } from "../common/crc8.js";
import { OptionCheck } from "../common/options.js";
import { Hygrometer, Thermometer } from "../common/readings.js";
import { checkSensorOptions, I2CSensor, statusOf, type ChipSpec, type SensorOptions } from "../common/sensor.js";

/** Commands (Table 9, §5.2, §5.7, §5.9): the measurements read temperature first. */
export const SHTC3_COMMANDS = Object.freeze({
  wake: 0x3517, sleep: 0xb098, softReset: 0x805d, readId: 0xefc8,
  /** [normal, low power] with clock stretching, and without. */
  stretch: Object.freeze([0x7ca2, 0x6458]), poll: Object.freeze([0x7866, 0x609c]),
  /** Maximum measurement time, whole ms (12.1 and 0.8 ms, Table 5). */
  measureMs: Object.freeze([13, 1]),
  /** The wake-up's 240 µs (tPU, Table 5) as the timer's delay takes it. */
  wakeMs: 1,
});
/** Bits 11 and 5:0 of the ID register say SHTC3 (§5.9). */
const ID_MASK = 0x083f;
const ID_CODE = 0x0807;
/** Its one address (§5.1); I2C up to 1 MHz (Table 6). (The gateway's sensor types read it.) */
export const SHTC3_SPEC: ChipSpec = Object.freeze({ chip: "SHTC3", addresses: Object.freeze([0x70]), maxHz: 1_000_000, options: Object.freeze(["config", "timer"]) });
/** Specified range (Table 1–2): −40…125 °C. */
const MIN_C = -40;
const MAX_C = 125;
/** Bits an ID read (address, two command bytes) costs; waking takes 240 µs of them at most. */
const ID_READ_BITS = 27;
const WAKE_S = 240e-6;

export interface SHTC3Config {
  /** Low-power measurements: 0.8 ms instead of 12.1 ms, with more noise (Table 1). */
  readonly lowPower?: boolean;
  /** Stretch the clock until the measurement is done (default), or poll: trigger(), then sample(). */
  readonly clockStretching?: boolean;
  /** Sleep between measurements (needs the timer option for the wake-up). */
  readonly sleep?: boolean;
}

/** A sample in the ECMA-419 compound shape `{thermometer: {temperature}, hygrometer: {humidity}}` (°C, %RH). */
export class SHTC3Sample {
  status: number = SampleStatus.notReady;
  valid = false;
  readonly thermometer = new Thermometer();
  readonly hygrometer = new Hygrometer();
}

export type SHTC3Options = SensorOptions & {
  readonly config?: SHTC3Config;
  /** The timer module (`import Timer from "timer"`): its delay() waits out the wake-up when sleeping. */
  readonly timer?: Pick<TimerApi, "delay">;
};

function checkConfig(check: OptionCheck, option: string, value: unknown, timer: boolean): SHTC3Config {
  const config = check.keys(option, value, ["lowPower", "clockStretching", "sleep"]);
  if (config.lowPower !== undefined) check.boolean(`${option}.lowPower`, config.lowPower);
  if (config.clockStretching !== undefined) check.boolean(`${option}.clockStretching`, config.clockStretching);
  if (config.sleep !== undefined) check.boolean(`${option}.sleep`, config.sleep);
  if (config.sleep === true && !timer) check.refuse(`${option}.sleep`, true, "false without the timer option, which waits out the 240 µs wake-up");
  return config as SHTC3Config;
}

export class SHTC3 extends I2CSensor {
  readonly #command = new Uint8Array(2);
  readonly #frame = new Uint8Array(6);
  readonly #timer: Pick<TimerApi, "delay"> | undefined;
  #lowPower = 0;
  #stretch = true;
  #sleep = false;
  #triggered = false;
  #status: number = SampleStatus.ok;
  #cause: unknown = undefined;

  constructor(options: SHTC3Options) {
    const check = checkSensorOptions(SHTC3_SPEC, options);
    if (options.timer !== undefined && typeof options.timer?.delay !== "function") check.refuse("timer", options.timer, "the timer module (Timer with delay)");
    if (options.config !== undefined) checkConfig(check, "config", options.config, options.timer !== undefined);
    super(options, SHTC3_SPEC, check);
    this.#timer = options.timer;
    this.#checkChip(options.sensor.hz ?? 400_000);
    if (options.config !== undefined) this.configure(options.config);
  }

  /**
   * Wakes the chip (a previous run may have left it asleep) and reads its ID, again while it is still waking: no more
   * tries than 240 µs of ID reads at this bus speed. Setup only: the refused reads allocate their errors.
   */
  #checkChip(hz: number): void {
    let failure: unknown = this.#tryCommand(SHTC3_COMMANDS.wake);
    const tries = 1 + Math.ceil((WAKE_S * hz) / ID_READ_BITS);
    for (let i = 0; i < tries; i++) {
      failure = this.#tryReadId();
      if (failure === undefined) return this.#checkId();
    }
    this.refuse("no-answer", SHTC3_COMMANDS.readId, `no SHTC3 answered at 0x70: check wiring (its address is fixed) ` +
      `(${failure instanceof Error ? failure.message : String(failure)})`);
  }

  /** Setup: the error the command failed with, or undefined. */
  #tryCommand(command: number): unknown {
    try {
      this.#send(command);
      return undefined;
    } catch (error: unknown) {
      return error;
    }
  }

  #tryReadId(): unknown {
    try {
      this.#send(SHTC3_COMMANDS.readId);
      this.io.read(this.#frame.subarray(0, 3));
      return undefined;
    } catch (error: unknown) {
      return error;
    }
  }

  #checkId(): void {
    const f = this.#frame;
    const id = ((f[0] ?? 0) << 8) | (f[1] ?? 0);
    if (sensirionCrc8(f, 0) !== f[2] || (id & ID_MASK) !== ID_CODE) {
      this.refuse("wrong-chip", SHTC3_COMMANDS.readId, `the device at 0x70 answers ID 0x${id.toString(16)}, which is not an ` +
        "SHTC3's (bits 11 and 5:0 read 1 and 000111, with a valid CRC)");
    }
  }

  #send(command: number): void {
    this.io.write(this.#set(command));
  }

  /** The command's bytes, for a write made by the caller itself: a helper less between sample() and the bus. */
  #set(command: number): Uint8Array {
    const bytes = this.#command;
    bytes[0] = command >> 8;
    bytes[1] = command & 0xff;
    return bytes;
  }

  /** Changes only the options given; each is checked first, and nothing is sent unless all are allowed. */
  configure(options: SHTC3Config): void {
    this.checkOpen();
    const config = checkConfig(this.optionCheck(), "configure", options, this.#timer !== undefined);
    if (config.lowPower !== undefined) this.#lowPower = config.lowPower ? 1 : 0;
    if (config.clockStretching !== undefined) this.#stretch = config.clockStretching;
    if (config.sleep !== undefined && config.sleep !== this.#sleep) {
      this.#sleep = config.sleep;
      this.#send(this.#sleep ? SHTC3_COMMANDS.sleep : SHTC3_COMMANDS.wake);
      if (!this.#sleep) this.#timer?.delay(SHTC3_COMMANDS.wakeMs);
    }
    this.#triggered = false;
  }

  /** Starts a measurement (waking the chip first when it sleeps); returns the ms to wait before sample(). */
  trigger(): number {
    this.checkOpen();
    this.#start();
    return SHTC3_COMMANDS.measureMs[this.#lowPower] ?? 13;
  }

  #start(): void {
    try {
      if (this.#sleep) {
        this.io.write(this.#set(SHTC3_COMMANDS.wake));
        this.#timer?.delay(SHTC3_COMMANDS.wakeMs);
      }
      this.io.write(this.#set((this.#stretch ? SHTC3_COMMANDS.stretch : SHTC3_COMMANDS.poll)[this.#lowPower] ?? 0x7ca2));
      this.#triggered = true;
    } catch (error: unknown) {
      this.#status = statusOf(error);
      this.#cause = error;
    }
  }

  /**
   * Reads a measurement: the one trigger() started, or else, with clock stretching, one it starts and waits for
   * (polling without a trigger starts one and says not-ready). Fills `into` in place without allocating; without
   * `into`, a new object each call. Returns undefined when there is nothing to report yet (`into` says not-ready).
   */
  sample(into: SHTC3Sample = new SHTC3Sample()): SHTC3Sample | undefined {
    this.checkOpen();
    this.counters.attempts++;
    into.valid = false;
    into.thermometer.temperature = Number.NaN;
    into.hygrometer.humidity = Number.NaN;
    // Calls to the bus are made from here or one helper down: with the simulated bus and chip below them, these
    // are the driver's deepest paths, and the Pico's XS stack is 512 slots
    let status: number = SampleStatus.ok;
    if (!this.#triggered && this.#status === SampleStatus.ok) {
      this.#start();
      if (!this.#stretch && this.#status === SampleStatus.ok) status = SampleStatus.notReady; // polled: read it later
    }
    if (status === SampleStatus.ok) status = this.#prepare();
    if (status === SampleStatus.ok) {
      try {
        this.io.read(this.#frame);
      } catch (error: unknown) {
        status = this.#readFailed(error);
      }
    }
    if (status === SampleStatus.ok) status = this.#finish();
    into.status = status;
    if (status === SampleStatus.ok) this.#decode(into);
    if (into.status === SampleStatus.ok) {
      into.valid = true;
      this.counters.valid++;
      return into;
    }
    if (into.status === SampleStatus.notReady) return undefined;
    this.fault(into.status, SHTC3_COMMANDS.stretch[this.#lowPower] ?? 0x7ca2, this.#cause);
    return into;
  }

  /** Ok to read: a measurement is under way; else why starting it failed. */
  #prepare(): number {
    this.#cause = undefined;
    const failed = this.#status;
    if (failed === SampleStatus.ok) return SampleStatus.ok;
    this.#status = SampleStatus.ok;
    this.#triggered = false;
    return failed;
  }

  #readFailed(error: unknown): number {
    const status = statusOf(error);
    if (status === SampleStatus.nack && !this.#stretch) return SampleStatus.notReady; // not done: NACK until it is
    this.#triggered = false;
    this.#cause = error;
    return status;
  }

  /** The measurement was read: back to sleep when sleeping, and the words' CRCs. */
  #finish(): number {
    this.#triggered = false;
    if (this.#sleep) this.#sleepAgain();
    const f = this.#frame;
    return sensirionCrc8(f, 0) === f[2] && sensirionCrc8(f, 3) === f[5] ? SampleStatus.ok : SampleStatus.crc;
  }

  /** Back to sleep after a measurement; a failure is counted, and the chip merely stays awake. */
  #sleepAgain(): void {
    try {
      this.io.write(this.#set(SHTC3_COMMANDS.sleep));
    } catch (error: unknown) {
      this.fault(statusOf(error), SHTC3_COMMANDS.sleep, error);
    }
  }

  #decode(into: SHTC3Sample): void {
    const f = this.#frame;
    // §5.11: T = −45 + 175 · S_T / 2^16, RH = 100 · S_RH / 2^16
    const temperature = -45 + (175 * (((f[0] ?? 0) << 8) | (f[1] ?? 0))) / 65536;
    if (temperature < MIN_C || temperature > MAX_C) {
      into.status = SampleStatus.outOfRange;
      return;
    }
    into.thermometer.temperature = temperature;
    into.hygrometer.humidity = (100 * (((f[3] ?? 0) << 8) | (f[4] ?? 0))) / 65536;
  }

  /** Closing puts the chip to sleep (0.3 µA), as Moddable's driver does; a new driver wakes it. */
  protected override closeExtras(): void {
    try {
      this.#send(SHTC3_COMMANDS.sleep);
    } catch (error: unknown) {
      this.fault(statusOf(error), SHTC3_COMMANDS.sleep, error); // closing anyway; the fault is counted
    }
  }
}

export default SHTC3;
