/**
 * What Moddable's IO tests (tests/modules/io/{digital,digitalBank,i2c}) expect around them, on the simulator: the
 * `device` global, `$TESTMC` (its `config` and `timeout`), `$DONE` and `$DO` as Moddable's runner defines them
 * (tools/testmc/main.js), and the wiring of Moddable's test rig — each output pin looped back to the input below it.
 * Engine-neutral: the Node runner (tests/node/moddable-io.test.ts) uses it; nothing here reads files.
 */
import { pico } from "../../boards/index.js";
import { Simulation } from "../../simulator/simulation.js";

/**
 * `$TESTMC.config` as Moddable's testmc manifest gives it for esp32 (tools/testmc/manifest.json): pins in pairs, input
 * then output (the tests assume output = input + 1), an I2C address and one nothing answers at, pins a board lacks.
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

export { describeError };
