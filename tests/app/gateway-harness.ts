/** A gateway on a simulated Pico with every sensor, and a replay host that feeds request bytes and keeps responses. */
import { pico } from "../../boards/index.js";
import { SENSOR_TYPES, type Gateway, type GatewayApi, type GatewayDocuments, type Metrics, type SensorType } from "../../src/app/index.js";
import type { ConnectionCounters, ConnectionService, ConnectionServiceOptions, ResponseSink } from "../../src/net/connections.js";
import { ascii, asText } from "../../src/net/index.js";
import { loadScenario } from "../../simulator/scenario.js";
import type { Simulation } from "../../simulator/simulation.js";
import { timerApi } from "../../simulator/timer.js";
import { composeGateway, declaredSensors } from "../../hosts/sim/gateway.js";

export const TOKEN = "test-token-123";

export const SCENARIO = {
  board: pico.name,
  devices: [
    { type: "sht3x", temperatureC: { kind: "sine", mean: 22, amplitude: 2, periodMs: 60000 }, humidityRH: 45 },
    { type: "bmp280", pressurePa: 101325, temperatureC: 21 },
    { type: "tmp117", temperatureC: 23, alertPin: 16 },
    { type: "lis3dh", zG: 1, int1Pin: 17 },
  ],
};

export class ReplaySink implements ResponseSink {
  readonly last = new Uint8Array(16_384);
  lastLength = 0;
  lastSlot = -1;
  count = 0;
  send(slot: number, bytes: Uint8Array, length: number): void {
    for (let i = 0; i < length; i++) this.last[i] = bytes[i] ?? 0;
    this.lastLength = length;
    this.lastSlot = slot;
    this.count++;
  }
  text(): string {
    return asText(this.last, 0, this.lastLength);
  }
  status(): number {
    return (this.last[9] ?? 48) * 100 + (this.last[10] ?? 48) * 10 + (this.last[11] ?? 48) - 48 * 111;
  }
}

export interface Harness {
  sim: Simulation;
  gateway: Gateway;
  api: GatewayApi;
  documents: GatewayDocuments;
  metrics: Metrics;
  connections: ConnectionCounters;
  service: ConnectionService;
  sink: ReplaySink;
  /** The sink the service sends to: `sink` unless another was given. */
  output: ResponseSink;
  /** Replays one request through a fresh slot and returns the response text. */
  request(text: string): string;
}

export interface HarnessOptions {
  concurrency?: number;
  backlog?: number;
  workMs?: number;
  slots?: number;
  apiToken?: string;
  service?: Omit<ConnectionServiceOptions, "clock">;
  /** The scenario (default SCENARIO, with the default declaration unless it has `sensors`). */
  scenario?: Readonly<Record<string, unknown>>;
  /** The sensor types the declaration may use (default SENSOR_TYPES). */
  types?: readonly SensorType[];
}

export function startGateway(options: HarnessOptions = {}, sink: ResponseSink = new ReplaySink()): Harness {
  const scenario = options.scenario ?? SCENARIO;
  const sim = loadScenario(scenario);
  const work = options.workMs === undefined ? {} : { work: { ms: options.workMs, timer: timerApi(() => sim.clock) } };
  const replay = sink instanceof ReplaySink ? sink : new ReplaySink();
  const { scenario: _scenario, types, service: serviceOptions, apiToken, ...sizing } = options;
  const sensors = declaredSensors(sim, (scenario as { sensors?: unknown }).sensors, "$.sensors", types ?? SENSOR_TYPES);
  const parts = composeGateway({ sim, sensors, apiToken: apiToken ?? TOKEN,
    http: { sink, ...serviceOptions, ...sizing, ...work } });
  const service = parts.service as ConnectionService;
  sim.clock.advance(0); // what the scenario has at time 0 (a device vanished from boot) is in place before start
  parts.gateway.start();
  const request = (text: string): string => {
    const slot = service.open();
    const bytes = ascii(text);
    service.receive(slot, bytes, 0, bytes.length);
    service.sent(slot);
    return replay.text();
  };
  return { sim, gateway: parts.gateway, api: parts.api, documents: parts.documents, metrics: parts.metrics,
    connections: parts.connections, service, sink: replay, output: sink, request };
}
