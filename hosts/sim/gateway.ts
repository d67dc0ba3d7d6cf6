/**
 * The composition root of the gateway on a simulated board (hosts/sim), for `stillheap sim`, `fleet` and the tests:
 * simulation → declaration → Gateway → documents → metrics (explicit sources) → API → connection service. Engine-
 * neutral (the tests run it on XS too); sockets, panels and MQTT are added by the command that runs it.
 */
import { ConfigCounters, GatewayApi } from "../../src/app/gateway/api.js";
import { SENSOR_TYPES } from "../../src/app/gateway/catalogue.js";
import { boardFacts, readDeclaration, type DeclaredSensor } from "../../src/app/gateway/declaration.js";
import { DEFAULT_SENSORS } from "../../src/app/gateway/default-sensors.js";
import { GatewayDocuments } from "../../src/app/gateway/documents.js";
import { Gateway } from "../../src/app/gateway/gateway.js";
import { Metrics } from "../../src/app/gateway/metrics.js";
import type { SensorType } from "../../src/app/gateway/sensor-type.js";
import { SettingsKeeper } from "../../src/app/gateway/settings.js";
import { RecordSlots, type SlotStore } from "../../src/services/record-slots.js";
import { ConnectionCounters, ConnectionService, type ConnectionServiceOptions, type ResponseSink } from "../../src/net/connections.js";
import type { TimerApi } from "../../src/io/index.js";
import type { Clock } from "../../src/services/time.js";
import { WorkQueue } from "../../src/services/work-queue.js";
import type { Simulation } from "../../simulator/simulation.js";
import { timerApi } from "../../simulator/timer.js";

export interface SimulatedGatewayOptions {
  readonly sim: Simulation;
  /** The validated declaration (declaredSensors). */
  readonly sensors: readonly DeclaredSensor[];
  /** The token GET/POST /v1/config need; empty disables config. */
  readonly apiToken: string;
  /** Where settings are kept (a state file, a simulated flash); without it they last until the process ends. */
  readonly store?: SlotStore;
  /** The least time between two settings writes (default 60 s). */
  readonly settingsIntervalMs?: number;
  /** Where HTTP responses go, and the service's sizing; without it no connection service is made. */
  readonly http?: { readonly sink: ResponseSink } & Omit<ConnectionServiceOptions, "clock" | "counters" | "queue">;
}

export interface SimulatedGateway {
  readonly clock: Clock;
  readonly timer: TimerApi;
  readonly gateway: Gateway;
  readonly documents: GatewayDocuments;
  readonly metrics: Metrics;
  readonly api: GatewayApi;
  readonly connections: ConnectionCounters;
  readonly service: ConnectionService | undefined;
  /** With a store: load() it before gateway.start(), start() it after, stop() it at shutdown. */
  readonly keeper: SettingsKeeper | undefined;
}

/**
 * Checks a declaration against the simulated board (`path` names where it came from, for the error); the default
 * declaration when `value` is undefined.
 */
export function declaredSensors(sim: Simulation, value: unknown, path: string, types: readonly SensorType[] = SENSOR_TYPES): readonly DeclaredSensor[] {
  return readDeclaration(value ?? DEFAULT_SENSORS, boardFacts(sim.device, sim.board.gpioCount), types, value === undefined ? "the default declaration" : path);
}

/** Builds the gateway and its API on `sim`; nothing starts until `gateway.start()`. */
export function composeGateway(options: SimulatedGatewayOptions): SimulatedGateway {
  const { sim } = options;
  const clock: Clock = { nowMs: () => sim.clock.now };
  const timer = timerApi(() => sim.clock);
  const gateway = new Gateway({ device: sim.device, timer, clock, sensors: options.sensors });
  const documents = new GatewayDocuments(gateway, clock);
  const config = new ConfigCounters();
  const connections = new ConnectionCounters();
  const http = options.http;
  const queue = new WorkQueue(http?.concurrency ?? 2, http?.backlog ?? 4);
  const keeper = options.store === undefined ? undefined : new SettingsKeeper({ gateway, documents, slots: new RecordSlots(options.store),
    timer, clock, ...(options.settingsIntervalMs === undefined ? {} : { intervalMs: options.settingsIntervalMs }) });
  const metrics = new Metrics({ gateway, clock, config, connections, queue });
  if (keeper !== undefined) metrics.add(keeper);
  const api = new GatewayApi({ gateway, documents, metrics, counters: config, apiToken: options.apiToken, ...(keeper === undefined ? {} : { settings: keeper }) });
  const service = http === undefined ? undefined : new ConnectionService(api, http.sink, { ...http, clock, counters: connections, queue });
  return { clock, timer, gateway, documents, metrics, api, connections, service, keeper };
}
