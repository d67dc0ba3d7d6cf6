/** The gateway's MQTT telemetry against the in-process fake broker, on the simulated Pico, in virtual time. */
import { GatewayTelemetry, RESPONSE_BYTES_WITH_MQTT, type TelemetryOptions } from "../../src/app/index.js";
import { timerApi } from "../../simulator/timer.js";
import { FakeBroker } from "../net/mqtt-fake-broker.js";
import { startGateway, type Harness } from "./gateway-harness.js";

export interface TelemetryHarness {
  harness: Harness;
  broker: FakeBroker;
  mqtt: GatewayTelemetry;
  /** Lines the telemetry logged. */
  log: string[];
}

export interface TelemetrySetup {
  qos?: number;
  queueLength?: number;
  apiToken?: string;
  scenario?: Readonly<Record<string, unknown>>;
  /** More telemetry options (discovery, presence, keep-alive…). */
  options?: Partial<TelemetryOptions>;
  /** Leave the connection to the test (the broker's CONNACK code, say). */
  noConnect?: boolean;
}

/** A gateway publishing as `pico-1` on stillheap/pico-1, connected to a fake broker that answers by itself. */
export function telemetry(setup: TelemetrySetup = {}): TelemetryHarness {
  const harness = startGateway({ service: { responseBytes: RESPONSE_BYTES_WITH_MQTT },
    ...(setup.apiToken === undefined ? {} : { apiToken: setup.apiToken }), ...(setup.scenario === undefined ? {} : { scenario: setup.scenario }) });
  const broker = new FakeBroker();
  const log: string[] = [];
  const mqtt = new GatewayTelemetry(harness.api, broker, timerApi(() => harness.sim.clock), {
    clientId: "pico-1", prefix: "stillheap/pico-1", readingsPeriodMs: 1000, healthPeriodMs: 5000, qos: setup.qos ?? 1,
    log: (line) => log.push(line), ...(setup.queueLength === undefined ? {} : { queueLength: setup.queueLength }), ...setup.options,
  });
  broker.client = mqtt.client;
  harness.metrics.add(mqtt);
  harness.documents.addHealthReasons(mqtt);
  mqtt.start();
  if (setup.noConnect !== true) connectAfter(harness, broker, mqtt, 100);
  return { harness, broker, mqtt, log };
}

/** Advances `ms` (a poll period: the first poll opens the connection) and lets the host report it open. */
export function connectAfter(harness: Harness, broker: FakeBroker, mqtt: GatewayTelemetry, ms: number): void {
  harness.sim.clock.advance(ms);
  broker.nowMs = harness.sim.clock.now;
  mqtt.client.connected(harness.sim.clock.now);
}

/** Advances virtual time 100 ms at a time, reconnecting whenever the client opens a connection. */
export function run(h: TelemetryHarness, ms: number): void {
  for (let t = 0; t < ms; t += 100) {
    const opens = h.broker.opens;
    h.harness.sim.clock.advance(100);
    h.broker.nowMs = h.harness.sim.clock.now;
    if (h.broker.opens > opens) h.mqtt.client.connected(h.harness.sim.clock.now);
  }
}
