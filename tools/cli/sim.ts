/**
 * `stillheap sim` (npm start): the sensor gateway on a simulated board, its virtual clock driven in real time, the
 * HTTP API on 127.0.0.1. Ctrl-C or SIGTERM — from the first moment, start-up included — shuts down gracefully within
 * its deadline (exit 0); a second one stops at once.
 */
import { RESPONSE_BYTES_WITH_MQTT } from "../../src/app/gateway/telemetry.js";
import { ByteWriter } from "../../src/net/writer.js";
import { asText } from "../../src/net/index.js";
import { Supervisor } from "../../src/services/index.js";
import { timerApi } from "../../simulator/timer.js";
import { installNodeEngine } from "../../hosts/node/engine.js";
import { composeGateway } from "../../hosts/sim/gateway.js";
import { StateFile } from "../../hosts/node/state-file.js";
import { SETTINGS_WRITE_INTERVAL_MS, SettingsRestored, type SettingsKeeper } from "../../src/app/gateway/settings.js";
import { simulatedBoard } from "./scenario-file.js";
import { NodeHttpServer } from "../../hosts/node/http-server.js";
import { MQTT_USAGE, MqttFlags, startMqtt, type MqttSettings } from "./sim-mqtt.js";
import { driveInRealTime } from "../../hosts/node/realtime.js";
import { targetsOf, SimPanel } from "../../hosts/node/panel/sim-panel.js";
import { ExitCode, UsageError, type Command, type TakeSignals } from "./command.js";
import { DEFAULT_SCENARIO } from "./paths.js";

const SHUTDOWN_DEADLINE_MS = 5000;
/** What graceful stops may take of the deadline; then what is left is killed, leaving time to exit within it. */
const GRACEFUL_STOP_MS = 4000;
/** By default a connection still sending its request after this long yields its slot to a new one when all are busy. */
const EVICT_AFTER_MS = 1000;
const SIGNAL_EXIT: Readonly<Record<string, number>> = Object.freeze({ SIGINT: 130, SIGTERM: 143 });

interface SimOptions {
  board: string | undefined;
  scenario: string;
  /** A declaration file of its own, in place of the scenario's `sensors`. */
  sensors: string | undefined;
  /** The file settings are kept in, and the least time between two writes of it. */
  state: string | undefined;
  stateIntervalMs: number;
  seconds: number | undefined;
  port: number;
  token: string;
  requestTimeoutMs: number;
  slots: number;
  workMs: number;
  /** Virtual milliseconds per wall-clock millisecond. */
  speed: number;
  /** -1: never evict. */
  evictAfterMs: number;
  /** The panel's port: undefined follows --port (one above it, or a free one with 0 or 65535); -1 serves no panel. */
  panelPort: number | undefined;
  /** The broker to publish to (--mqtt and its flags, checked while parsing), or undefined. */
  mqtt: MqttSettings | undefined;
}

