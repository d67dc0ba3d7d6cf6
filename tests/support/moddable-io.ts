/**
 * A runner for Moddable's IO tests (tests/modules/io/{digital,digitalBank,i2c}) on the simulator, and what they expect
 * around them: the `device` global, `$TESTMC` (its `config` and `timeout`), `$DONE` and `$DO` as Moddable's runner
 * defines them (tools/testmc/main.js), test262's harness, and the wiring of Moddable's test rig — each output pin
 * looped back to the input below it. Each file is evaluated as test262 runners do: a script in a function of its own
 * ("use strict" first for onlyStrict), a module imported. Engine-neutral: Node registers the tests with mocha, the XS
 * host with its runner (tests/node/moddable-io.test.ts does both); nothing here reads files.
 */
import { pico } from "../../boards/index.js";
import { Simulation } from "../../simulator/simulation.js";

/**
 * `$TESTMC.config` as Moddable's testmc manifest gives it for pico (tools/testmc/manifest.json; esp32's is the same):
 * pins in pairs, input then output (the tests assume output = input + 1), an I2C address and one nothing answers at,
 * pins a board lacks. Nothing is attached at `address`: the tests that use it make no transaction.
 */
export const TESTMC_CONFIG = Object.freeze({
  digital: Object.freeze([12, 13, 16, 17, 26, 27]),
  i2c: Object.freeze({ hz: 100_000, address: 53, unusedAddress: 99 }),
  invalidPins: Object.freeze([-10, 500]),
});

/** The globals one test sees, and how it ended. */
export interface TestRun {
  readonly sim: Simulation;
  readonly globals: Readonly<Record<string, unknown>>;
  /** undefined until $DONE is called; then null (passed) or the reason it failed. */
  readonly outcome: () => string | null | undefined;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${error.message}`;
  if (error !== null && typeof error === "object" && typeof (error as { message?: unknown }).message === "string") {
    return `${String((error as { constructor?: { name?: unknown } }).constructor?.name ?? "Error")}: ${(error as { message: string }).message}`;
  }
  return String(error);
}

/** A fresh simulated Pico wired as Moddable's rig, and the globals Moddable's runner installs for one test. */
export function testRun(): TestRun {
  const sim = new Simulation(pico);
  const pins = TESTMC_CONFIG.digital;
  for (let i = 0; i + 1 < pins.length; i += 2) sim.pins.jumper(pins[i] ?? 0, pins[i + 1] ?? 0);
  let outcome: string | null | undefined;
  const done = (error?: unknown): void => {
    if (outcome !== undefined) return;
    outcome = error === undefined ? null : describeError(error);
  };
  const testmc = Object.freeze({
    timeout(ms: number, message = "timeout"): void {
      sim.clock.set(() => done(message), ms);
    },
    config: TESTMC_CONFIG,
  });
  const doWrap = (f: (...args: unknown[]) => void) => (...args: unknown[]): void => {
    try {
      f(...args);
      done();
    } catch (error: unknown) {
      done(error);
    }
  };
  return { sim, globals: { device: sim.device, $TESTMC: testmc, $DONE: done, $DO: doWrap }, outcome: () => outcome };
}

/** One test file: its path under tests/modules/io, its text, and how to import it when it is a module. */
export interface ModdableIoTest {
  readonly name: string;
  readonly source: string;
  /** What importModule() takes for this file (a file URL on Node, a path on XS). */
  readonly module: string;
}

/** How the runner reaches the engine: dynamic import, and harness files by name (`includes`). */
export interface ModdableIoHost {
  readonly harness: string;
  readonly includes: Readonly<Record<string, string>>;
  readonly importModule: (module: string) => Promise<unknown>;
}

/** Virtual time an async test may take before it fails (its own timeouts are 100 ms). */
const ASYNC_DEADLINE_MS = 5_000;

/** The test262 front matter's `flags` and `includes` lists (`flags: [async, module]`). */
export function frontMatter(source: string): { readonly flags: readonly string[]; readonly includes: readonly string[] } {
  const start = source.indexOf("/*---");
  const end = source.indexOf("---*/", start);
  const yaml = start < 0 || end < 0 ? "" : source.slice(start + 5, end);
  const list = (key: string): string[] => {
    const line = yaml.split("\n").find((text) => text.trimStart().startsWith(`${key}:`));
    const open = line?.indexOf("[") ?? -1;
    const close = line?.lastIndexOf("]") ?? -1;
    if (line === undefined || open < 0 || close < open) return [];
    return line.slice(open + 1, close).split(",").map((item) => item.trim()).filter((item) => item !== "");
  };
  return { flags: list("flags"), includes: list("includes") };
}

/** Sets the runner's globals for one test and takes them away after, leaving what was there before. */
async function withGlobals<T>(globals: Readonly<Record<string, unknown>>, body: () => Promise<T>): Promise<T> {
  const scope = globalThis as unknown as Record<string, unknown>;
  const names = [...Object.keys(globals), "assert", "Test262Error", "$DONOTEVALUATE"];
  const before = new Map(names.map((name) => [name, Object.getOwnPropertyDescriptor(scope, name)]));
  Object.assign(scope, globals);
  try {
    return await body();
  } finally {
    for (const [name, descriptor] of before) {
      if (descriptor === undefined) Reflect.deleteProperty(scope, name);
      else Object.defineProperty(scope, name, descriptor);
    }
  }
}

/** Runs one file as Moddable's runner would; resolves to null when it passed, else why it failed. */
export async function runModdableIoTest(test: ModdableIoTest, host: ModdableIoHost): Promise<string | null> {
  const { flags, includes } = frontMatter(test.source);
  const missing = includes.filter((name) => host.includes[name] === undefined);
  if (missing.length > 0) return `includes ${missing.join(", ")}, which the harness does not have`;
  const run = testRun();
  return withGlobals(run.globals, async () => {
    try {
      new Function(host.harness)();
      for (const name of includes) new Function(host.includes[name] ?? "")();
      if (flags.includes("module")) await host.importModule(test.module);
      else new Function(`${flags.includes("onlyStrict") ? '"use strict";\n' : ""}${test.source}`)();
      if (!flags.includes("async")) return null;
      for (let ms = 0; ms < ASYNC_DEADLINE_MS && run.outcome() === undefined; ms++) {
        run.sim.clock.advance(1);
        await Promise.resolve();
      }
      const outcome = run.outcome();
      return outcome === undefined ? `$DONE was not called within ${ASYNC_DEADLINE_MS} ms of virtual time` : outcome;
    } catch (error: unknown) {
      return describeError(error);
    }
  });
}

/** Registers one test per file, and a line with how many passed. */
export function describeModdableIoTests(title: string, tests: readonly ModdableIoTest[], host: ModdableIoHost,
  print: (line: string) => void): void {
  describe(title, () => {
    let passed = 0;
    for (const test of tests) {
      it(test.name, async () => {
        const failure = await runModdableIoTest(test, host);
        if (failure !== null) throw new Error(failure);
        passed++;
      });
    }
    after(() => print(`Moddable IO tests: ${passed} of ${tests.length} pass on the simulator`));
  });
}
