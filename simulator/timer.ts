/**
 * The `timer` module's API (Moddable modules/base/timer) over the simulator's virtual clock, so firmware written as
 * `import Timer from "timer"` runs in the simulator. useClock() binds it to a simulation's clock.
 */
import type { TimerApi, TimerHandle } from "../src/io/index.js";
import { SimTimer, type VirtualClock } from "./clock.js";

export class NoClockError extends Error {
  override name = "NoClockError";
  constructor() {
    super("the simulator's Timer has no clock: create a Simulation (or call useClock) before using timers");
  }
}

let bound: VirtualClock | undefined;

export function useClock(clock: VirtualClock): void {
  bound = clock;
}

function clock(): VirtualClock {
  if (bound === undefined) throw new NoClockError();
  return bound;
}

function asTimer(handle: TimerHandle | undefined): SimTimer | undefined {
  if (handle === undefined) return undefined;
  if (!(handle instanceof SimTimer)) throw new TypeError("not a timer made by Timer.set or Timer.repeat");
  return handle;
}

/** Builds a Timer API over `source` (a fixed clock, or the one useClock() binds). */
export function timerApi(source: () => VirtualClock): TimerApi {
  return Object.freeze({
    set: (callback, milliseconds, repeatMilliseconds) => source().set(callback, milliseconds, repeatMilliseconds),
    repeat: (callback, milliseconds) => source().set(callback, milliseconds, milliseconds),
    schedule(handle, milliseconds, repeatMilliseconds) {
      const timer = asTimer(handle);
      if (timer !== undefined) source().schedule(timer, milliseconds, repeatMilliseconds);
    },
    clear: (handle) => source().clear(asTimer(handle)),
    delay: (milliseconds) => source().busy(milliseconds),
  } satisfies TimerApi);
}

const Timer: TimerApi = timerApi(clock);
export default Timer;
