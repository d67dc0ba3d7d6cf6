/**
 * Does the networked gateway fit an ESP32? Run on the XS host under the board's budget (`stillheap bench fit --board
 * esp32`), composed as the ESP32 entry composes it (hosts/moddable/entries/esp32.ts) with MQTT on: manifest.json's
 * esp32 declaration read against a simulated ESP32, Gateway, documents, metrics, the API, the connection service with
 * the board's HTTP sizing (boards/esp32.ts) and the response buffers MQTT needs (hosts/moddable/sizing.ts), and the
 * MQTT telemetry with the ESP32's outbox (discovery off, the ESP32's default). Ten virtual seconds
 * of sampling, publishing to an in-process broker and answering every route on every slot, then what the VM holds.
 * Run preloaded, as a device preloads its modules; the simulated board stands in for the ESP32's hardware and is made
 * before charging starts; the broker is charged.
 */
import { esp32 } from "../../boards/esp32.js";
import { installXsEngine } from "../../hosts/xs/host.js";
import { ESP32_MQTT_QUEUE, ESP32_MQTT_WINDOW, networkService, networkSizing } from "../../hosts/moddable/sizing.js";
import { ConfigCounters, GatewayApi } from "../../src/app/gateway/api.js";
import { SENSOR_TYPES } from "../../src/app/gateway/catalogue.js";
import { boardFacts, readDeclaration } from "../../src/app/gateway/declaration.js";
import { GatewayDocuments } from "../../src/app/gateway/documents.js";
import { Gateway } from "../../src/app/gateway/gateway.js";
import { Metrics } from "../../src/app/gateway/metrics.js";
import { GatewayTelemetry } from "../../src/app/gateway/telemetry.js";
import { engine } from "../../src/engine/index.js";
import { MemoryStats } from "../../src/mem/stats.js";
import { ascii } from "../../src/net/ascii.js";
import { MqttState, type MqttClient, type MqttTransport } from "../../src/net/mqtt/client.js";
import { decodePacket, encodeAck, encodeConnack, encodeEmpty, encodeSuback, MqttPacket, PacketType } from "../../src/net/mqtt/index.js";
import { ConnectionCounters, ConnectionService, type ResponseSink } from "../../src/net/connections.js";
import { WorkQueue } from "../../src/services/work-queue.js";
import { loadScenario } from "../../simulator/scenario.js";
import type { Simulation } from "../../simulator/simulation.js";
import { timerApi } from "../../simulator/timer.js";

const bytes = (stats: MemoryStats): number => stats.chunkBytesUsed + stats.slotsUsed * 16;
/** What the VM holds after a collection. */
const held = (memory: MemoryStats): number => {
  engine().collectGarbage();
  return bytes(memory.read());
};
/** manifest.json's esp32 config.sensors (tests/moddable/devices.test.ts holds the manifest to it). */
const DECLARATION = [
  { name: "sht3x", type: "sht3x", address: 0x44 },
  { name: "bmp280", type: "bmp280", address: 0x76 },
  { name: "tmp117", type: "tmp117", address: 0x48, pins: { alert: 25 }, settings: { highLimitC: 30 } },
  { name: "lis3dh", type: "lis3dh", address: 0x18, pins: { int1: 26 }, periodMs: 200 },
];
// In a job, after the module body has returned, as the entry composes from a timer: the scenario loader under the
// module loader's frames overflowed the 512 stack slots.
void Promise.resolve().then(begin);

/** The simulated board stands in for the ESP32's own hardware, so it is made before charging starts (at preloaded()). */
function begin(): void {
  const sim = loadScenario({ board: "esp32", devices: [{ type: "sht3x" }, { type: "bmp280" }, { type: "tmp117", alertPin: 25 },
    { type: "lis3dh", int1Pin: 26 }] });
  if (!xshost.preloaded()) throw new Error("run this with --preloaded (stillheap bench fit does)");
  installXsEngine();
  const memory = new MemoryStats();
  engine().collectGarbage();
  compose(sim, memory, bytes(memory.read()));
}

