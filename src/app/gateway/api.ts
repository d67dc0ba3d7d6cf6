/**
 * The gateway's HTTP API over the host-neutral HTTP core: readings, health, Prometheus metrics, and token-protected
 * settings (GET and POST /v1/config). Responses are written straight into the caller's buffer; the GET paths of
 * readings, health and metrics allocate nothing.
 */
// Modules, not barrels: a device loads every module a barrel names, and each costs memory there.
import { ascii, constantTimeEqual } from "../../net/ascii.js";
import type { RequestHandler } from "../../net/connections.js";
import { CONTENT_TYPES, RouteMatch, Router, type Response } from "../../net/http.js";
import { Method, type HttpRequest } from "../../net/request.js";
import type { JsonWriter } from "../../net/writer.js";
import { SAMPLE_STATUS_NAMES } from "../../drivers/common/errors.js";
import { ConfigChanges, readConfigBody } from "./config-body.js";
import type { GatewayDocuments } from "./documents.js";
import type { Gateway } from "./gateway.js";
import type { Metrics } from "./metrics.js";

/** What a config request came to. */
export const ConfigOutcome = Object.freeze({ applied: 0, disabled: 1, unauthorized: 2, invalid: 3 });

const ROUTE = Object.freeze({ readings: 1, reading: 2, health: 3, metrics: 4, config: 5, settings: 6, reset: 7 });
const K = Object.freeze({ error: ascii("error"), applied: ascii("applied"), reset: ascii("reset") });
const NOT_FOUND = "no such route; try /v1/readings, /healthz or /metrics";
const NO_SENSOR = "no such sensor; GET /v1/readings lists them";
const NOT_ALLOWED = "method not allowed on this route";
const UNAUTHORIZED = "a valid bearer token is required";
const CONFIG_DISABLED = "config is disabled: no API token was set (mcconfig ... apiToken=<8 or more characters>)";

/** What config requests came to, counted where the composition root can hand them to the metrics. */
export class ConfigCounters {
  applied = 0;
  /** Without the right token (HTTP and MQTT alike). */
  unauthorized = 0;
  invalid = 0;
}

export interface GatewayApiOptions {
  readonly gateway: Gateway;
  readonly documents: GatewayDocuments;
  readonly metrics: Metrics;
  readonly counters: ConfigCounters;
  /** Where a factory reset goes (the settings keeper, which also writes it); without one the gateway's settings reset. */
  readonly settings?: { reset(): void };
  /**
   * The bearer token POST /v1/config requires, set at build or config time: at least 8 characters, or empty to
   * disable config (every POST /v1/config is then answered 403).
   */
  readonly apiToken: string;
}

export class GatewayApi implements RequestHandler {
  readonly router = new Router()
    .add(Method.get, "/v1/readings", ROUTE.readings).add(Method.get, "/v1/readings/", ROUTE.reading, true)
    .add(Method.get, "/healthz", ROUTE.health).add(Method.get, "/metrics", ROUTE.metrics)
    .add(Method.post, "/v1/config", ROUTE.config).add(Method.get, "/v1/config", ROUTE.settings)
    .add(Method.post, "/v1/config/reset", ROUTE.reset);
  readonly gateway: Gateway;
  readonly documents: GatewayDocuments;
  readonly metrics: Metrics;
  readonly counters: ConfigCounters;
  readonly #token: Uint8Array;
  readonly #changes: ConfigChanges;
  readonly #reset: { reset(): void } | undefined;
  /** Why the last config body was refused. */
  lastConfigError = "";

  constructor(options: GatewayApiOptions) {
    if (options.apiToken.length > 0 && options.apiToken.length < 8) {
      throw new RangeError("the API token must have at least 8 characters, or be empty to disable config");
    }
    this.gateway = options.gateway;
    this.documents = options.documents;
    this.metrics = options.metrics;
    this.counters = options.counters;
    this.#token = ascii(options.apiToken);
    this.#changes = new ConfigChanges(options.gateway.channels);
    this.#reset = options.settings;
  }

  /** Answers a parsed request into `response` (begun on an output buffer). */
  handle(request: HttpRequest, response: Response): void {
    const json = response.json.reset();
    response.headOnly = request.method === Method.head;
    const route = this.router.match(request);
    if (route === RouteMatch.notFound) return this.#error(response, 404, NOT_FOUND);
    if (route === RouteMatch.methodNotAllowed) {
      response.allow = this.router.allowed;
      return this.#error(response, 405, NOT_ALLOWED);
    }
    if (route === ROUTE.readings) this.documents.readings(json.value());
    else if (route === ROUTE.reading) {
      const channel = this.gateway.channelNamed(request.bytes, this.router.paramStart, this.router.paramLength);
      if (channel === undefined) return this.#error(response, 404, NO_SENSOR);
      this.documents.sensor(json.value(), channel);
    } else if (route === ROUTE.health) this.documents.health(json);
    else if (route === ROUTE.metrics) {
      response.contentType = CONTENT_TYPES.prometheus;
      this.metrics.write(response.prometheus);
    } else if (route === ROUTE.settings) this.#settings(request, response, json);
    else if (route === ROUTE.reset) this.#factoryReset(request, response, json);
    else this.#config(request, response, json);
  }

