/** Scenario and declaration files as the commands read them (sim, fleet, emu). */
import { readFileSync } from "node:fs";
import { DeclarationError, type DeclaredSensor } from "../../src/app/gateway/declaration.js";
import { loadScenario, ScenarioError } from "../../simulator/scenario.js";
import type { Simulation } from "../../simulator/simulation.js";
import { declaredSensors } from "../../hosts/sim/gateway.js";
import { UsageError } from "./command.js";

export interface SimulatedBoard {
  readonly sim: Simulation;
  readonly sensors: readonly DeclaredSensor[];
}

export function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error: unknown) {
    throw new UsageError(`cannot read the ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error: unknown) {
    throw new UsageError(`${file}: $: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The simulated board of a scenario file and the declaration checked against it: the scenario's `sensors`, or those
 * of `sensorsFile` (--sensors). Every problem is a UsageError (exit 2) naming the file and the JSON path.
 */
export function simulatedBoard(scenarioFile: string, sensorsFile: string | undefined, boardName?: string): SimulatedBoard {
  const scenario = readJson(scenarioFile, "scenario");
  let sim: Simulation;
  try {
    sim = loadScenario(boardName === undefined ? scenario : { ...(scenario as object), board: boardName });
  } catch (error: unknown) {
    if (error instanceof ScenarioError) throw new UsageError(`${scenarioFile}: ${error.message}`);
    throw error;
  }
  const file = sensorsFile ?? scenarioFile;
  const declared = sensorsFile === undefined ? (scenario as { sensors?: unknown }).sensors : readJson(sensorsFile, "sensor declaration");
  // A declaration file holds the array, or an object with it under "sensors" (a scenario file works as one).
  const list = declared !== null && typeof declared === "object" && !Array.isArray(declared) ? (declared as { sensors?: unknown }).sensors : declared;
  const path = sensorsFile === undefined || list !== declared ? "$.sensors" : "$";
  try {
    return { sim, sensors: declaredSensors(sim, list, path) };
  } catch (error: unknown) {
    if (error instanceof DeclarationError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}

