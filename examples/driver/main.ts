/**
 * The example on a Moddable build: `STILLHEAP=<stillheap's folder> mcconfig -d -m -p lin` in this folder, run in
 * mcsim. The same sources as on Node, imported by the same specifiers (`stillheap/app`, `stillheap/simulator`): the
 * MCP9808 type declared beside stillheap's own in a gateway on a simulated board, on virtual time, its reading traced.
 */
import { Gateway, boardFacts, readDeclaration, SENSOR_TYPES } from "stillheap/app";
import { deviceModels, loadScenario, timerApi } from "stillheap/simulator";
import { mcp9808Model } from "./mcp9808-model.js";
import { mcp9808Type } from "./mcp9808-type.js";

const sim = loadScenario({ board: "pico", devices: [{ type: "mcp9808", address: 0x1a, temperatureC: 24.5 }] }, "pico",
  deviceModels(mcp9808Model));
const sensors = readDeclaration([{ name: "greenhouse", type: "mcp9808", address: 0x1a, periodMs: 500 }],
  boardFacts(sim.device, sim.board.gpioCount), [...SENSOR_TYPES, mcp9808Type]);
const gateway = new Gateway({ device: sim.device, timer: timerApi(() => sim.clock), clock: { nowMs: () => sim.clock.now }, sensors });
gateway.start();
sim.clock.advance(5000);
const channel = gateway.channels[0];
const latest = channel?.readings[0]?.window.latest ?? Number.NaN;
trace(`greenhouse: open ${String(channel?.open)}, delivered ${channel?.delivered ?? 0}, temperatureC ${latest}\n`);
gateway.stop();
