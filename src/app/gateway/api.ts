/**
 * The gateway's HTTP API over the host-neutral HTTP core: readings, health, Prometheus metrics, and a token-protected
 * config endpoint. Responses are written straight into the caller's buffer; the GET paths allocate nothing.
 */
// Modules, not barrels: a device loads every module a barrel names, and each costs memory there.
import { ascii, constantTimeEqual } from "../../net/ascii.js";
import { CONTENT_TYPES, RouteMatch, Router, type Response } from "../../net/http.js";
import { Method, type HttpRequest } from "../../net/request.js";
import type { ByteWriter, JsonWriter } from "../../net/writer.js";
import { SAMPLE_STATUS_NAMES } from "../../drivers/common/errors.js";
import type { Clock } from "../../services/time.js";
import { readConfigBody } from "./config-body.js";
import type { Gateway } from "./gateway.js";
import { WindowStats } from "./window.js";
import { Metrics } from "./metrics.js";

/** What a config request came to. */
export const ConfigOutcome = Object.freeze({ applied: 0, disabled: 1, unauthorized: 2, invalid: 3 });

const ROUTE = Object.freeze({ readings: 1, reading: 2, health: 3, metrics: 4, config: 5 });
const K = Object.freeze({
  uptimeMs: ascii("uptimeMs"), status: ascii("status"), error: ascii("error"), firstSampleMs: ascii("firstSampleMs"),
  ok: ascii("ok"), degraded: ascii("degraded"), applied: ascii("applied"), reasons: ascii("reasons"),
});
/** The constant text of a readings document, between its numbers. */
const F = Object.freeze({
  uptimeMs: ascii('{"uptimeMs":'), sensors: ascii(',"sensors":{'), produced: ascii('{"produced":'),
  delivered: ascii(',"delivered":'), dropped: ascii(',"dropped":'), latest: ascii('":{"latest":'), samples: ascii(',"samples":'),
  min10s: ascii(',"min10s":'), max10s: ascii(',"max10s":'), mean10s: ascii(',"mean10s":'), min60s: ascii(',"min60s":'),
  max60s: ascii(',"max60s":'), mean60s: ascii(',"mean60s":'),
});
const WATCHDOG_GAVE_UP = "the watchdog gave up restarting the sampling loop";
const NO_SENSORS = "no sensor started";
const NOT_FOUND = "no such route; try /v1/readings, /healthz or /metrics";
const NO_SENSOR = "no such sensor; GET /v1/readings lists them";
const NOT_ALLOWED = "method not allowed on this route";
const UNAUTHORIZED = "a valid bearer token is required";
const CONFIG_DISABLED = "config is disabled: no API token was set (mcconfig ... apiToken=<8 or more characters>)";

export interface GatewayApiOptions {
  /**
   * The bearer token POST /v1/config requires, set at build or config time: at least 8 characters, or empty to
   * disable config (every POST /v1/config is then answered 403).
   */
  readonly apiToken: string;
}

export class GatewayApi {
  readonly router = new Router()
    .add(Method.get, "/v1/readings", ROUTE.readings).add(Method.get, "/v1/readings/", ROUTE.reading, true)
    .add(Method.get, "/healthz", ROUTE.health).add(Method.get, "/metrics", ROUTE.metrics).add(Method.post, "/v1/config", ROUTE.config);
  readonly metrics: Metrics;
  readonly #token: Uint8Array;
  readonly #stats = new WindowStats();
  /** Why the last config body was refused. */
  lastConfigError = "";

  constructor(readonly gateway: Gateway, readonly clock: Clock, options: GatewayApiOptions) {
    if (options.apiToken.length > 0 && options.apiToken.length < 8) {
      throw new RangeError("the API token must have at least 8 characters, or be empty to disable config");
    }
    this.#token = ascii(options.apiToken);
    this.metrics = new Metrics(gateway, clock);
  }

  /** Answers a parsed request into `response` (begun on an output buffer). */
  handle(request: HttpRequest, response: Response): void {
    const json = this.#writer(response);
    response.headOnly = request.method === Method.head;
    const route = this.router.match(request);
    if (route === RouteMatch.notFound) return this.#error(response, 404, NOT_FOUND);
    if (route === RouteMatch.methodNotAllowed) {
      response.allow = this.router.allowed;
      return this.#error(response, 405, NOT_ALLOWED);
    }
    if (route === ROUTE.readings) this.#readings(json);
    else if (route === ROUTE.reading) this.#reading(request, response, json);
    else if (route === ROUTE.health) this.#health(json);
    else if (route === ROUTE.metrics) {
      response.contentType = CONTENT_TYPES.prometheus;
      this.metrics.write(response.prometheus);
    } else this.#config(request, response, json);
  }

