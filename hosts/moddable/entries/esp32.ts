/**
 * `main` on a networked Moddable board (ESP32): the sensor gateway with its HTTP API on the `http` module's Server.
 * Wi-Fi comes up before this runs (manifest_net.json, `mcconfig … ssid=… password=…`); the API token is
 * `mcconfig … apiToken=…` (without one, POST /v1/config is refused with 403).
 * Imports are by specifier: XS resolves a relative import from the module's name, and this module is named `main`.
 */
import { HttpService, httpSizing } from "stillheap/src/app/gateway/service";
import { esp32 } from "stillheap/boards/esp32";
import { boardDevice, moddableTimer, startBoardGateway } from "stillheap/hosts/moddable/gateway";
import { ModdableHttpServer } from "stillheap/hosts/moddable/http-server";
import config from "mc/config";

const port = Number(config.httpPort ?? 80);
const origin = Date.now(); // the wall clock once SNTP has set it: count from here
const { api } = startBoardGateway({ device: boardDevice(), timer: moddableTimer, nowMs: () => Date.now() - origin });
const sizing = esp32.http; // every esp32 board: Wi-Fi, four connections
const server = new ModdableHttpServer(port, sizing.slots);
server.listen(new HttpService(api, server, { ...httpSizing(sizing), concurrency: 1, backlog: sizing.slots }));
trace(`stillheap: sensor gateway; GET /v1/readings, /healthz, /metrics on port ${port}\n`);
