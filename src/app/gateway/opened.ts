/**
 * The shapes most drivers take in the gateway, for a SensorType's open(): sampled once a period (Polled), triggered
 * and read when the measurement is done (Triggered), sampled with alerts queued between periods (Alerting), or frames
 * queued by interrupt or a FIFO and drained each period (Framed). Each says which fields of its driver's sample feed
 * which readings, and accounts for every attempt: delivered, or dropped with its status.
 */
import type { DriverCounters } from "../../drivers/common/errors.js";
import { SampleStatus } from "../../drivers/common/errors.js";
import type { TimerApi, TimerHandle } from "../../io/index.js";
import type { OpenedSensor, SampleSink } from "./sensor-type.js";

/** A driver's result in the drivers' shape: a status, and valid when it is ok. */
export interface Sampled {
  readonly status: number;
  readonly valid: boolean;
}

export interface PolledDriver<S> {
  sample(into: S): unknown;
  readonly counters: DriverCounters;
  close(): void;
}

/** Reads one reading's value out of a sample. */
export type Field<S> = (sample: S) => number;
/** Applies setting number `index` (in the type's `settings` order) to the driver. */
export type Configure<D> = (driver: D, index: number, value: number) => void;

const ignoreSettings = (): void => {};

/** Fills the readings from a valid sample and delivers the attempt. */
function deliver<S extends Sampled>(sample: S, fields: readonly Field<S>[], sink: SampleSink, nowMs: number): void {
  if (sample.valid) for (let i = 0; i < fields.length; i++) sink.values[i] = (fields[i] as Field<S>)(sample);
  sink.take(sample.status, nowMs); // "not ready" too: every attempt is delivered or dropped with a reason
}

/** A driver sampled once a period: the fields of its sample feed the readings, in order. */
export class Polled<S extends Sampled, D extends PolledDriver<S> = PolledDriver<S>> implements OpenedSensor {
  constructor(readonly driver: D, readonly sample: S, readonly fields: readonly Field<S>[],
    readonly settings: Configure<D> = ignoreSettings) {}

  step(sink: SampleSink, nowMs: number): void {
    this.driver.sample(this.sample); // undefined when not ready; the status in the sample says so either way
    deliver(this.sample, this.fields, sink, nowMs);
  }

  configure(index: number, value: number): void {
    this.settings(this.driver, index, value);
  }

  get counters(): DriverCounters {
    return this.driver.counters;
  }

  close(): void {
    this.driver.close();
  }
}

export interface TriggeredDriver<S> extends PolledDriver<S> {
  /** Starts a measurement; the ms until it can be read (0: read it now). */
  trigger(): number;
}

/** Long enough that the idle timer never fires on its own; each period reschedules it. */
const IDLE_MS = 24 * 3600 * 1000;

/**
 * A driver whose measurement takes time (AHT20, SHTC3 polled): each period triggers one, and a timer made once reads
 * it when trigger() said it would be done, so the JS thread never waits for the chip.
 */
export class Triggered<S extends Sampled, D extends TriggeredDriver<S> = TriggeredDriver<S>> extends Polled<S, D> {
  readonly #timer: TimerApi;
  readonly #handle: TimerHandle;
  #sink: SampleSink | undefined;
  #dueMs = 0;

  constructor(driver: D, sample: S, fields: readonly Field<S>[], timer: TimerApi, settings: Configure<D> = ignoreSettings) {
    super(driver, sample, fields, settings);
    this.#timer = timer;
    this.#handle = timer.repeat(() => this.#read(), IDLE_MS);
  }

  override step(sink: SampleSink, nowMs: number): void {
    if (this.#sink !== undefined) return; // the last measurement is still under way: it is read when done
    const waitMs = this.driver.trigger();
    this.#sink = sink;
    this.#dueMs = nowMs + waitMs;
    if (waitMs <= 0) this.#read();
    else this.#timer.schedule(this.#handle, Math.ceil(waitMs), IDLE_MS);
  }

  #read(): void {
    const sink = this.#sink;
    if (sink === undefined) return;
    this.#sink = undefined;
    this.driver.sample(this.sample);
    deliver(this.sample, this.fields, sink, this.#dueMs);
  }

  override close(): void {
    this.#sink = undefined;
    this.#timer.clear(this.#handle);
    super.close();
  }
}

export interface AlertingDriver<S> extends PolledDriver<S> {
  nextAlert(into: S): boolean;
}

/** A driver sampled on its period whose alerts, queued from its ALERT pin between periods, are delivered too (TMP117, TMP102). */
export class Alerting<S extends Sampled, D extends AlertingDriver<S> = AlertingDriver<S>> extends Polled<S, D> {
  #seenDropped = 0;

  override step(sink: SampleSink, nowMs: number): void {
    const driver = this.driver;
    while (driver.nextAlert(this.sample)) deliver(this.sample, this.fields, sink, nowMs);
    super.step(sink, nowMs);
    const lost = driver.counters.dropped - this.#seenDropped; // alerts read when the ring was full
    this.#seenDropped += lost;
    if (lost > 0) sink.lose(SampleStatus.dropped, lost);
  }
}

export interface FramedDriver<S> extends PolledDriver<S> {
  next(into: S): boolean;
}

/** Faults on the interrupt or FIFO path: each is a frame the chip produced and the driver lost. */
const LOSSES = Object.freeze([SampleStatus.nack, SampleStatus.timeout, SampleStatus.bus, SampleStatus.dropped, SampleStatus.nackOrTimeout]);

/**
 * A driver whose frames arrive by interrupt or a FIFO into its ring (LIS3DH, MPU6050): each period drains them; when
 * it is not `framed`, one sample is read each period instead.
 */
export class Framed<S extends Sampled, D extends FramedDriver<S> = FramedDriver<S>> extends Polled<S, D> {
  /** Driver faults already accounted. */
  readonly #seen = new Uint32Array(LOSSES.length);

  constructor(driver: D, sample: S, fields: readonly Field<S>[], readonly framed: boolean, settings: Configure<D> = ignoreSettings) {
    super(driver, sample, fields, settings);
  }

  override step(sink: SampleSink, nowMs: number): void {
    if (!this.framed) return super.step(sink, nowMs);
    const driver = this.driver;
    while (driver.next(this.sample)) deliver(this.sample, this.fields, sink, nowMs);
    const faults = driver.counters.faults;
    for (let i = 0; i < LOSSES.length; i++) {
      const status = LOSSES[i] ?? SampleStatus.bus;
      const lost = (faults[status] ?? 0) - (this.#seen[i] ?? 0);
      this.#seen[i] = faults[status] ?? 0;
      if (lost > 0) sink.lose(status, lost);
    }
  }
}
