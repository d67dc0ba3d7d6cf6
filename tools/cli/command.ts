/** The contract every `stillheap <command>` module fulfils. */
export interface Command {
  /** One line for `stillheap --help`. */
  readonly summary: string;
  /** Full usage text for `stillheap <command> --help`. */
  readonly usage: string;
  /** Runs the command with the arguments after its name; resolves to the process exit code. */
  run(args: readonly string[]): Promise<number>;
}

/** A usage mistake: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Exit codes shared by every command. */
export const ExitCode = Object.freeze({ ok: 0, failed: 1, usage: 2 });
