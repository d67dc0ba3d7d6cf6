/**
 * Routing and response framing. The body is written first, after room left for the head; finish() then writes the
 * status line and headers (with the body's exact Content-Length) and moves the body up behind them — in place.
 */
import { ascii, bytesEqual } from "./ascii.js";
import { Method, type HttpRequest } from "./request.js";
import { ByteWriter, JsonWriter, PrometheusWriter } from "./writer.js";

export const RouteMatch = Object.freeze({ notFound: -1, methodNotAllowed: -2 });

interface Route {
  readonly method: number;
  readonly path: Uint8Array;
  readonly prefix: boolean;
  readonly id: number;
}

export class Router {
  readonly #routes: Route[] = [];
  /** The parameter after a prefix route's path (e.g. the sensor of /v1/readings/<sensor>). */
  paramStart = 0;
  paramLength = 0;
  /** Methods the last path matched with (for Allow on a 405), as a Method bit set. */
  allowed = 0;

  /** `path` ending in "/" with `prefix` matches one more path segment, returned as the parameter. */
  add(method: number, path: string, id: number, prefix = false): this {
    this.#routes.push({ method, path: ascii(path), prefix, id });
    return this;
  }

  match(request: HttpRequest): number {
    const bytes = request.bytes;
    this.allowed = 0;
    for (let i = 0; i < this.#routes.length; i++) {
      const route = this.#routes[i];
      if (route === undefined || !this.#pathMatches(route, bytes, request.pathStart, request.pathLength)) continue;
      this.allowed |= 1 << route.method;
      if (route.method === request.method || (route.method === Method.get && request.method === Method.head)) return route.id;
    }
    return this.allowed === 0 ? RouteMatch.notFound : RouteMatch.methodNotAllowed;
  }

  #pathMatches(route: Route, bytes: Uint8Array, start: number, length: number): boolean {
    const path = route.path;
    if (!route.prefix) return bytesEqual(bytes, start, length, path);
    if (length <= path.length || !bytesEqual(bytes, start, path.length, path)) return false;
    for (let i = start + path.length; i < start + length; i++) if (bytes[i] === 47) return false; // one segment only
    this.paramStart = start + path.length;
    this.paramLength = length - path.length;
    return true;
  }
}

const REASONS: Readonly<Record<number, Uint8Array>> = Object.freeze({
  200: ascii("200 OK"), 204: ascii("204 No Content"), 400: ascii("400 Bad Request"), 401: ascii("401 Unauthorized"),
  403: ascii("403 Forbidden"),
  404: ascii("404 Not Found"), 405: ascii("405 Method Not Allowed"), 408: ascii("408 Request Timeout"),
  411: ascii("411 Length Required"), 413: ascii("413 Content Too Large"), 417: ascii("417 Expectation Failed"), 414: ascii("414 URI Too Long"), 431: ascii("431 Request Header Fields Too Large"),
  500: ascii("500 Internal Server Error"), 501: ascii("501 Not Implemented"), 503: ascii("503 Service Unavailable"),
});
const HTTP11 = ascii("HTTP/1.1 ");
const CRLF = ascii("\r\n");
const CONTENT_TYPE = ascii("Content-Type: ");
const CONTENT_LENGTH = ascii("Content-Length: ");
const CLOSE = ascii("Connection: close\r\n");
const RETRY_AFTER = ascii("Retry-After: ");
const ALLOW = ascii("Allow: ");
const AUTHENTICATE = ascii("WWW-Authenticate: Bearer\r\n");
const METHOD_NAMES = Object.freeze([ascii(""), ascii("GET, HEAD"), ascii(""), ascii("POST"), ascii("PUT"), ascii("DELETE")]);
export const CONTENT_TYPES = Object.freeze({
  json: ascii("application/json"), text: ascii("text/plain; charset=utf-8"), prometheus: ascii("text/plain; version=0.0.4; charset=utf-8"),
});

/** Room left before the body for the status line and headers. */
export const HEAD_ROOM = 256;

export class Response {
  readonly body = new ByteWriter();
  /** Writers over the body, made once per response: a writer made per request would allocate. */
  readonly json = new JsonWriter(this.body);
  readonly prometheus = new PrometheusWriter(this.body);
  readonly #head = new ByteWriter();
  status = 200;
  contentType: Uint8Array = CONTENT_TYPES.json;
  retryAfterS = -1;
  /** Method bit set for Allow (405). */
  allow = 0;
  challenge = false;
  headOnly = false;

  /** Starts a response in `bytes`: the body goes after HEAD_ROOM. */
  begin(bytes: Uint8Array): this {
    this.body.reset(bytes, HEAD_ROOM, bytes.length);
    this.status = 200;
    this.contentType = CONTENT_TYPES.json;
    this.retryAfterS = -1;
    this.allow = 0;
    this.challenge = false;
    this.headOnly = false;
    return this;
  }

  /** Writes the head, moves the body behind it; returns the response's length from byte 0, or -1 on overflow. */
  finish(): number {
    const bytes = this.body.bytes;
    const bodyLength = this.headOnly ? 0 : this.body.position - HEAD_ROOM;
    const head = this.#head.reset(bytes, 0, HEAD_ROOM);
    head.raw(HTTP11).raw(REASONS[this.status] ?? REASONS[500] ?? HTTP11).raw(CRLF);
    head.raw(CONTENT_TYPE).raw(this.contentType).raw(CRLF);
    head.raw(CONTENT_LENGTH).integer(this.body.position - HEAD_ROOM).raw(CRLF).raw(CLOSE);
    if (this.retryAfterS >= 0) head.raw(RETRY_AFTER).integer(this.retryAfterS).raw(CRLF);
    if (this.allow !== 0) this.#writeAllow(head);
    if (this.challenge) head.raw(AUTHENTICATE);
    head.raw(CRLF);
    if (head.overflowed || this.body.overflowed) return -1;
    bytes.copyWithin(head.position, HEAD_ROOM, HEAD_ROOM + bodyLength);
    return head.position + bodyLength;
  }

  #writeAllow(head: ByteWriter): void {
    head.raw(ALLOW);
    let first = true;
    for (let method = 1; method < METHOD_NAMES.length; method++) {
      if ((this.allow & (1 << method)) === 0 || (METHOD_NAMES[method]?.length ?? 0) === 0) continue;
      if (!first) head.byte(44).byte(32);
      head.raw(METHOD_NAMES[method] ?? CRLF);
      first = false;
    }
    head.raw(CRLF);
  }
}
