/** The contract every `stillheap <command>` module fulfils. */
export interface Command {
  /** One line for `stillheap --help`. */
  readonly summary: string;
  /** Full usage text for `stillheap <command> --help`. */
  readonly usage: string;
  /**
   * Runs the command with the arguments after its name; resolves to the process exit code. A command that handles
   * SIGINT/SIGTERM itself installs its handlers, then calls `takeSignals` for those that arrived while it loaded.
   */
  run(args: readonly string[], takeSignals?: TakeSignals): Promise<number>;
  /** True if run() takes the early signals; otherwise they are re-raised once the command is loaded. */
  readonly handlesSignals?: boolean;
}

/** Stops buffering signals at start-up and returns those that arrived (e.g. ["SIGINT"]). */
export type TakeSignals = () => string[];

/** A usage mistake: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Exit codes shared by every command. */
export const ExitCode = Object.freeze({ ok: 0, failed: 1, usage: 2 });
