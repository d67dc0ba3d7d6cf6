/**
 * `stillheap fleet --devices N --mqtt URL`: N simulated boards in one process, each with its own scenario seeds,
 * gateway and MQTT client, run in virtual time against a real broker; a subscriber on the same broker counts what
 * arrives, so every message is accounted for: received = published (QoS 1, duplicates counted apart), and what was
 * not published was counted as dropped or is still queued.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { GatewayTelemetry } from "../../src/app/index.js";
import { MqttClient, MqttState } from "../../src/net/mqtt/index.js";
import { loadScenario } from "../../simulator/scenario.js";
import type { Simulation } from "../../simulator/simulation.js";
import { installNodeEngine } from "../../hosts/node/engine.js";
import { composeGateway, declaredSensors } from "../../hosts/sim/gateway.js";
import { NodeMqttTransport } from "../../hosts/node/mqtt-transport.js";
import { ExitCode, UsageError, type Command } from "./command.js";
import { DEFAULT_SCENARIO } from "./paths.js";
import { simulatedBoard } from "./scenario-file.js";
import { MQTT_USAGE, MqttFlags, telemetryFor, type MqttSettings } from "./sim-mqtt.js";

interface FleetOptions {
  devices: number;
  /** A scenario file every board loads (with its `sensors`), in place of the built-in one with seeds per board. */
  scenario: string | undefined;
  sensors: string | undefined;
  mqtt: MqttSettings;
  seconds: number;
  stepMs: number;
}

function parse(args: readonly string[]): FleetOptions {
  const options = { devices: 10, scenario: undefined as string | undefined, sensors: undefined as string | undefined, seconds: 60, stepMs: 100 };
  const mqtt = new MqttFlags();
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) throw new UsageError(`${flag ?? ""} needs a value`);
    if (flag === "--mqtt-id") throw new UsageError("--mqtt-id: the boards are fleet-0, fleet-1, …");
    if (mqtt.take(flag ?? "", value)) continue;
    if (flag === "--scenario") options.scenario = value;
    else if (flag === "--sensors") options.sensors = value;
    else if (flag === "--devices" || flag === "--seconds") {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} needs a whole number ≥ 1, got "${value}"`);
      if (flag === "--devices") options.devices = n;
      else options.seconds = n;
    } else throw new UsageError(`unknown option ${flag ?? ""}`);
  }
  const settings = mqtt.settings(process.env, "fleet");
  if (settings === undefined) throw new UsageError("--mqtt URL is required (e.g. mqtt://127.0.0.1:1883)");
  return { ...options, mqtt: settings };
}

function scenario(device: number): Record<string, unknown> {
  return { board: "pico", devices: [
    { type: "sht3x", temperatureC: { kind: "sine", mean: 22, amplitude: 2, periodMs: 60_000 }, humidityRH: { kind: "noise", mean: 45, deviation: 1.5, seed: device + 1 } },
    { type: "bmp280", pressurePa: 101_325, temperatureC: 21 },
    { type: "tmp117", temperatureC: { kind: "noise", mean: 23, deviation: 0.2, seed: device + 10_001 }, alertPin: 16 },
    { type: "lis3dh", xG: { kind: "noise", mean: 0, deviation: 0.01, seed: device + 20_001 }, zG: 1, int1Pin: 17 },
  ] };
}

interface Board {
  sim: Simulation;
  telemetry: GatewayTelemetry;
}

function board(device: number, options: FleetOptions): Board {
  // Each board the built-in scenario with its own seeds and the default declaration, or the files given; built by
  // the same root as `stillheap sim`.
  const { sim, sensors } = options.scenario === undefined && options.sensors === undefined
    ? { sim: loadScenario(scenario(device)), sensors: undefined }
    : simulatedBoard(options.scenario ?? DEFAULT_SCENARIO, options.sensors);
  const { gateway, api, metrics, clock, timer } = composeGateway({ sim, sensors: sensors ?? declaredSensors(sim, undefined, ""), apiToken: "" });
  gateway.start();
  const telemetry = telemetryFor({ ...options.mqtt, clientId: `fleet-${device}` }, api, timer, clock, sim.board.description,
    { queueLength: 32, readingsPeriodMs: 5000, healthPeriodMs: 30_000, qos: 1, responseTimeoutMs: 30_000, retryMs: 30_000, seed: device + 1 });
  metrics.add(telemetry);
  api.documents.addHealthReasons(telemetry);
  telemetry.start();
  return { sim, telemetry };
}

/**
 * Counts what the broker delivers on the fleet's topics (stillheap/# and the discovery prefix's), with mosquitto_sub in
 * its own process: a subscriber sharing this event loop with the boards would fall behind. It subscribes at QoS 0: at
 * QoS 1 a broker holds a subscriber to a few unacknowledged messages and drops beyond its queue (mosquitto:
 * max_inflight_messages 20, max_queued_messages 1000), which a thousand boards publishing at the same virtual instant
 * exceed. Retained messages from earlier runs are not counted (-R); credentials go in a config file of its own
 * (XDG_CONFIG_HOME), never on its command line.
 */
class Counter {
  received = 0;
  probes = 0;
  /** Discovery configs received, by node id. */
  readonly discovery = new Map<string, number>();
  readonly child: ChildProcess;
  readonly #config: string;
  #rest = "";

  constructor(settings: MqttSettings) {
    this.#config = mkdtempSync(join(tmpdir(), "stillheap-fleet-"));
    const credentials = [settings.username === undefined ? "" : `-u ${settings.username}`, settings.password === undefined ? "" : `-P ${settings.password}`];
    writeFileSync(join(this.#config, "mosquitto_sub"), `${credentials.filter((line) => line !== "").join("\n")}\n`, { mode: 0o600 });
    const head = `${settings.discoveryPrefix}/sensor/`;
    this.child = spawn("mosquitto_sub", ["-h", settings.address.host, "-p", String(settings.address.port), "-t", "stillheap/#",
      "-t", `${settings.discoveryPrefix}/#`, "-R", "-q", "0", "-v", "-i", `fleet-counter-${process.pid}`],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, XDG_CONFIG_HOME: this.#config } });
    this.child.stdout?.setEncoding("utf8").on("data", (text: string) => {
      const lines = (this.#rest + text).split("\n");
      this.#rest = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith("stillheap/probe ")) this.probes++;
        else this.received++;
        if (line.startsWith(head)) {
          const node = line.slice(head.length, line.indexOf("/", head.length));
          this.discovery.set(node, (this.discovery.get(node) ?? 0) + 1);
        }
      }
    });
  }

  stop(): void {
    this.child.kill();
    rmSync(this.#config, { recursive: true, force: true });
  }
}

