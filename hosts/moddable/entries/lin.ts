/**
 * `main` on Moddable's desktop simulator (`mcconfig -m -p lin`, run in mcsim), which has sockets but no I2C or
 * digital IO: the composition root of the gateway on stillheap's simulated board, whose virtual clock Moddable's
 * Timer drives, with the HTTP API on the `http` module's Server and, with `mqttPort=…`, MQTT telemetry.
 *
 * The simulated board is the manifest's `config.scenario` (a scenario as in simulator/scenarios/), else
 * simulator/scenarios/default.json. The sensors are the manifest's `config.sensors`, else the scenario's `sensors`,
 * else the default declaration.
 * Imports are by specifier: XS resolves a relative import from the module's name, and this module is named `main`.
 */
import { ConfigCounters, GatewayApi } from "stillheap/src/app/gateway/api";
import { DEFAULT_SENSORS } from "stillheap/src/app/gateway/default-sensors";
import { GatewayDocuments } from "stillheap/src/app/gateway/documents";
import { Gateway } from "stillheap/src/app/gateway/gateway";
import { Metrics } from "stillheap/src/app/gateway/metrics";
import { GatewayTelemetry, RESPONSE_BYTES_WITH_MQTT } from "stillheap/src/app/gateway/telemetry";
import { ConnectionCounters, ConnectionService } from "stillheap/src/net/connections";
import type { TimerApi } from "stillheap/src/io/types";
import type { Clock } from "stillheap/src/services/time";
import { WorkQueue } from "stillheap/src/services/work-queue";
import { defaultScenario } from "stillheap/simulator/default-scenario";
import { loadScenario, ScenarioError } from "stillheap/simulator/scenario";
import type { Simulation } from "stillheap/simulator/simulation";
import { timerApi } from "stillheap/simulator/timer";
import { installModdableEngine } from "stillheap/hosts/moddable/engine";
import { apiToken, declaredSensors, traceUnopened } from "stillheap/hosts/moddable/gateway";
import { ModdableHttpServer } from "stillheap/hosts/moddable/http-server";
import { PreferenceSlots } from "stillheap/hosts/moddable/preference-slots";
import { composeSettings, settingsDomain } from "stillheap/hosts/moddable/settings";
import { ModdableMqttTransport } from "stillheap/hosts/moddable/mqtt-transport";
import config from "mc/config";
import Timer from "timer";

const TICK_MS = 10;
const SLOTS = 4;
const WORKERS = 2;
/** The longest settings record a Preference key is given. */
const PREFERENCE_BYTES = 4000;

/** The simulated board, or undefined (traced) when the scenario is refused. */
function simulatedBoard(scenario: unknown): Simulation | undefined {
  try {
    return loadScenario(scenario);
  } catch (error: unknown) {
    if (!(error instanceof ScenarioError)) throw error;
    trace(`stillheap: ${config.scenario === undefined ? "the default scenario" : "config.scenario"} refused, nothing opened: ${error.message}\n`);
    return undefined;
  }
}

/** Where the declaration comes from: the manifest's, the scenario's, or the default one. */
function declaration(scenario: unknown): { readonly value: unknown; readonly path: string } {
  if (config.sensors !== undefined) return { value: config.sensors, path: "config.sensors" };
  const carried = (scenario as { readonly sensors?: unknown }).sensors;
  if (carried !== undefined) return { value: carried, path: config.scenario === undefined ? "defaultScenario.sensors" : "config.scenario.sensors" };
  return { value: DEFAULT_SENSORS, path: "DEFAULT_SENSORS" };
}

function main(): void {
  installModdableEngine();
  const scenario: unknown = config.scenario ?? defaultScenario;
  const sim = simulatedBoard(scenario);
  if (sim === undefined) return;
  const { value, path } = declaration(scenario);
  const sensors = declaredSensors(value, sim.device, sim.board.gpioCount, path);
  if (sensors === undefined) return;
  Timer.repeat(() => sim.clock.advance(TICK_MS), TICK_MS);
  const clock: Clock = { nowMs: () => sim.clock.now };
  const timer = timerApi(() => sim.clock);
  const gateway = new Gateway({ device: sim.device, timer, clock, sensors });
  const documents = new GatewayDocuments(gateway, clock);
  const keeper = composeSettings({ gateway, documents, sensors, timer, clock, store: new PreferenceSlots(settingsDomain(), PREFERENCE_BYTES),
    where: `Preference domain ${settingsDomain()}` });
  const counters = new ConfigCounters();
  const connections = new ConnectionCounters();
  const queue = new WorkQueue(WORKERS, SLOTS);
  const metrics = new Metrics({ gateway, clock, config: counters, connections, queue });
  metrics.add(keeper);
  const api = new GatewayApi({ gateway, documents, metrics, counters, apiToken: apiToken(), settings: keeper });
  const mqtt = config.mqttPort !== undefined;
  const port = Number(config.httpPort ?? 8080);
  const server = new ModdableHttpServer(port, SLOTS);
  const service = new ConnectionService(api, server, { clock, counters: connections, queue, slots: SLOTS,
    ...(mqtt ? { responseBytes: RESPONSE_BYTES_WITH_MQTT } : {}) });
  gateway.start();
  traceUnopened(gateway);
  server.listen(service);
  trace(`stillheap: sensor gateway on a simulated ${sim.board.description}; http://localhost:${port}/v1/readings\n`);
  if (mqtt) publish(api, metrics, timer, () => sim.clock.now);
}

/** With `mcconfig … mqttPort=1883 [mqttHost=… mqttId=…]`, the gateway also publishes to that broker. */
function publish(api: GatewayApi, metrics: Metrics, timer: TimerApi, nowMs: () => number): void {
  const id = String(config.mqttId ?? "stillheap-mcsim");
  const host = String(config.mqttHost ?? "127.0.0.1");
  const transport = new ModdableMqttTransport(host, Number(config.mqttPort), nowMs);
  const telemetry = new GatewayTelemetry(api, transport, timer, { clientId: id, prefix: `stillheap/${id}`,
    willTopic: `stillheap/${id}/status`, willMessage: "offline", keepAliveS: 30, queueLength: 16 });
  transport.client = telemetry.client;
  metrics.add(telemetry);
  telemetry.start();
  trace(`stillheap: publishing to mqtt://${host}:${Number(config.mqttPort)} on stillheap/${id}/…\n`);
}

// From a timer, not the module body: the body runs under the module loader's frames, where building the gateway
// overflowed the 384-slot stack mcconfig gives lin (and esp32) by default.
Timer.set(main, 0);
