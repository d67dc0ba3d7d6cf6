/**
 * `stillheap sim` (npm start): the app in the simulator, its virtual clock driven in real time. Ctrl-C stops it
 * gracefully and exits 0; a second Ctrl-C exits at once.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Heartbeat } from "../../src/app/index.js";
import { loadScenario, ScenarioError } from "../../simulator/scenario.js";
import { timerApi } from "../../simulator/timer.js";
import { installNodeEngine } from "../../hosts/node/engine.js";
import { driveInRealTime } from "../../hosts/node/realtime.js";
import { ExitCode, UsageError, type Command } from "./command.js";
import { projectRoot } from "./paths.js";

interface SimOptions {
  board: string | undefined;
  scenario: string;
  seconds: number | undefined;
}

function parse(args: readonly string[]): SimOptions {
  const options: SimOptions = { board: undefined, scenario: join(projectRoot, "simulator", "scenarios", "default.json"), seconds: undefined };
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) throw new UsageError(`${flag ?? ""} needs a value`);
    if (flag === "--board") options.board = value;
    else if (flag === "--scenario") options.scenario = value;
    else if (flag === "--seconds") {
      options.seconds = Number(value);
      if (!(options.seconds > 0)) throw new UsageError(`--seconds needs a positive number, got "${value}"`);
    } else throw new UsageError(`unknown option ${flag ?? ""}`);
  }
  return options;
}

function readScenario(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error: unknown) {
    throw new UsageError(`cannot read the scenario ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export const command: Command = {
  summary: "run the app in the simulator (npm start)",
  usage: `usage: stillheap sim [--board pico|esp32] [--scenario FILE] [--seconds N]

Runs the app on a simulated board: virtual sensors on I2C, a button, an LED, faults from the scenario
(default simulator/scenarios/default.json; format in simulator/scenario.schema.json).
  --board B      override the scenario's board
  --seconds N    run N virtual seconds as fast as possible, then stop (default: real time until Ctrl-C)
Ctrl-C stops gracefully (exit 0); a second Ctrl-C stops at once (exit 130).
Exit status: 0 ok, 1 failure, 2 usage error or bad scenario.`,
  async run(args) {
    const options = parse(args);
    installNodeEngine();
    let sim;
    try {
      const scenario = JSON.parse(readScenario(options.scenario)) as Record<string, unknown>;
      sim = loadScenario(options.board === undefined ? scenario : { ...scenario, board: options.board });
    } catch (error: unknown) {
      if (error instanceof ScenarioError || error instanceof SyntaxError) throw new UsageError(`${options.scenario}: ${error.message}`);
      throw error;
    }
    const clock = sim.clock;
    const app = new Heartbeat({
      device: sim.device, timer: timerApi(() => clock), nowMs: () => clock.now,
      report: (line) => process.stdout.write(`[${(clock.now / 1000).toFixed(1).padStart(6)} s] ${line}\n`),
    });
    process.stdout.write(`stillheap: app running on a simulated ${sim.board.description}; Ctrl-C stops\n`);
    app.start();
    if (options.seconds !== undefined) {
      clock.advance(options.seconds * 1000);
      app.stop();
      process.stdout.write(`stillheap: stopped after ${options.seconds} virtual seconds\n`);
      return ExitCode.ok;
    }
    return new Promise((done) => {
      const driver = driveInRealTime(clock);
      let stopping = false;
      process.on("SIGINT", () => {
        if (stopping) process.exit(130);
        stopping = true;
        process.stdout.write("\nstillheap: stopping (Ctrl-C again to stop at once)\n");
        driver.stop();
        app.stop();
        done(ExitCode.ok);
      });
    });
  },
};
