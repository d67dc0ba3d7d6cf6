/**
 * A sensor channel: one declared sensor as the gateway runs it — its driver once open, the windows of its readings,
 * its settings, and the accounting that every sample is either delivered to a window or dropped with a counted
 * reason. Any type, any number of each: what differs between types is in their tables (catalogue.ts).
 */
import { DriverCounters, SAMPLE_STATUS_NAMES, SampleStatus } from "../../drivers/common/errors.js";
import { ascii } from "../../net/ascii.js";
import type { DeclaredSensor } from "./declaration.js";
import type { OpenedSensor, SampleSink, SensorParts, SensorType } from "./sensor-type.js";
import { ReadingWindow } from "./window.js";

/** One reading of a sensor (e.g. an SHT3x's temperatureC), with its JSON key and window. */
export class Reading {
  readonly key: Uint8Array;
  readonly window = new ReadingWindow();
  constructor(readonly name: string) {
    this.key = ascii(name);
  }
}

/** First retry of a sensor that did not open, and the longest wait between retries. */
export const RETRY_FIRST_MS = 1000;
export const RETRY_MAX_MS = 30_000;

export class SensorChannel implements SampleSink {
  readonly name: string;
  readonly nameBytes: Uint8Array;
  readonly type: SensorType;
  readonly required: boolean;
  readonly readings: readonly Reading[];
  readonly values: Float64Array;
  /** The current settings, in the type's order. */
  readonly settings: Float64Array;
  periodMs: number;
  /** Samples produced (attempts), delivered to windows, and dropped by SampleStatus. */
  produced = 0;
  delivered = 0;
  readonly dropped = new Uint32Array(SAMPLE_STATUS_NAMES.length);
  /** When a reading was last delivered (or sampling started): a sensor silent for long is reported stalled. */
  lastDeliveredMs = 0;
  /** Failed attempts to open the driver, and why the last one failed ("" once open). */
  openFailures = 0;
  openError = "";
  /** The health reason while not open, made at each failed attempt (a fault path). */
  openReason = "";
  /** The wait before the next attempt to open. */
  retryMs = RETRY_FIRST_MS;
  #opened: OpenedSensor | undefined;
  /** What `counters` reports before the driver opens: the gateway's one set of zeros (module state would be mutable). */
  readonly #unopened: DriverCounters;
  #stalledReason: string | undefined = undefined;

  constructor(readonly declared: DeclaredSensor, unopened: DriverCounters) {
    this.#unopened = unopened;
    this.name = declared.name;
    this.nameBytes = ascii(declared.name);
    this.type = declared.type;
    this.required = declared.required;
    this.periodMs = declared.periodMs;
    this.readings = Object.freeze(declared.type.readings.map((name) => new Reading(name)));
    this.values = new Float64Array(this.readings.length);
    this.settings = Float64Array.from(declared.settings);
  }

  /** The health reason while stalled: made the first time it is asked for (a fault path), then kept. */
  get stalledReason(): string {
    // No comparison with a string literal: on a host that parses modules at run time each one allocates.
    let reason = this.#stalledReason;
    if (reason === undefined) reason = this.#stalledReason = `${this.name}: no sample delivered for three periods`;
    return reason;
  }

  get open(): boolean {
    return this.#opened !== undefined;
  }

  get counters(): DriverCounters {
    return this.#opened?.counters ?? this.#unopened;
  }

  /**
   * Opens the driver; false (and the reason in `openError`, the wait before the next try doubled up to
   * RETRY_MAX_MS) when the sensor does not answer. A fault path: the message is made here.
   */
  tryOpen(parts: Omit<SensorParts, "settings" | "bus" | "pins">): boolean {
    const declared = this.declared;
    const bus = declared.bus;
    try {
      this.#opened = this.type.open({ ...parts, settings: this.settings, pins: declared.pins,
        bus: bus === undefined ? undefined : { io: parts.device.io.SMBus, data: bus.data, clock: bus.clock, hz: bus.hz, address: bus.address,
          ...(bus.port === undefined ? {} : { port: bus.port }) } });
    } catch (error: unknown) {
      this.openFailures++;
      this.openError = error instanceof Error ? error.message : String(error);
      if (this.openFailures > 1) this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
      this.openReason = `${this.name}: ${this.required ? "" : "optional, "}not open after ${this.openFailures} ` +
        `attempt${this.openFailures === 1 ? "" : "s"}, next in ${this.retryMs} ms: ${this.openError}`;
      return false;
    }
    this.openError = "";
    this.openReason = "";
    return true;
  }

  /** Takes this period's samples (a channel not yet open takes none). */
  step(nowMs: number): void {
    this.#opened?.step(this, nowMs);
  }

  /** SampleSink: one attempt, delivered to every reading from `values` or dropped by reason. */
  take(status: number, nowMs: number): void {
    this.produced++;
    if (status !== SampleStatus.ok) {
      this.dropped[status] = (this.dropped[status] ?? 0) + 1;
      return;
    }
    this.delivered++;
    const readings = this.readings;
    for (let i = 0; i < readings.length; i++) (readings[i] as Reading).window.add(this.values[i] ?? 0, nowMs);
    this.lastDeliveredMs = nowMs;
  }

  /** SampleSink: samples the driver lost, each produced and dropped. */
  lose(status: number, count: number): void {
    this.produced += count;
    this.dropped[status] = (this.dropped[status] ?? 0) + count;
  }

  /** Changes setting `index`; an open driver takes it now, one opened later at open. */
  configure(index: number, value: number): void {
    this.settings[index] = value;
    this.#opened?.configure(index, value);
  }

  /** True when open but nothing was delivered for three periods (and at least 3 s): a fault that did not clear. */
  stalled(nowMs: number): boolean {
    return this.#opened !== undefined && nowMs - this.lastDeliveredMs > Math.max(3 * this.periodMs, 3000);
  }

  /** Up: open and delivering. */
  up(nowMs: number): boolean {
    return this.#opened !== undefined && !this.stalled(nowMs);
  }

  get droppedTotal(): number {
    let total = 0;
    for (let i = 0; i < this.dropped.length; i++) total += this.dropped[i] ?? 0;
    return total;
  }

  close(): void {
    this.#opened?.close();
    this.#opened = undefined;
  }
}
