/** stillheap/net: host-neutral HTTP — request in, response out, over caller-owned byte buffers. */
export { ascii, asText, bytesEqual, bytesEqualIgnoringCase, constantTimeEqual } from "./ascii.js";
export { HttpRequest, Method, ParseResult, parseRequest, DEFAULT_LIMITS, type HttpLimits } from "./request.js";
export { ByteWriter, JsonWriter, PrometheusWriter } from "./writer.js";
export { Router, RouteMatch, Response, CONTENT_TYPES, HEAD_ROOM } from "./http.js";
export { ConnectionService, ConnectionCounters, type ConnectionServiceOptions, type RequestHandler, type ResponseSink, type SimulatedWork } from "./connections.js";
