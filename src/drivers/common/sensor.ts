/**
 * What every I2C sensor driver shares: the Sensor Class Pattern's options, opening the bus, lifecycle (idempotent
 * close, use after close), and turning a failed transaction into a counted status for onError — called on a later
 * turn, never inside the public method that met the fault (ECMA-419 §8).
 */
import {
  I2CError, type Digital, type I2COptions, type SMBus, type SMBusConstructor, type TimerApi, type TimerHandle,
} from "../../io/types.js";
import { DriverCounters, SampleStatus, SensorError, SensorFault } from "./errors.js";
import { openInterruptLine, type InterruptLine, type LineEdge } from "./interrupt.js";
import { OptionCheck } from "./options.js";

/** `sensor` of the Sensor Class Pattern: `{...device.I2C.default, io: device.io.SMBus, address?}`. */
export interface SensorBusOptions extends Partial<I2COptions> {
  readonly io: SMBusConstructor;
  readonly data: number;
  readonly clock: number;
}

export interface SensorOptions {
  readonly sensor: SensorBusOptions;
  /**
   * Called on a later turn after a runtime fault, with a record the driver reuses (copy what you keep): the latest
   * fault, once however many came before it ran (`counters.faults` counts each).
   */
  readonly onError?: (fault: SensorFault) => void;
  /** Kept as the instance's `target` (ECMA-419 §8), for callbacks to reach their owner. */
  readonly target?: unknown;
  /**
   * The `timer` module: onError runs from one timer made here, rescheduled for each fault (no allocation). Without it,
   * onError runs in a microtask, which allocates a promise per fault.
   */
  readonly timer?: TimerApi;
}

/** What a chip accepts on its bus, from its datasheet. */
export interface ChipSpec {
  readonly chip: string;
  /** The addresses its address pins select; the first is the default. */
  readonly addresses: readonly number[];
  /** The fastest I2C clock it supports, in Hz. */
  readonly maxHz: number;
  /** The constructor's top-level options (beyond `sensor` and `onError`). */
  readonly options: readonly string[];
}

/** Checks `sensor`, `onError` and `timer`; lists the top-level options the chip does not take in `check.ignored`. */
export function checkSensorOptions(spec: ChipSpec, options: SensorOptions): OptionCheck {
  const check = new OptionCheck(spec.chip);
  check.keys("", options, ["sensor", "onError", "target", "timer", ...spec.options]);
  const sensor = check.keys("sensor", options.sensor, Object.keys(options.sensor ?? {}));
  if (typeof sensor.io !== "function") check.refuse("sensor.io", sensor.io, "an SMBus constructor (device.io.SMBus)");
  check.whole("sensor.data", sensor.data, 0, 255);
  check.whole("sensor.clock", sensor.clock, 0, 255);
  if (sensor.port !== undefined) check.whole("sensor.port", sensor.port, 0, 15);
  if (sensor.address !== undefined) check.oneOf("sensor.address", sensor.address, spec.addresses);
  if (sensor.hz !== undefined) check.whole("sensor.hz", sensor.hz, 1, spec.maxHz);
  check.callback("onError", options.onError);
  check.timer("timer", options.timer);
  return check;
}

/**
 * Classifies what an IO threw. stillheap's IO (simulator, RP2040 host) throws I2CError with the exact cause;
 * Moddable's throws a plain Error whose message names the failed step, the same for a NACK and a timeout.
 */
export function statusOf(error: unknown): number {
  if (error instanceof I2CError) {
    if (error.code === "timeout") return SampleStatus.timeout;
    if (error.code === "nack-address" || error.code === "nack-data") return SampleStatus.nack;
    return SampleStatus.bus;
  }
  if (error instanceof Error && isFailedTransfer(error.message)) return SampleStatus.nackOrTimeout;
  return SampleStatus.bus;
}

/** Moddable's I2C messages for a transfer the target did not complete ("activate failed" is the bus itself). */
function isFailedTransfer(message: string): boolean {
  return message === "read failed" || message === "write failed" || message === "writeRead failed";
}