function parse(args: readonly string[]): SimOptions {
  const options: SimOptions = {
    board: undefined, scenario: DEFAULT_SCENARIO, sensors: undefined, state: undefined, stateIntervalMs: SETTINGS_WRITE_INTERVAL_MS, seconds: undefined,
    port: Number(process.env["PORT"] ?? 8080), token: process.env["STILLHEAP_TOKEN"] ?? "change-me-please",
    requestTimeoutMs: 5000, slots: 8, workMs: 0, speed: 1, evictAfterMs: EVICT_AFTER_MS, panelPort: undefined, mqtt: undefined,
  };
  const mqtt = new MqttFlags();
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) throw new UsageError(`${flag ?? ""} needs a value`);
    if (mqtt.take(flag ?? "", value)) continue;
    if (flag === "--board") options.board = value;
    else if (flag === "--scenario") options.scenario = value;
    else if (flag === "--sensors") options.sensors = value;
    else if (flag === "--state") options.state = value;
    else if (flag === "--state-interval-ms") {
      options.stateIntervalMs = Number(value);
      if (!(Number.isInteger(options.stateIntervalMs) && options.stateIntervalMs >= 0)) throw new UsageError(`--state-interval-ms needs a whole number ≥ 0, got "${value}"`);
    }
    else if (flag === "--token") options.token = value;
    else if (flag === "--request-timeout-ms") {
      options.requestTimeoutMs = Number(value);
      if (!(options.requestTimeoutMs > 0)) throw new UsageError(`--request-timeout-ms needs a positive number, got "${value}"`);
    } else if (flag === "--slots") {
      options.slots = Number(value);
      if (!Number.isInteger(options.slots) || options.slots < 1) throw new UsageError(`--slots needs a whole number ≥ 1, got "${value}"`);
    } else if (flag === "--evict-after-ms") {
      options.evictAfterMs = value === "off" ? -1 : Number(value);
      if (!(options.evictAfterMs >= 0 || value === "off")) throw new UsageError(`--evict-after-ms needs a number ≥ 0 or "off", got "${value}"`);
    } else if (flag === "--panel-port") {
      options.panelPort = value === "off" ? -1 : Number(value);
      if (value !== "off" && !(Number.isInteger(options.panelPort) && options.panelPort >= 0 && options.panelPort <= 65535)) {
        throw new UsageError(`--panel-port needs a TCP port or "off", got "${value}"`);
      }
    } else if (flag === "--speed") {
      options.speed = Number(value);
      if (!(options.speed > 0 && options.speed <= 1000)) throw new UsageError(`--speed needs a number in (0, 1000], got "${value}"`);
    } else if (flag === "--work-ms") {
      options.workMs = Number(value);
      if (!(options.workMs >= 0)) throw new UsageError(`--work-ms needs a number ≥ 0, got "${value}"`);
    } else if (flag === "--seconds" || flag === "--port") {
      const number = Number(value);
      if (!(number >= 0) || (flag === "--seconds" && number === 0)) throw new UsageError(`${flag} needs a positive number, got "${value}"`);
      if (flag === "--seconds") options.seconds = number;
      else options.port = number;
    } else throw new UsageError(`unknown option ${flag ?? ""}`);
  }
  if (!Number.isInteger(options.port) || options.port > 65535) throw new UsageError(`not a TCP port: ${options.port}`);
  options.mqtt = mqtt.settings();
  return options;
}

function stateOf(options: SimOptions): { store?: StateFile; settingsIntervalMs: number } {
  return { ...(options.state === undefined ? {} : { store: new StateFile(options.state) }), settingsIntervalMs: options.stateIntervalMs };
}

/** Restores the kept settings; a record refused (a cut write, a corrupt or foreign file) is said, and defaults used. */
function restore(keeper: SettingsKeeper | undefined, file: string | undefined): void {
  if (keeper === undefined) return;
  try {
    keeper.load();
  } catch (error: unknown) {
    throw new Error(`cannot read the state file ${file ?? ""}: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const problem of keeper.problems) process.stderr.write(`stillheap: state file ${file ?? ""}: ${problem}\n`);
  if (keeper.restored === SettingsRestored.defaults && keeper.problems.length > 0) {
    process.stderr.write(`stillheap: state file ${file ?? ""}: using the declaration's settings\n`);
  }
}

/** Says what to do about a port that cannot be bound, in place of Node's bare error. */
function listenError(error: unknown, port: number, flag = "--port"): Error {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === "EADDRINUSE") return new Error(`port ${port} on 127.0.0.1 is in use: stop what uses it, or choose another with ${flag}`);
  if (code === "EACCES") return new Error(`port ${port} needs privileges this process lacks: choose one above 1023 with ${flag}`);
  return error instanceof Error ? error : new Error(String(error));
}