  #writer(response: Response): JsonWriter {
    return response.json.reset();
  }

  #error(response: Response, status: number, message: string): void {
    response.status = status;
    this.#writer(response).beginObject().key(K.error).text(message).endObject();
  }

  #readings(json: JsonWriter): void {
    const out = json.value().raw(F.uptimeMs).jsonNumber(this.clock.nowMs() - this.gateway.boot.bootAtMs, 0).raw(F.sensors);
    const sensors = this.gateway.sensors;
    for (let i = 0; i < sensors.length; i++) {
      const sensor = sensors[i];
      if (sensor === undefined) continue;
      if (i > 0) out.byte(44);
      out.byte(34).raw(sensor.nameBytes).byte(34).byte(58);
      this.#sensor(out, sensor);
    }
    out.byte(125).byte(125);
  }

  #reading(request: HttpRequest, response: Response, json: JsonWriter): void {
    const sensor = this.gateway.sensorNamed(request.bytes, this.router.paramStart, this.router.paramLength);
    if (sensor === undefined) return this.#error(response, 404, NO_SENSOR);
    this.#sensor(json.value(), sensor);
  }

  /**
   * One sensor's object, the same bytes JsonWriter would write: each run of constant text between two numbers
   * (keys, quotes, colons, commas, braces) is one pre-encoded fragment written with one call.
   */
  #sensor(out: ByteWriter, sensor: Gateway["sensors"][number]): void {
    const now = this.clock.nowMs();
    const stats = this.#stats;
    out.raw(F.produced).jsonNumber(sensor.produced, 0).raw(F.delivered).jsonNumber(sensor.delivered, 0)
      .raw(F.dropped).jsonNumber(sensor.droppedTotal, 0);
    const readings = sensor.readings;
    for (let r = 0; r < readings.length; r++) {
      const reading = readings[r];
      if (reading === undefined) continue;
      const window = reading.window;
      out.byte(44).byte(34).raw(reading.key).raw(F.latest).jsonNumber(window.latest, 3).raw(F.samples).jsonNumber(window.samples, 0);
      window.over(10, now, stats);
      out.raw(F.min10s).jsonNumber(stats.min, 3).raw(F.max10s).jsonNumber(stats.max, 3).raw(F.mean10s).jsonNumber(stats.mean, 3);
      window.over(60, now, stats);
      out.raw(F.min60s).jsonNumber(stats.min, 3).raw(F.max60s).jsonNumber(stats.max, 3).raw(F.mean60s).jsonNumber(stats.mean, 3);
      out.byte(125);
    }
    out.byte(125);
  }

  /** ok, or degraded with every reason: a sensor that did not start or stopped delivering, a watchdog that gave up. */
  #health(json: JsonWriter): void {
    const gateway = this.gateway;
    const now = this.clock.nowMs();
    const healthy = gateway.healthy(now);
    json.beginObject().key(K.status).string(healthy ? K.ok : K.degraded).key(K.uptimeMs).number(now - gateway.boot.bootAtMs, 0)
      .key(K.firstSampleMs).number(gateway.boot.firstSampleMs, 0).key(K.reasons).beginArray();
    if (!healthy) {
      for (let i = 0; i < gateway.startFailures.length; i++) json.text(gateway.startFailures[i] ?? "");
      for (let i = 0; i < gateway.sensors.length; i++) {
        const sensor = gateway.sensors[i];
        if (sensor !== undefined && sensor.stalled(now)) json.text(sensor.stalledReason);
      }
      if (gateway.watchdog.gaveUp > 0) json.text(WATCHDOG_GAVE_UP);
      if (gateway.sensors.length === 0) json.text(NO_SENSORS);
    }
    json.endArray().endObject();
  }

  #config(request: HttpRequest, response: Response, json: JsonWriter): void {
    const outcome = this.applyConfig(request.bytes, request.tokenStart, request.tokenLength, request.bodyStart, request.contentLength);
    if (outcome === ConfigOutcome.disabled) return this.#error(response, 403, CONFIG_DISABLED);
    if (outcome === ConfigOutcome.unauthorized) {
      response.challenge = true;
      return this.#error(response, 401, UNAUTHORIZED);
    }
    if (outcome === ConfigOutcome.invalid) { // a message built for this request (a rare, authenticated bad request)
      response.status = 400;
      json.beginObject().key(K.error).text(this.lastConfigError).endObject();
      return;
    }
    json.beginObject().key(K.applied).bool(true).endObject();
  }

  /**
   * The config rules shared by POST /v1/config and the MQTT config topic: the token (tokenStart < 0: none given),
   * then the body's validated settings. An invalid body leaves its reason in `lastConfigError`.
   */
  applyConfig(bytes: Uint8Array, tokenStart: number, tokenLength: number, bodyStart: number, bodyLength: number): number {
    if (this.#token.length === 0) return ConfigOutcome.disabled;
    if (tokenStart < 0 || !constantTimeEqual(bytes, tokenStart, tokenLength, this.#token)) {
      this.metrics.unauthorized++;
      return ConfigOutcome.unauthorized;
    }
    const result = readConfigBody(bytes, bodyStart, bodyLength);
    if (typeof result === "string") {
      this.lastConfigError = result;
      return ConfigOutcome.invalid;
    }
    this.gateway.apply(result);
    return ConfigOutcome.applied;
  }

  /** One sensor's readings as GET /v1/readings/<sensor> writes them (also the MQTT readings payload). */
  writeSensor(json: JsonWriter, sensor: Gateway["sensors"][number]): void {
    this.#sensor(json.value(), sensor);
  }

  /** The health document as GET /healthz writes it. */
  writeHealth(json: JsonWriter): void {
    this.#health(json);
  }
}

export { SAMPLE_STATUS_NAMES };