  /** Expect: 100-continue — the answer from the head alone where it decides (no route, no or a wrong token). */
  answerHead(request: HttpRequest, response: Response): boolean {
    const route = this.router.match(request);
    if (route === RouteMatch.notFound || route === RouteMatch.methodNotAllowed) {
      this.handle(request, response);
      return true;
    }
    if (route !== ROUTE.config && route !== ROUTE.reset) return false;
    return this.#refuse(response, this.#refusal(request.bytes, request.tokenStart, request.tokenLength));
  }

  #error(response: Response, status: number, message: string): void {
    response.status = status;
    response.json.reset().beginObject().key(K.error).text(message).endObject();
  }

  /** 403 (config disabled) or 401 (no or a wrong token), or 0 when the request may go on. */
  #refusal(bytes: Uint8Array, tokenStart: number, tokenLength: number): number {
    if (this.#token.length === 0) return ConfigOutcome.disabled;
    if (tokenStart < 0 || !constantTimeEqual(bytes, tokenStart, tokenLength, this.#token)) {
      this.counters.unauthorized++;
      return ConfigOutcome.unauthorized;
    }
    return ConfigOutcome.applied;
  }

  #refuse(response: Response, outcome: number): boolean {
    if (outcome === ConfigOutcome.disabled) this.#error(response, 403, CONFIG_DISABLED);
    else if (outcome === ConfigOutcome.unauthorized) {
      response.challenge = true;
      this.#error(response, 401, UNAUTHORIZED);
    } else return false;
    return true;
  }

  #settings(request: HttpRequest, response: Response, json: JsonWriter): void {
    if (this.#refuse(response, this.#refusal(request.bytes, request.tokenStart, request.tokenLength))) return;
    this.documents.settings(json);
  }

  /** POST /v1/config/reset: every setting back to the declaration's (and written, with a keeper). */
  #factoryReset(request: HttpRequest, response: Response, json: JsonWriter): void {
    if (this.#refuse(response, this.resetSettings(request.bytes, request.tokenStart, request.tokenLength))) return;
    json.beginObject().key(K.reset).bool(true).endObject();
  }

  /** A factory reset under the config token (HTTP, MQTT or a console); the ConfigOutcome. */
  resetSettings(bytes: Uint8Array, tokenStart: number, tokenLength: number): number {
    const refusal = this.#refusal(bytes, tokenStart, tokenLength);
    if (refusal !== ConfigOutcome.applied) return refusal;
    if (this.#reset !== undefined) this.#reset.reset();
    else this.gateway.resetSettings();
    this.counters.applied++;
    return ConfigOutcome.applied;
  }

  #config(request: HttpRequest, response: Response, json: JsonWriter): void {
    const outcome = this.applyConfig(request.bytes, request.tokenStart, request.tokenLength, request.bodyStart, request.contentLength);
    if (this.#refuse(response, outcome)) return;
    if (outcome === ConfigOutcome.invalid) { // a message built for this request (a rare, authenticated bad request)
      response.status = 400;
      json.beginObject().key(K.error).text(this.lastConfigError).endObject();
      return;
    }
    json.beginObject().key(K.applied).bool(true).endObject();
  }

  /**
   * The config rules shared by POST /v1/config and the MQTT config topic: the token (tokenStart < 0: none given),
   * then the body's validated settings, applied whole or not at all. An invalid body leaves its reason in
   * `lastConfigError`.
   */
  applyConfig(bytes: Uint8Array, tokenStart: number, tokenLength: number, bodyStart: number, bodyLength: number): number {
    const refusal = this.#refusal(bytes, tokenStart, tokenLength);
    if (refusal !== ConfigOutcome.applied) return refusal;
    const problem = readConfigBody(bytes, bodyStart, bodyLength, this.#changes);
    if (problem !== undefined) {
      this.counters.invalid++;
      this.lastConfigError = problem;
      return ConfigOutcome.invalid;
    }
    this.gateway.apply(this.#changes);
    this.counters.applied++;
    return ConfigOutcome.applied;
  }
}

export { SAMPLE_STATUS_NAMES };