/** Long enough that the idle onError timer never fires on its own; a fault reschedules it to fire at once. */
const IDLE_MS = 24 * 3600 * 1000;

export abstract class I2CSensor {
  readonly counters = new DriverCounters();
  readonly address: number;
  readonly target: unknown;
  /** Options the constructor and configure() were given but do not recognise (ignored, as ECMA-419 §8 says). */
  readonly ignoredOptions: string[];
  protected readonly io: SMBus;
  readonly #fault = new SensorFault();
  readonly #onError: ((fault: SensorFault) => void) | undefined;
  readonly #timer: TimerApi | undefined;
  readonly #errorTimer: TimerHandle | undefined;
  #errorPending = false;
  /** Interrupt lines opened with openLine(), closed with the driver. */
  readonly #lines: Digital[] = [];
  #closed = false;

  readonly chip: string;

  /**
   * Subclasses check their own options (checkSensorOptions first) before calling this, and pass that check: what it
   * ignored becomes `ignoredOptions`. This opens the bus.
   */
  constructor(options: SensorOptions, spec: ChipSpec, check?: OptionCheck) {
    const sensor = options.sensor;
    this.chip = spec.chip;
    this.address = sensor.address ?? spec.addresses[0] ?? 0;
    this.target = options.target;
    this.ignoredOptions = check?.ignored ?? [];
    this.#onError = options.onError;
    this.#timer = options.onError === undefined ? undefined : options.timer;
    this.io = new sensor.io({ hz: 400_000, ...sensor, address: this.address });
    this.#errorTimer = this.#timer?.repeat(this.#deliverError, IDLE_MS);
  }

  /** A check for configure(): what it ignores joins `ignoredOptions`. */
  protected optionCheck(): OptionCheck {
    return new OptionCheck(this.chip, this.ignoredOptions);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Throws the lifecycle error every public method starts with. */
  protected checkOpen(): void {
    if (this.#closed) throw new SensorError("closed", this.address, -1, `${this.chip} used after close(): create a new instance`);
  }

  /** Records a runtime fault: counts it and has onError told on a later turn. Returns the status, for the sample. */
  protected fault(status: number, register: number, cause: unknown): number {
    this.counters.faults[status] = (this.counters.faults[status] ?? 0) + 1;
    const fault = this.#fault;
    fault.status = status;
    fault.address = this.address;
    fault.register = register;
    fault.cause = cause;
    if (this.#onError === undefined || this.#errorPending) return status;
    this.#errorPending = true;
    if (this.#timer !== undefined && this.#errorTimer !== undefined) this.#timer.schedule(this.#errorTimer, 0, IDLE_MS);
    else void Promise.resolve().then(this.#deliverError);
    return status;
  }

  /** Later turn: the latest fault to onError, unless closed since. */
  readonly #deliverError = (): void => {
    if (!this.#errorPending) return;
    this.#errorPending = false;
    if (!this.#closed) this.#onError?.(this.#fault);
  };

  /** A setup check that failed: close what was opened, then throw. */
  protected refuse(code: "wrong-chip" | "no-answer", register: number, message: string): never {
    this.close();
    throw new SensorError(code, this.address, register, message);
  }

  /**
   * Opens an interrupt line whose edges call `handler(this)` on the JS thread; closed by close(). If the line does
   * not open (a pin in use, a bad pin), the driver closes what it opened and the IO's error is thrown.
   */
  protected openLine(line: InterruptLine, edge: LineEdge, handler: (sensor: this) => void): Digital {
    let opened: Digital;
    try {
      opened = openInterruptLine(line, edge, this, handler);
    } catch (error: unknown) {
      this.close();
      throw error;
    }
    this.#lines.push(opened);
    return opened;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#timer?.clear(this.#errorTimer);
    this.closeExtras();
    for (const line of this.#lines) line.close();
    this.#lines.length = 0;
    this.io.close();
  }

  /** Subclasses put their chip to sleep or stop its acquisition here; lines and the bus close after. */
  protected closeExtras(): void {}
}
