/** The parts of Moddable's runtime modules that hosts/moddable uses (modules/base/timer, instrumentation, debug). */
declare module "timer" {
  import type { TimerApi } from "../../src/io/index.js";
  const Timer: TimerApi;
  export default Timer;
}

declare module "instrumentation" {
  const Instrumentation: {
    /** The counter's index for a name such as "XS Slot Heap Used", or undefined when the build lacks it. */
    map(name: string): number | undefined;
    get(index: number): number | undefined;
  };
  export default Instrumentation;
}

declare module "debug" {
  const Debug: { gc(enable?: boolean): void };
  export default Debug;
}

/** The board provider's `device` global (embedded:provider/builtin). */
declare const device: import("../../src/io/index.js").DeviceProvider;
declare function trace(...text: string[]): void;
