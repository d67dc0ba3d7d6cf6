/**
 * `main` on a networked Moddable board (ESP32): the composition root of the gateway on the board's `device`, with
 * its HTTP API on ECMA-419 sockets and, with `mcconfig … mqttHost=…`, MQTT telemetry (hosts/moddable/mqtt.ts: broker,
 * credentials and client id from the manifest's config). The sensors are the manifest's `config.sensors` (manifest.json gives
 * the esp32 platforms a default: the TMP117's ALERT on GPIO 25, the LIS3DH's INT1 on GPIO 26).
 * Wi-Fi comes up before this runs (manifest_net.json, `mcconfig … ssid=… password=…`); the API token is
 * `mcconfig … apiToken=…` (without one, POST /v1/config is refused with 403).
 * Imports are by specifier: XS resolves a relative import from the module's name, and this module is named `main`.
 */
import { ConfigCounters, GatewayApi } from "stillheap/src/app/gateway/api";
import { GatewayDocuments } from "stillheap/src/app/gateway/documents";
import { Gateway } from "stillheap/src/app/gateway/gateway";
import { Metrics } from "stillheap/src/app/gateway/metrics";
import { ConnectionCounters, ConnectionService } from "stillheap/src/net/connections";
import type { Clock } from "stillheap/src/services/time";
import { WorkQueue } from "stillheap/src/services/work-queue";
import { esp32 } from "stillheap/boards/esp32";
import { installModdableEngine } from "stillheap/hosts/moddable/engine";
import { apiToken, boardDevice, declaredSensors, moddableTimer, traceUnopened } from "stillheap/hosts/moddable/gateway";
import { EVICT_AFTER_MS, ModdableHttpServer } from "stillheap/hosts/moddable/http-server";
import { mqttConfigured, startMqtt } from "stillheap/hosts/moddable/mqtt";
import { ESP32_MQTT_QUEUE, ESP32_MQTT_WINDOW, networkService, networkSizing } from "stillheap/hosts/moddable/sizing";
import { PreferenceSlots } from "stillheap/hosts/moddable/preference-slots";
import { composeSettings, settingsDomain } from "stillheap/hosts/moddable/settings";
import config from "mc/config";
import Timer from "timer";

/** The longest settings record an NVS blob is given. */
const PREFERENCE_BYTES = 4000;

function main(): void {
  installModdableEngine();
  const origin = Date.now(); // the wall clock once SNTP has set it: count from here
  const clock: Clock = { nowMs: () => Date.now() - origin };
  const device = boardDevice(esp32);
  const sensors = declaredSensors(config.sensors, device, esp32.gpioCount, "config.sensors");
  if (sensors === undefined) return;
  const gateway = new Gateway({ device, timer: moddableTimer, clock, sensors });
  const documents = new GatewayDocuments(gateway, clock);
  const keeper = composeSettings({ gateway, documents, sensors, timer: moddableTimer, clock,
    store: new PreferenceSlots(settingsDomain(), PREFERENCE_BYTES), where: `NVS namespace ${settingsDomain()}` });
  const counters = new ConfigCounters();
  const connections = new ConnectionCounters();
  const mqtt = mqttConfigured();
  const sizing = networkSizing(esp32.http, mqtt); // every esp32 board: Wi-Fi, four connections (one response buffer with MQTT)
  const queue = new WorkQueue(1, sizing.slots);
  const metrics = new Metrics({ gateway, clock, config: counters, connections, queue });
  metrics.add(keeper);
  const api = new GatewayApi({ gateway, documents, metrics, counters, apiToken: apiToken(), settings: keeper });
  const port = Number(config.httpPort ?? 80);
  const server = new ModdableHttpServer({ port, slots: sizing.slots, nowMs: clock.nowMs });
  const service = new ConnectionService(api, server, { clock, counters: connections, queue, evictAfterMs: EVICT_AFTER_MS,
    ...networkService(sizing) });
  gateway.start();
  traceUnopened(gateway);
  server.listen(service);
  trace(`stillheap: sensor gateway; GET /v1/readings, /healthz, /metrics on port ${port}\n`);
  if (mqtt) startMqtt({ api, metrics, timer: moddableTimer, nowMs: clock.nowMs, model: esp32.description, queueLength: ESP32_MQTT_QUEUE,
    window: ESP32_MQTT_WINDOW, discoveryByDefault: false, defaultClientId: "stillheap-esp32" });
}

// From a timer, not the module body: the body runs under the module loader's frames, where building the gateway
// overflowed the 384-slot stack of mcconfig's esp32 default (seen on lin, which has the same).
Timer.set(main, 0);