const turn = (): Promise<void> => new Promise((done) => setImmediate(done));

function totals(boards: readonly Board[]): { published: number; acknowledged: number; dropped: number; queued: number; connected: number; reconnects: number } {
  const t = { published: 0, acknowledged: 0, dropped: 0, queued: 0, connected: 0, reconnects: 0 };
  for (const { telemetry } of boards) {
    const c = telemetry.client;
    t.published += c.published;
    t.acknowledged += c.acknowledged;
    for (let r = 0; r < c.outbox.dropped.length; r++) t.dropped += c.outbox.dropped[r] ?? 0;
    t.queued += c.outbox.queued + c.outbox.inFlight;
    t.connected += c.state === MqttState.connected ? 1 : 0;
    t.reconnects += c.reconnects;
  }
  return t;
}

async function until(check: () => boolean, deadlineMs: number, poll: () => void): Promise<boolean> {
  const end = performance.now() + deadlineMs;
  while (!check()) {
    if (performance.now() > end) return false;
    poll();
    await new Promise((done) => setTimeout(done, 20));
  }
  return true;
}

export const command: Command = {
  summary: "N simulated boards publishing to an MQTT broker, with a progress line and a summary",
  usage: `usage: stillheap fleet --devices N --mqtt URL [--seconds S] [--scenario FILE] [--sensors FILE] [--mqtt-…]

Runs N simulated boards (default 10) in one process, each with its own scenario seeds, sensor gateway and MQTT
client (QoS 1, readings every 5 s per sensor, health every 30 s), for S virtual seconds (default 60) against the
broker at URL, as fast as the broker keeps up. With --scenario (its devices and "sensors") or --sensors (a
declaration of its own, on the built-in board), every board is that one instead. Board N is client fleet-N, on
stillheap/fleet-N/…, and announces its readings to Home Assistant (unless --mqtt-discovery off). A subscriber on
stillheap/# and the discovery prefix counts what arrives. Prints progress, then messages/s delivered, memory per
device, the accounting (received = published; published + dropped + queued = offered) and the boards whose
discovery arrived whole. The --mqtt flags are those of stillheap sim:
${MQTT_USAGE}Exit status: 0 every published message received (and with discovery, every board's), 1 otherwise, 2 usage error.`,
  async run(args) {
    const options = parse(args);
    const settings = options.mqtt;
    installNodeEngine();
    const counter = new Counter(settings);
    const failed = new Promise<string>((done) => {
      counter.child.on("error", (error) => done(`cannot run mosquitto_sub (Debian package mosquitto-clients): ${error.message}`));
    });
    // Ready once a probe published after it started comes back.
    const probe = new MqttClient(new NodeMqttTransport(settings.address, () => performance.now()), { clientId: `fleet-probe-${process.pid}`,
      ...(settings.username === undefined ? {} : { username: settings.username }), ...(settings.password === undefined ? {} : { password: settings.password }) });
    (probe.transport as NodeMqttTransport).client = probe;
    probe.start(performance.now());
    const probeTopic = new TextEncoder().encode("stillheap/probe");
    const ready = await Promise.race([failed, until(() => counter.probes > 0, 10_000, () => {
      probe.poll(performance.now());
      if (probe.outbox.queued === 0) probe.publish(probeTopic, probeTopic, 0, 1, 0, performance.now());
    })]);
    probe.stop(performance.now());
    if (ready !== true) {
      const refused = probe.lastReturnCode > 0 ? ` (the broker refused the connection: CONNACK ${probe.lastReturnCode})` : "";
      process.stderr.write(`fleet: ${typeof ready === "string" ? ready : `no subscriber on ${settings.shownUrl} within 10 s${refused}`}\n`);
      counter.stop();
      return ExitCode.failed;
    }
    global.gc?.();
    const before = process.memoryUsage();
    const boards: Board[] = [];
    for (let d = 0; d < options.devices; d++) boards.push(board(d, options));
    global.gc?.();
    const after = process.memoryUsage();
    const started = performance.now();
    const steps = (options.seconds * 1000) / options.stepMs;
    for (let step = 1; step <= steps; step++) {
      for (const b of boards) b.sim.clock.advance(options.stepMs);
      await turn();
      if (step % 10 === 0 || step === steps) {
        const t = totals(boards);
        process.stderr.write(`\rfleet: ${(step * options.stepMs / 1000).toFixed(1)}/${options.seconds} virtual s, ` +
          `${t.connected}/${boards.length} connected, published ${t.published}, acknowledged ${t.acknowledged}, dropped ${t.dropped}, received ${counter.received}   `);
      }
    }
    const drained = await until(() => { const t = totals(boards); return t.queued === 0 && counter.received >= t.published; }, 30_000,
      () => { for (const b of boards) b.telemetry.tick(); });
    const seconds = (performance.now() - started) / 1000;
    const readings = totals(boards);
    const received = counter.received; // before the boards say offline
    const announced = discoveryOf(boards, counter);
    for (const b of boards) b.telemetry.stop();
    counter.stop();
    process.stderr.write("\n");
    const perDevice = (bytes: number): string => `${(bytes / options.devices / 1024).toFixed(1)} KiB`;
    process.stdout.write([
      `fleet: ${options.devices} devices, ${options.seconds} virtual s in ${seconds.toFixed(1)} s wall, ${settings.shownUrl}`,
      `  published ${readings.published} (QoS 1), acknowledged ${readings.acknowledged}, dropped ${readings.dropped}, still queued ${readings.queued}, reconnects ${readings.reconnects}`,
      `  received by the subscriber ${received} (published − received: ${readings.published - received})`,
      `  delivered ${(received / seconds).toFixed(0)} messages/s; memory per device: heap ${perDevice(after.heapUsed - before.heapUsed)}, RSS ${perDevice(after.rss - before.rss)}`,
      ...(settings.discovery ? [`  discovery: ${announced.configs} configs received; ${announced.whole}/${boards.length} boards announced every reading`] : []),
      `  ${drained ? "every published message accounted for" : "NOT drained within 30 s"}`,
      "",
    ].join("\n"));
    return drained && (!settings.discovery || announced.whole === boards.length) ? ExitCode.ok : ExitCode.failed;
  },
};

/** Discovery configs the subscriber saw, and how many boards it saw one for each of their readings. */
function discoveryOf(boards: readonly Board[], counter: Counter): { configs: number; whole: number } {
  let configs = 0;
  let whole = 0;
  for (const { telemetry } of boards) {
    const discovery = telemetry.discovery;
    if (discovery === undefined) continue;
    const seen = counter.discovery.get(discovery.node) ?? 0;
    configs += seen;
    if (seen >= discovery.readings.length) whole++;
  }
  return { configs, whole };
}