export const command: Command = {
  summary: "run the sensor gateway in the simulator (npm start)",
  usage: `usage: stillheap sim [--board pico|esp32] [--port P] [--scenario FILE] [--sensors FILE] [--state FILE] [--token T]
                     [--state-interval-ms MS] [--request-timeout-ms MS]
                     [--slots N] [--evict-after-ms MS|off] [--work-ms MS] [--panel-port P|off] [--speed X] [--seconds N]
                     [--mqtt URL [--mqtt-user NAME] [--mqtt-password-file FILE] [--mqtt-…]]

Runs the sensor gateway on a simulated board (virtual sensors on I2C, faults from the scenario; default
simulator/scenarios/default.json, format in simulator/scenario.schema.json) with its HTTP API on 127.0.0.1:
  GET /v1/readings, GET /v1/readings/<sensor>, GET /healthz, GET /metrics, GET and POST /v1/config (bearer token)
The sensors sampled are the scenario's "sensors" declaration (README "Your own board"), or the default four.
  --sensors FILE a sensor declaration of its own (an array, or an object with "sensors"), in place of the
                 scenario's
  --state FILE   keep the settings POST /v1/config changes in FILE (written atomically), restored at start;
                 POST /v1/config/reset with the token goes back to the declaration's
  --state-interval-ms MS   the least time between two writes of the state file (default 60000); a clean
                 stop writes what is pending
  --port P       TCP port (default $PORT or 8080; 0 picks a free one)
  --token T      the API token for POST /v1/config (default $STILLHEAP_TOKEN)
  --request-timeout-ms MS   time a client has to send a complete request before 408 (default 5000)
  --slots N      connections served at once, each with its own pooled buffers (default 8); one more is
                 refused with 503 and Retry-After, which is how the gateway sheds load. One client address
                 holds at most half of them; 256 sockets may be open on the port, one address half of them
                 (beyond, closed unanswered); the panel's port has its own cap of 64
  --evict-after-ms MS|off   when all slots are busy, the connection that has been sending its request longest, if
                 for MS or more, is answered 408 and its slot goes to the new one, so slow senders cannot hold
                 every slot (default ${EVICT_AFTER_MS}; off: they hold them until the request deadline)
  --work-ms MS   hold each request's worker MS milliseconds before answering, as a microcontroller's slower CPU
                 would (default 0); for load tests, so the gateway saturates before the load generator does
  --panel-port P|off   the live panel (plots of readings, drops, faults, memory, HTTP; a fault control) on
                 127.0.0.1:P (default one above --port, a free port with --port 0; off: none)
  --speed X      run virtual time X times faster than the wall clock (default 1): sampling, frames, fault
                 windows, the eviction age; request deadlines and the shutdown deadline stay wall-clock
  --seconds N    no server: run N virtual seconds at full speed, print the readings, exit
${MQTT_USAGE}Ctrl-C or SIGTERM shuts down within ${SHUTDOWN_DEADLINE_MS / 1000} s whatever clients do (exit 0), from the first line the program runs,
start-up included; a second one stops at once (exit 130, or 143 for SIGTERM). One that comes while Node itself
is still starting, before it runs that line (tens of ms), ends the process as the signal's default does (a shell
reports 130 or 143), as for any Node program.
Exit status: 0 ok, 1 failure (e.g. the port is in use, or a stop that outran the deadline), 2 usage error or bad
scenario.`,
  handlesSignals: true,
  async run(args, takeSignals?: TakeSignals) {
    const options = parse(args);
    installNodeEngine();
    const { sim, sensors } = simulatedBoard(options.scenario, options.sensors, options.board);
    if (options.seconds !== undefined) {
      // A batch run in virtual time blocks the thread: signals keep their default (Ctrl-C stops it at once).
      for (const signal of takeSignals?.() ?? []) process.kill(process.pid, signal);
      const { gateway, documents, keeper } = composeGateway({ sim, sensors, apiToken: options.token, ...stateOf(options) });
      restore(keeper, options.state);
      gateway.start();
      keeper?.start();
      sim.clock.advance(options.seconds * 1000);
      const out = new ByteWriter().reset(new Uint8Array(64 * 1024));
      documents.readings(out);
      process.stdout.write(`${asText(out.bytes, 0, out.position)}\n`);
      keeper?.stop();
      gateway.stop();
      return ExitCode.ok;
    }
    const server = new NodeHttpServer({ host: "127.0.0.1", port: options.port, requestTimeoutMs: options.requestTimeoutMs });
    // The work queue's backlog matches the slots, so shedding happens at one place: a connection beyond the slots.
    const { gateway, api, metrics, service, clock, timer, keeper } = composeGateway({ sim, sensors, apiToken: options.token, ...stateOf(options), http: {
      sink: server, slots: options.slots, backlog: options.slots, slotsPerClient: Math.max(1, options.slots >> 1),
      ...(options.mqtt !== undefined ? { responseBytes: RESPONSE_BYTES_WITH_MQTT } : {}), ...(options.evictAfterMs >= 0 ? { evictAfterMs: options.evictAfterMs } : {}),
      ...(options.workMs > 0 ? { work: { ms: options.workMs, timer: timerApi(() => sim.clock) } } : {}) } });
    if (service === undefined) throw new Error("the gateway was composed without its connection service");
    const panelPort = options.panelPort ?? (options.port === 0 || options.port === 65535 ? 0 : options.port + 1);
    const panel = panelPort < 0 ? undefined : new SimPanel({ gateway, sim, targets: targetsOf(sensors),
      http: { service, openSockets: () => server.open, dropped: () => server.dropped } }, panelPort);
    const driver = driveInRealTime(sim.clock, 10, options.speed);
    let stopping = false;
    const supervisor = new Supervisor(clock, timer)
      .add({ name: "gateway", start: () => {
        restore(keeper, options.state);
        gateway.start();
        keeper?.start();
      }, stop: () => {
        keeper?.stop(); // the pending settings written before the sensors close
        gateway.stop();
      }, kill: () => gateway.stop() })
      .add(startMqtt(options.mqtt, api, metrics, timer, clock, sim.board.description))
      .add({ name: "http", start: async () => {
        const port = await server.listen(service).catch((error: unknown) => { throw listenError(error, options.port); });
        if (stopping) return; // stopped during start-up: about to close, nothing to announce
        process.stdout.write(`stillheap: sensor gateway on a simulated ${sim.board.description}\n` +
          `stillheap: http://127.0.0.1:${port}/v1/readings  (also /healthz, /metrics); Ctrl-C stops\n`);
      }, stop: () => server.close(), kill: () => server.kill() });
    if (panel !== undefined) {
      supervisor.add({ name: "panel", start: async () => {
        const port = await panel.start().catch((error: unknown) => { throw listenError(error, panelPort, "--panel-port"); });
        if (!stopping) process.stdout.write(`stillheap: panel http://127.0.0.1:${port}/  (live plots; --panel-port off serves none)\n`);
      }, stop: () => panel.stop(), kill: () => void panel.stop() });
    }
    const started = supervisor.start(10_000);
    let finish: (code: number) => void = () => undefined;
    const stopped = new Promise<number>((done) => (finish = done));
    const onSignal = (signal: string): void => {
      if (stopping) {
        process.stdout.write("\nstillheap: stopping at once\n");
        void supervisor.shutdown(0);
        process.exit(SIGNAL_EXIT[signal] ?? 130);
      }
      stopping = true;
      process.stdout.write(`\nstillheap: ${signal}: shutting down (again to stop at once)\n`);
      // Whatever clients or a start-up still under way do, the process is gone by the deadline.
      setTimeout(() => {
        process.stderr.write(`stillheap: not stopped within ${SHUTDOWN_DEADLINE_MS} ms: exiting\n`);
        process.exit(ExitCode.failed);
      }, SHUTDOWN_DEADLINE_MS - 200).unref();
      const shutdown = (): Promise<void> => supervisor.shutdown(GRACEFUL_STOP_MS);
      // During start-up, shut down once what is starting has started (or failed), so nothing is left running.
      void started.then(shutdown, shutdown).then(() => {
        driver.stop();
        finish(ExitCode.ok);
        setTimeout(() => process.exit(), 100).unref(); // a handle a client still holds open does not keep the process
      });
    };
    process.on("SIGINT", onSignal).on("SIGTERM", onSignal);
    for (const signal of takeSignals?.() ?? []) onSignal(signal);
    try {
      await started;
    } catch (error: unknown) {
      driver.stop();
      process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
      if (stopping) return stopped;
      throw error;
    }
    for (const channel of gateway.channels) {
      if (!channel.open) process.stderr.write(`stillheap: sensor not open yet (retrying): ${channel.openReason}\n`);
    }
    return stopped;
  },
};
