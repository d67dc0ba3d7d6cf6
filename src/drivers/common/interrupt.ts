/**
 * A sensor's interrupt or alert line as an ECMA-419 Digital input: the IO's ISR only flags the edge, and `handler`
 * runs later on the JS thread with the driver as its argument (reached through the Digital's `target`, so nothing is
 * bound per edge). LIS3DH, TMP117, TMP102 and MPU6050 open theirs here.
 */
import type { Digital, DigitalConstructor } from "../../io/index.js";

/** `{io: device.io.Digital, pin}`: the line as a driver option gives it. */
export interface InterruptLine {
  readonly io: DigitalConstructor;
  readonly pin: number;
}

/**
 * "rising" for a push-pull, active-high output (LIS3DH INT1); "falling" for an open-drain, active-low one (TMP117 and
 * TMP102 ALERT, MPU6050 INT as configured), which needs the pull-up it is opened with.
 */
export type LineEdge = "rising" | "falling";

export function openInterruptLine<T>(line: InterruptLine, edge: LineEdge, target: T, handler: (target: T) => void): Digital {
  const Digital = line.io;
  const falling = edge === "falling";
  return new Digital({
    pin: line.pin, mode: falling ? Digital.InputPullUp : Digital.Input, edge: falling ? Digital.Falling : Digital.Rising,
    target, onReadable: function (this: Digital) {
      handler(this.target as T);
    },
  });
}
