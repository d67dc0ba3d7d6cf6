import { readdirSync, readFileSync } from "node:fs";
import { FAULT_KINDS } from "../../simulator/faults.js";
import { DEVICE_TYPES, loadScenario } from "../../simulator/scenario.js";
import * as assert from "../support/assert.js";
import { allFaultsScenario } from "../simulator/all-faults.scenario.js";
import { defaultScenario } from "../../simulator/default-scenario.js";

// Node only: reads the scenario files and the schema from disk.
const root = new URL("../../../simulator/", import.meta.url);
const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), "utf8"));

interface Schema {
  $defs: { fault: { properties: { kind: { enum: string[] } } }; device: { properties: { type: { enum: string[] } } } };
}

describe("scenario files", () => {
  it("load without error", () => {
    for (const file of readdirSync(new URL("scenarios/", root))) {
      if (file.endsWith(".json")) loadScenario(readFileSync(new URL(`scenarios/${file}`, root), "utf8"));
    }
  });

  it("all-faults.json is the scenario the engine-neutral test runs", () => {
    assert.deepEqual(read("scenarios/all-faults.json"), JSON.parse(JSON.stringify(allFaultsScenario)));
  });

  it("default.json is the scenario Moddable's simulator entry loads", () => {
    assert.deepEqual(read("scenarios/default.json"), JSON.parse(JSON.stringify(defaultScenario)));
  });

  it("the schema lists the fault kinds and device types the loader accepts", () => {
    const schema = read("scenario.schema.json") as Schema;
    assert.deepEqual(schema.$defs.fault.properties.kind.enum, [...FAULT_KINDS]);
    assert.deepEqual(schema.$defs.device.properties.type.enum, [...DEVICE_TYPES]);
  });
});