interface Composed {
  readonly sim: Simulation;
  readonly gateway: Gateway;
  readonly api: GatewayApi;
  readonly metrics: Metrics;
  readonly clock: { nowMs(): number };
  readonly timer: ReturnType<typeof timerApi>;
  readonly queue: WorkQueue;
  readonly connections: ConnectionCounters;
}

/**
 * The broker's side, answering on the next tick rather than inside the client's write (a broker answering within
 * the write would nest the client's calls as no socket does): CONNACK, SUBACK, PUBACK for QoS 1, PINGRESP.
 */
class DeferredBroker implements MqttTransport {
  client: MqttClient | undefined;
  opens = 0;
  published = 0;
  readonly #packet = new MqttPacket();
  readonly #out = new Uint8Array(16);
  readonly #types = new Int32Array(64);
  readonly #ids = new Int32Array(64);
  #pending = 0;

  open(): void {
    this.opens++;
  }

  close(): void {
    this.#pending = 0;
  }

  write(bytes: Uint8Array, start: number, length: number): boolean {
    if (decodePacket(bytes, start, length, this.#packet, 4096) !== length || this.#pending >= this.#types.length) return false;
    const p = this.#packet;
    if (p.type === PacketType.publish) this.published++;
    const answer = p.type === PacketType.connect ? PacketType.connack : p.type === PacketType.subscribe ? PacketType.suback
      : p.type === PacketType.pingreq ? PacketType.pingresp : p.type === PacketType.publish && p.qos > 0 ? PacketType.puback : -1;
    if (answer < 0) return true;
    this.#types[this.#pending] = answer;
    this.#ids[this.#pending++] = p.packetId;
    return true;
  }

  /** Sends what the broker owes. */
  answer(nowMs: number): void {
    const count = this.#pending;
    this.#pending = 0;
    for (let i = 0; i < count; i++) {
      const type = this.#types[i] ?? 0;
      const id = this.#ids[i] ?? 0;
      const end = type === PacketType.connack ? encodeConnack(this.#out, 0, false, 0) : type === PacketType.suback ? encodeSuback(this.#out, 0, id, 1)
        : type === PacketType.pingresp ? encodeEmpty(this.#out, 0, type) : encodeAck(this.#out, 0, type, id);
      this.client?.receive(this.#out, 0, end, nowMs);
    }
  }
}

/** The gateway as the ESP32 entry makes it (small frames: the board's stack is 384 slots). */
function composeGateway(sim: Simulation): Composed {
  const clock = { nowMs: () => sim.clock.now };
  const timer = timerApi(() => sim.clock);
  const sensors = readDeclaration(DECLARATION, boardFacts(sim.device, esp32.gpioCount), SENSOR_TYPES, "config.sensors");
  const gateway = new Gateway({ device: sim.device, timer, clock, sensors });
  const documents = new GatewayDocuments(gateway, clock);
  const counters = new ConfigCounters();
  const connections = new ConnectionCounters();
  const queue = new WorkQueue(1, SIZED.slots);
  const metrics = new Metrics({ gateway, clock, config: counters, connections, queue });
  const api = new GatewayApi({ gateway, documents, metrics, counters, apiToken: "bench-fit-token" });
  return { sim, gateway, api, metrics, clock, timer, queue, connections };
}

/** Answers a request's slot at once, as if the host had drained it; counts what it saw. */
class DrainedSink implements ResponseSink {
  service: ConnectionService | undefined;
  answered = 0;
  largest = 0;

  /** Answers by status class: [2xx, 4xx, 5xx]. */
  readonly statuses = [0, 0, 0];

  send(slot: number, bytes: Uint8Array, length: number): void {
    this.answered++;
    const digit = bytes[9] ?? 0;
    this.statuses[digit === 50 ? 0 : digit === 52 ? 1 : 2] = (this.statuses[digit === 50 ? 0 : digit === 52 ? 1 : 2] ?? 0) + 1;
    this.largest = Math.max(this.largest, length);
    this.service?.sent(slot);
  }
}

const SIZED = networkService(networkSizing(esp32.http, true));

function composeHttp(parts: Composed, sink: DrainedSink): ConnectionService {
  const service = new ConnectionService(parts.api, sink, { clock: parts.clock, counters: parts.connections, queue: parts.queue, evictAfterMs: 1000, ...SIZED });
  sink.service = service;
  return service;
}

function composeMqtt(parts: Composed, broker: DeferredBroker): GatewayTelemetry {
  const telemetry = new GatewayTelemetry(parts.api, broker, parts.timer, { clientId: "stillheap-esp32", prefix: "stillheap/stillheap-esp32",
    keepAliveS: 30, queueLength: ESP32_MQTT_QUEUE, window: ESP32_MQTT_WINDOW }); // discovery is off by default on the ESP32
  broker.client = telemetry.client;
  parts.metrics.add(telemetry);
  parts.api.documents.addHealthReasons(telemetry);
  return telemetry;
}

function compose(sim: Simulation, memory: MemoryStats, atStart: number): void {
  const broker = new DeferredBroker();
  engine().collectGarbage();
  const withSimulator = bytes(memory.read());
  engine().print(`stage before composing: the VM holds ${withSimulator} bytes (${atStart} when charging started)`);
  const parts = composeGateway(sim);
  engine().print(`stage gateway made: the VM holds ${held(memory)} bytes`);
  const sink = new DrainedSink();
  const service = composeHttp(parts, sink);
  engine().print(`stage HTTP made: the VM holds ${held(memory)} bytes`);
  const telemetry = composeMqtt(parts, broker);
  engine().print(`stage MQTT made: the VM holds ${held(memory)} bytes`);
  void Promise.resolve().then(() => run(parts, service, telemetry, broker, sink, memory, withSimulator));
}

const REQUESTS = ["/v1/readings", "/v1/readings/sht3x", "/healthz", "/metrics"].map((path) => ascii(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));

function run(parts: Composed, service: ConnectionService, telemetry: GatewayTelemetry, broker: DeferredBroker, sink: DrainedSink,
  memory: MemoryStats, withSimulator: number): void {
  const sim = parts.sim;
  parts.gateway.start();
  telemetry.start();
  engine().print(`stage sensors open, MQTT started: the VM holds ${held(memory)} bytes`);
  for (let tenth = 0; tenth < 100; tenth++) {
    sim.clock.advance(100);
    broker.answer(sim.clock.now);
    if (telemetry.client.state === MqttState.opening) telemetry.client.connected(sim.clock.now); // the socket is up at once
    const request = REQUESTS[tenth % REQUESTS.length] as Uint8Array;
    const slot = service.open();
    if (slot >= 0) service.receive(slot, request, 0, request.length);
  }
  engine().collectGarbage();
  const running = memory.read();
  const holds = bytes(running);
  engine().print(JSON.stringify({
    suite: "fit", board: esp32.name, budgetBytes: esp32.xsBudgetBytes, gatewayBytes: holds - withSimulator, peakSlots: running.slotsPeak,
    peakChunkBytes: running.chunkBytesPeak, httpSlots: SIZED.slots, responseBuffers: SIZED.responseBuffers, responseBytes: SIZED.responseBytes, mqttQueue: ESP32_MQTT_QUEUE, mqttWindow: ESP32_MQTT_WINDOW,
    answered: sink.answered, statuses: sink.statuses, overflows: parts.connections.overflows, mqttConnected: telemetry.client.state === MqttState.connected, largestResponseBytes: sink.largest, published: broker.published, discoveryPublished: telemetry.discoveryPublished,
  }));
}
