/**
 * The ring and pool against allocate-and-drop under the Pico's budget beside a running gateway, run on the XS host by
 * `stillheap bench mem`: what the memory layer buys inside the firmware it serves, where every collection the naive
 * code causes marks the gateway's live objects too. The gateway runs on the simulated board with the Pico's HTTP sizing
 * and console, as in the fit suite (the simulator's ~23 KB is live beside it; a device has the gateway alone).
 */
import { pico } from "../../boards/pico.js";
import { GatewayConsole } from "../../src/app/gateway/console.js";
import { composeGateway, declaredSensors } from "../../hosts/sim/gateway.js";
import { engine } from "../../src/engine/index.js";
import { MemoryStats } from "../../src/mem/stats.js";
import { loadScenario } from "../../simulator/scenario.js";
import { printSuite, startBench } from "../support/measure.js";
import { memComparisons } from "./comparisons.js";

const run = startBench();
const OPS = 20_000;
const SIZES = [32, 1024] as const;
const memory = new MemoryStats();
/** What the VM holds, slots at the device's 16 bytes. */
const held = (): number => {
  engine().collectGarbage();
  memory.read();
  return memory.chunkBytesUsed + memory.slotsUsed * 16;
};
const atStart = held();
const sim = loadScenario({ board: "pico", devices: [{ type: "sht3x" }, { type: "bmp280" }, { type: "tmp117", alertPin: 16 },
  { type: "lis3dh", int1Pin: 17 }] });
const { gateway, documents } = composeGateway({ sim, sensors: declaredSensors(sim, undefined, ""), apiToken: "" });
const report = new GatewayConsole(gateway, documents, { output: { write: () => undefined }, readingsBytes: pico.http.responseBytes });

// From a job, after the module body has returned, as a device runs from timer callbacks (the fit suite says why).
void Promise.resolve().then(() => {
  gateway.start();
  for (let second = 0; second < 5; second++) {
    sim.clock.advance(1000);
    report.report();
  }
  const beside = held() - atStart;
  const { comparisons, refusals, sink } = memComparisons({ sizes: SIZES, ops: OPS, all: false, ringBytes: 2048, poolBuffers: 2 });
  printSuite({ ...run, engine: engine().name, suite: "mem", context: "beside a running gateway", ops: OPS, sizes: SIZES,
    gatewayAndSimulatorBytes: beside, refusals, comparisons, sink });
});
