/**
 * `main` on Moddable's desktop simulator (`mcconfig -m -p lin`, run in mcsim), which has sockets but no I2C or
 * digital IO: the composition root of the gateway on stillheap's simulated board, whose virtual clock Moddable's
 * Timer drives, with the HTTP API on ECMA-419 sockets and, with `mqttHost=…` or `mqttPort=…`, MQTT telemetry (mqtt.ts).
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
import { RESPONSE_BYTES_WITH_MQTT } from "stillheap/src/app/gateway/telemetry";
import { ConnectionCounters, ConnectionService } from "stillheap/src/net/connections";
import type { Clock } from "stillheap/src/services/time";
import { WorkQueue } from "stillheap/src/services/work-queue";
import { defaultScenario } from "stillheap/simulator/default-scenario";
import { loadScenario, ScenarioError } from "stillheap/simulator/scenario";
import type { Simulation } from "stillheap/simulator/simulation";
import { timerApi } from "stillheap/simulator/timer";
import { installModdableEngine } from "stillheap/hosts/moddable/engine";
import { apiToken, declaredSensors, traceUnopened } from "stillheap/hosts/moddable/gateway";
import { EVICT_AFTER_MS, ModdableHttpServer } from "stillheap/hosts/moddable/http-server";
import { startMemoryProbe } from "stillheap/hosts/moddable/memory-probe";
import { mqttConfigured, startMqtt } from "stillheap/hosts/moddable/mqtt";
import { PreferenceSlots } from "stillheap/hosts/moddable/preference-slots";
import { composeSettings, settingsDomain } from "stillheap/hosts/moddable/settings";
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
  const mqtt = mqttConfigured();
  const port = Number(config.httpPort ?? 8080);
  const server = new ModdableHttpServer({ port, slots: SLOTS, nowMs: clock.nowMs });
  const service = new ConnectionService(api, server, { clock, counters: connections, queue, slots: SLOTS, evictAfterMs: EVICT_AFTER_MS,
    ...(mqtt ? { responseBytes: RESPONSE_BYTES_WITH_MQTT } : {}) });
  gateway.start();
  traceUnopened(gateway);
  server.listen(service);
  trace(`stillheap: sensor gateway on a simulated ${sim.board.description}; http://localhost:${port}/v1/readings\n`);
  startMemoryProbe(config.probePort);
  if (mqtt) startMqtt({ api, metrics, timer, nowMs: clock.nowMs, model: `simulated ${sim.board.description}`, queueLength: 16,
    discoveryByDefault: true, defaultClientId: "stillheap-mcsim" });
}

// From a timer, not the module body: the body runs under the module loader's frames, where building the gateway
// overflowed the 384-slot stack mcconfig gives lin (and esp32) by default.
Timer.set(main, 0);
