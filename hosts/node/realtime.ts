/** Drives a simulator's virtual clock from the wall clock, for `npm start`: the same clock tests advance by hand. */
import type { VirtualClock } from "../../simulator/clock.js";

export interface RealTimeDriver {
  stop(): void;
}

/** Advances `clock` by the wall time that passed, every `tickMs`, scaled by `speed` (1 = real time). */
export function driveInRealTime(clock: VirtualClock, tickMs = 10, speed = 1): RealTimeDriver {
  let last = performance.now();
  const interval = setInterval(() => {
    const now = performance.now();
    clock.advance((now - last) * speed);
    last = now;
  }, tickMs);
  return { stop: () => clearInterval(interval) };
}
