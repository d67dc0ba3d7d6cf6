/**
 * The gateway's sensors: each driver, its sampling timer, the windows of its readings, and the accounting that every
 * sample produced is either delivered to a window or dropped with a counted reason.
 */
import { SAMPLE_STATUS_NAMES, SampleStatus, type DriverCounters } from "../../drivers/common/errors.js";
import { ascii } from "../../net/ascii.js";
import { ReadingWindow } from "./window.js";

/** One reading of a sensor (e.g. the SHT3x's temperatureC), with its JSON key and window. */
export class Reading {
  readonly key: Uint8Array;
  readonly window = new ReadingWindow();
  constructor(readonly name: string) {
    this.key = ascii(name);
  }
}

/** A sensor as the gateway sees it: a name, readings, a sampling step, and its accounting. */
export abstract class GatewaySensor {
  readonly nameBytes: Uint8Array;
  /** Samples produced (attempts), delivered to windows, and dropped by SampleStatus. */
  produced = 0;
  delivered = 0;
  readonly dropped = new Uint32Array(SAMPLE_STATUS_NAMES.length);
  periodMs: number;
  /** When a reading was last delivered (or sampling started): a sensor silent for long is reported stalled. */
  lastDeliveredMs = 0;
  /** The health reason while stalled, made once. */
  readonly stalledReason: string;

  constructor(readonly name: string, readonly readings: readonly Reading[], periodMs: number) {
    this.nameBytes = ascii(name);
    this.stalledReason = `${name}: no sample delivered for three periods`;
    this.periodMs = periodMs;
  }

  /** True when nothing was delivered for three periods (and at least 3 s): a fault that did not clear, or a dead chip. */
  stalled(nowMs: number): boolean {
    return nowMs - this.lastDeliveredMs > Math.max(3 * this.periodMs, 3000);
  }

  /** Takes one sample (or drains queued ones); each must end in deliver() or drop(). */
  abstract step(nowMs: number): void;
  abstract get counters(): DriverCounters;
  abstract close(): void;

  protected deliver(reading: Reading, value: number, nowMs: number): void {
    reading.window.add(value, nowMs);
    this.lastDeliveredMs = nowMs;
  }

  protected account(status: number): void {
    this.produced++;
    if (status === SampleStatus.ok) this.delivered++;
    else this.dropped[status] = (this.dropped[status] ?? 0) + 1;
  }

  get droppedTotal(): number {
    let total = 0;
    for (let i = 0; i < this.dropped.length; i++) total += this.dropped[i] ?? 0;
    return total;
  }
}
