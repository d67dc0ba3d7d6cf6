/** Time as services see it: injected, never global, so the simulator's virtual clock and a board's both fit. */
export type { TimerApi, TimerHandle } from "../io/index.js";

export interface Clock {
  /** Monotonic milliseconds. */
  nowMs(): number;
}
