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

/** modules/network/http: the Server side (messages as in its callback; `this` is the connection's request). */
declare module "http" {
  export interface ServerRequest {
    close(): void;
  }
  export interface ServerResponse {
    readonly status?: number;
    readonly headers?: readonly string[];
    readonly body?: string | ArrayBuffer | boolean;
  }
  export class Server {
    constructor(options: { port?: number });
    callback: (this: ServerRequest, message: number, value?: unknown, etc?: unknown) => unknown;
    close(connections?: boolean): void;
  }
}

/** The manifest's "config" block (`mcconfig … key=value` overrides it). */
declare module "mc/config" {
  const config: { readonly apiToken?: string; readonly httpPort?: number | string };
  export default config;
}
