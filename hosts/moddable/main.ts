/**
 * Entry on a networked Moddable board (ESP32): the sensor gateway with its HTTP API on the
 * `http` module's Server. Wi-Fi comes up before this runs (manifest_net.json, `mcconfig … ssid=… password=…`); the
 * API token is `mcconfig … apiToken=…` (POST /v1/config refuses every request while it is empty).
 */
import { HttpService } from "../../src/app/index.js";
import config from "mc/config";
import { startBoardGateway } from "./gateway.js";
import { ModdableHttpServer } from "./http-server.js";

const SLOTS = 4;
const { api } = startBoardGateway();
const server = new ModdableHttpServer(Number(config.httpPort ?? 80), SLOTS);
server.listen(new HttpService(api, server, { slots: SLOTS, concurrency: 1, backlog: SLOTS, responseBytes: 4096 }));
trace(`stillheap: sensor gateway; GET /v1/readings, /healthz, /metrics on port ${config.httpPort ?? 80}\n`);
