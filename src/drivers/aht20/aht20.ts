/**
 * AHT20 humidity and temperature sensor (Aosong AHT20 datasheet V1.1,
 * http://www.aosong.com/userfiles/files/media/Data%20Sheet%20AHT20.pdf), in the ECMA-419 Sensor Class Pattern. A
 * measurement takes 80 ms and the chip does not stretch the clock for it: trigger() starts one and says how long to
 * wait, sample() reads it (not-ready while the busy bit is set) and checks its CRC. sample(into) allocates nothing.
 *
 * Beside Moddable's AHT10 driver, which shares the trigger 0xAC 0x33 0x00 and the conversions: the AHT20 datasheet
 * initialises with 0xBE (the AHT10 with 0xE1), asks for 80 ms (the AHT10 75 ms) and sends a CRC after the data (the
 * AHT10 none). Compared on the simulated AHT20 (tests/support/moddable-drivers.ts).
 */
import { SampleStatus } from "../common/errors.js";
import { sensirionCrc8Frame } from "../common/crc8.js";
import { Hygrometer, Thermometer } from "../common/readings.js";
import { checkSensorOptions, I2CSensor, statusOf, type ChipSpec, type SensorOptions } from "../common/sensor.js";

/** Commands (§5.4–5.5) and the status bits of Table 10. */
export const AHT20_COMMANDS = Object.freeze({
  status: 0x71, initialise: Object.freeze([0xbe, 0x08, 0x00]), trigger: Object.freeze([0xac, 0x33, 0x00]), softReset: 0xba,
  busy: 0x80, calibrated: 0x08,
  /** §5.4 step 3: wait 80 ms for the measurement to complete. */
  measureMs: 80,
});
/** Its one address (§5.3); I2C up to 400 kHz (§5.3). (The gateway's sensor types read it.) */
export const AHT20_SPEC: ChipSpec = Object.freeze({ chip: "AHT20", addresses: Object.freeze([0x38]), maxHz: 400_000, options: Object.freeze([]) });
const FULL_SCALE = 1 << 20;
/** Operating range (§1 Table 1–2): −40…85 °C; 0–100 %RH. */
const MIN_C = -40;
const MAX_C = 85;

/**
 * A sample in the ECMA-419 compound shape `{thermometer: {temperature}, hygrometer: {humidity}}` (°C, %RH), with
 * `status` and `valid` alongside: valid with both values, or invalid with NaN values and the reason in `status`.
 */
export class AHT20Sample {
  status: number = SampleStatus.notReady;
  valid = false;
  readonly thermometer = new Thermometer();
  readonly hygrometer = new Hygrometer();
}

export type AHT20Options = SensorOptions;

export class AHT20 extends I2CSensor {
  readonly #command = new Uint8Array(3);
  /** Its first byte, for one-byte commands: a view made once. */
  readonly #single = new Uint8Array(this.#command.buffer, 0, 1);
  /** Status, 20-bit humidity, 20-bit temperature, CRC (§5.4 step 4). */
  readonly #frame = new Uint8Array(7);
  #triggered = false;
  /** A trigger() whose write failed: the next sample() reports it. */
  #triggerStatus: number = SampleStatus.ok;
  #cause: unknown = undefined;

  constructor(options: AHT20Options) {
    super(options, AHT20_SPEC, checkSensorOptions(AHT20_SPEC, options));
    this.#start();
  }

  /**
   * The AHT20 has no ID register: it answers with its status byte (so another chip at 0x38 that answers a read is not
   * told apart). Without the calibration bit it is initialised with
   * 0xBE 0x08 0x00 (§5.4 step 1), which takes 10 ms — less than the first measurement's wait.
   */
  #start(): void {
    let status = 0;
    try {
      this.#send(AHT20_COMMANDS.status, -1, -1);
      this.io.read(this.#frame.subarray(0, 1));
      status = this.#frame[0] ?? 0;
      if ((status & AHT20_COMMANDS.calibrated) === 0) this.#send(0xbe, 0x08, 0x00);
    } catch (error: unknown) {
      this.refuse("no-answer", AHT20_COMMANDS.status, `no AHT20 answered at 0x38: check wiring (its address is fixed) ` +
        `(${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /** A command of one byte (the others -1) or three. */
  #send(first: number, second: number, third: number): void {
    const command = this.#command;
    command[0] = first;
    if (second < 0) {
      this.io.write(this.#single);
      return;
    }
    command[1] = second;
    command[2] = third;
    this.io.write(command);
  }

  /** Starts a measurement; returns the ms to wait before sample() (80, §5.4). A failed write shows in the next sample(). */
  trigger(): number {
    this.checkOpen();
    try {
      this.#send(0xac, 0x33, 0x00);
      this.#triggered = true;
    } catch (error: unknown) {
      this.#triggerStatus = statusOf(error);
      this.#cause = error;
    }
    return AHT20_COMMANDS.measureMs;
  }

  /**
   * Reads the measurement trigger() started; without one it starts one and says not-ready. Fills `into` in place
   * without allocating; without `into`, a new object each call (as ECMA-419 asks). Returns undefined when there is
   * nothing to report yet (`into` says not-ready: no measurement started, or the chip still busy).
   */
  sample(into: AHT20Sample = new AHT20Sample()): AHT20Sample | undefined {
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
      return into;
    }
    if (into.status === SampleStatus.notReady) return undefined;
    this.fault(into.status, AHT20_COMMANDS.trigger[0] ?? 0xac, this.#cause);
    return into;
  }

  #read(): number {
    this.#cause = undefined;
    const failed = this.#triggerStatus;
    if (failed !== SampleStatus.ok) {
      this.#triggerStatus = SampleStatus.ok;
      return failed;
    }
    if (!this.#triggered) {
      this.trigger();
      return this.#triggerStatus === SampleStatus.ok ? SampleStatus.notReady : this.#read();
    }
    const frame = this.#frame;
    try {
      this.io.read(frame);
    } catch (error: unknown) {
      this.#triggered = false;
      this.#cause = error;
      return statusOf(error);
    }
    if (((frame[0] ?? 0) & AHT20_COMMANDS.busy) !== 0) return SampleStatus.notReady; // still measuring: read again later
    this.#triggered = false;
    return sensirionCrc8Frame(frame, 0, 6) === frame[6] ? SampleStatus.ok : SampleStatus.crc;
  }

  #decode(into: AHT20Sample): void {
    const f = this.#frame;
    const rawHumidity = ((f[1] ?? 0) << 12) | ((f[2] ?? 0) << 4) | ((f[3] ?? 0) >> 4);
    const rawTemperature = (((f[3] ?? 0) & 0x0f) << 16) | ((f[4] ?? 0) << 8) | (f[5] ?? 0);
    const temperature = (rawTemperature / FULL_SCALE) * 200 - 50; // §6.2
    if (temperature < MIN_C || temperature > MAX_C) {
      into.status = SampleStatus.outOfRange;
      return;
    }
    into.thermometer.temperature = temperature;
    into.hygrometer.humidity = (rawHumidity / FULL_SCALE) * 100; // §6.1
  }
}

export default AHT20;
