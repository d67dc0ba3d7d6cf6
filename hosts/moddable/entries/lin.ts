/**
 * `main` on Moddable's desktop simulator (`mcconfig -m -p lin`, run in mcsim), which has sockets but no I2C or
 * digital IO: the sensor gateway samples stillheap's simulated board (simulator/scenarios/default.json), whose virtual clock
 * Moddable's Timer drives, and serves the HTTP API on the `http` module's Server.
 * Imports are by specifier: XS resolves a relative import from the module's name, and this module is named `main`.
 */
import { HttpService } from "stillheap/src/app/gateway/service";
import { GatewayTelemetry } from "stillheap/src/app/gateway/telemetry";
import { ModdableMqttTransport } from "stillheap/hosts/moddable/mqtt-transport";
import { defaultScenario } from "stillheap/simulator/default-scenario";
import { loadScenario } from "stillheap/simulator/scenario";
import { timerApi } from "stillheap/simulator/timer";
import { startBoardGateway } from "stillheap/hosts/moddable/gateway";
import { ModdableHttpServer } from "stillheap/hosts/moddable/http-server";
import config from "mc/config";
import Timer from "timer";

const TICK_MS = 10;
const SLOTS = 4;
const sim = loadScenario(defaultScenario);
Timer.repeat(() => sim.clock.advance(TICK_MS), TICK_MS);
const timer = timerApi(() => sim.clock);
const { api } = startBoardGateway({ device: sim.device, timer, nowMs: () => sim.clock.now });
const port = Number(config.httpPort ?? 8080);
const server = new ModdableHttpServer(port, SLOTS);
server.listen(new HttpService(api, server, { slots: SLOTS, backlog: SLOTS }));
trace(`stillheap: sensor gateway on a simulated ${sim.board.description}; http://localhost:${port}/v1/readings\n`);

// With `mcconfig … mqttPort=1883 [mqttHost=… mqttId=…]`, the gateway also publishes to that broker.
if (config.mqttPort !== undefined) {
  const id = String(config.mqttId ?? "stillheap-mcsim");
  const transport = new ModdableMqttTransport(String(config.mqttHost ?? "127.0.0.1"), Number(config.mqttPort), () => sim.clock.now);
  const telemetry = new GatewayTelemetry(api, transport, timer, { clientId: id, prefix: `stillheap/${id}`,
    willTopic: `stillheap/${id}/status`, willMessage: "offline", keepAliveS: 30, queueLength: 16 });
  transport.client = telemetry.client;
  telemetry.start();
  trace(`stillheap: publishing to mqtt://${String(config.mqttHost ?? "127.0.0.1")}:${Number(config.mqttPort)} on stillheap/${id}/…\n`);
}
