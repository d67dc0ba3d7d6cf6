/** Typed errors of the memory layer. Thrown only on misuse and at setup, never on a hot path's normal outcomes. */

export type ArenaErrorCode = "sealed" | "overflow" | "duplicate-region" | "bad-size";

export class ArenaError extends Error {
  override name = "ArenaError";
  constructor(
    readonly code: ArenaErrorCode,
    readonly region: string,
    readonly requestedBytes: number,
    readonly availableBytes: number,
    message: string,
  ) {
    super(message);
  }
}

export type RingErrorCode = "too-large" | "no-claim" | "claim-pending" | "commit-exceeds-claim" | "empty" |
  "release-out-of-order" | "bad-size";

export class RingError extends Error {
  override name = "RingError";
  constructor(readonly code: RingErrorCode, message: string) {
    super(message);
  }
}

export type PoolErrorCode = "double-release" | "foreign-buffer" | "bad-size";

export class PoolError extends Error {
  override name = "PoolError";
  constructor(readonly code: PoolErrorCode, message: string) {
    super(message);
  }
}

export type QueueErrorCode = "empty" | "bad-capacity";

export class QueueError extends Error {
  override name = "QueueError";
  constructor(readonly code: QueueErrorCode, message: string) {
    super(message);
  }
}
