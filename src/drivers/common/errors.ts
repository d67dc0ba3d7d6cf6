/** Driver errors: typed and thrown at setup; runtime faults are statuses, counted, never silent. */

export type SensorErrorCode = "wrong-chip" | "no-answer" | "closed" | "bad-option";

/** A setup or lifecycle failure: which chip, at which address and register, and what to do about it. */
export class SensorError extends Error {
  override name = "SensorError";
  constructor(
    readonly code: SensorErrorCode,
    readonly address: number,
    readonly register: number,
    message: string,
  ) {
    super(message);
  }
}

/** Why a sample is invalid (numeric, so the hot path compares numbers, not strings). */
export const SampleStatus = Object.freeze({
  ok: 0,
  /** The device did not acknowledge (absent, busy, or a NACK mid-transfer). */
  nack: 1,
  /** A CRC check failed: the bytes were corrupted on the bus. */
  crc: 2,
  /** The bus did not complete in time (stuck bus, clock stretching past the timeout). */
  timeout: 3,
  /** The value is outside what the sensor can measure. */
  outOfRange: 4,
  /** No new data yet (e.g. a measurement still running). */
  notReady: 5,
  /** Any other bus error from the IO implementation. */
  bus: 6,
  /** A ring or queue was full: the sample was dropped. */
  dropped: 7,
  /**
   * The transaction failed by NACK or timeout, and the IO does not say which: Moddable's ECMA-419 I2C throws
   * Error("read failed" / "write failed") for both (modules/io/i2c/<platform>/_i2c.c).
   */
  nackOrTimeout: 8,
});

export const SAMPLE_STATUS_NAMES = Object.freeze(["ok", "nack", "crc", "timeout", "out-of-range", "not-ready", "bus", "dropped",
  "nack-or-timeout"]);

/** A runtime fault as onError receives it: one reused record per driver, filled in place. */
export class SensorFault {
  status = 0;
  address = 0;
  register = -1;
  /** The error the IO threw, when there was one. */
  cause: unknown = undefined;
}

/** Per-driver counters of what happened to every sample attempt. */
export class DriverCounters {
  attempts = 0;
  valid = 0;
  /** Faults by SampleStatus. */
  readonly faults = new Uint32Array(SAMPLE_STATUS_NAMES.length);
  /** Interrupt-path records dropped because the ring was full. */
  dropped = 0;
  interrupts = 0;

  get invalid(): number {
    return this.attempts - this.valid;
  }
}
