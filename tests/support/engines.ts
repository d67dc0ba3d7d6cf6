import { engine, type EngineName } from "../../src/engine/index.js";

/**
 * Skips the running test, with its reason, unless the engine is one of `engines`. Call it first in an `it` body.
 * Test files stay the same on every engine; a test that cannot run somewhere says why there.
 */
export function runOnlyOn(context: Mocha.Context, engines: readonly EngineName[], reason: string): void {
  if (engines.includes(engine().name)) return;
  skipBecause(context, reason);
}

/** Skips the running test and records why, so the runner prints the reason. */
export function skipBecause(context: Mocha.Context, reason: string): never {
  const test = context.test;
  if (test !== undefined) test.title = `${test.title} [skipped on ${engine().name}: ${reason}]`;
  context.skip();
}
