/**
 * Entry on Moddable's desktop simulator (`mcconfig -m -p lin`), which has sockets but no I2C or digital IO: the
 * sensor gateway samples stillheap's simulated board (default scenario), its virtual clock driven by Moddable's
 * Timer, and serves the HTTP API on the `http` module's Server.
 */
import { HttpService } from "../../src/app/index.js";
import { loadScenario } from "../../simulator/scenario.js";
import { timerApi } from "../../simulator/timer.js";
import config from "mc/config";
import { Timer } from "./engine.js";
import { startBoardGateway } from "./gateway.js";
import { ModdableHttpServer } from "./http-server.js";

const TICK_MS = 10;
const SLOTS = 4;
const sim = loadScenario({});
Timer.repeat(() => sim.clock.advance(TICK_MS), TICK_MS);
const { api } = startBoardGateway(sim.device, timerApi(() => sim.clock), () => sim.clock.now);
const port = Number(config.httpPort ?? 8080);
const server = new ModdableHttpServer(port, SLOTS);
server.listen(new HttpService(api, server, { slots: SLOTS, backlog: SLOTS }));
trace(`stillheap: sensor gateway on a simulated ${sim.board.description}; http://localhost:${port}/v1/readings\n`);
