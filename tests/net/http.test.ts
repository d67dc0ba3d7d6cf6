import {
  ascii, asText, ByteWriter, constantTimeEqual, HttpRequest, JsonWriter, Method, ParseResult, parseRequest,
  PrometheusWriter, Response, RouteMatch, Router, CONTENT_TYPES,
} from "../../src/net/index.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

function load(text: string, size = 2048): { request: HttpRequest; length: number } {
  const bytes = new Uint8Array(size);
  bytes.set(ascii(text));
  return { request: new HttpRequest().reset(bytes), length: text.length };
}

function parse(text: string): HttpRequest {
  const { request, length } = load(text);
  parseRequest(request, length);
  return request;
}

describe("HTTP request parser", () => {
  it("parses a GET across chunk boundaries, incomplete until the blank line", () => {
    const text = "GET /v1/readings?x=1 HTTP/1.1\r\nHost: device\r\nAuthorization: Bearer s3cret\r\n\r\n";
    const bytes = new Uint8Array(512);
    bytes.set(ascii(text));
    const request = new HttpRequest().reset(bytes);
    for (let cut = 1; cut < text.length; cut++) assert.equal(parseRequest(request.reset(bytes), cut), ParseResult.incomplete, `cut at ${cut}`);
    assert.equal(parseRequest(request.reset(bytes), text.length), ParseResult.complete);
    assert.equal(request.method, Method.get);
    assert.equal(asText(bytes, request.pathStart, request.pathLength), "/v1/readings");
    assert.equal(asText(bytes, request.tokenStart, request.tokenLength), "s3cret");
  });

  it("waits for the whole body of a POST", () => {
    const text = "POST /v1/config HTTP/1.1\r\nHost: stillheap\r\nContent-Length: 10\r\n\r\n{\"a\":1234}";
    const { request } = load(text);
    assert.equal(parseRequest(request, text.length - 1), ParseResult.incomplete);
    assert.equal(parseRequest(request, text.length), ParseResult.complete);
    assert.equal(asText(request.bytes, request.bodyStart, request.contentLength), "{\"a\":1234}");
  });

  it("answers each limit and malformation with its status", () => {
    const statusOf = (text: string): number => parse(text).errorStatus;
    assert.equal(statusOf("GARBAGE\r\n\r\n"), 400);
    assert.equal(statusOf("GET /x FTP/1.0\r\n\r\n"), 400);
    assert.equal(statusOf("GET /x HTTP/1.1\r\nHost: stillheap\r\nno colon here\r\n\r\n"), 400);
    assert.equal(statusOf("POST /x HTTP/1.1\r\nHost: stillheap\r\nTransfer-Encoding: chunked\r\n\r\n"), 411);
    assert.equal(statusOf(`GET /${"a".repeat(400)} HTTP/1.1\r\nHost: stillheap\r\n\r\n`), 414);
    assert.equal(statusOf(`GET /x HTTP/1.1\r\nHost: stillheap\r\nX-Big: ${"b".repeat(1100)}\r\n\r\n`), 431);
    assert.equal(statusOf("POST /x HTTP/1.1\r\nHost: stillheap\r\nContent-Length: 100000\r\n\r\n"), 413);
  });
});

describe("router", () => {
  const router = new Router().add(Method.get, "/v1/readings", 1).add(Method.get, "/v1/readings/", 2, true).add(Method.post, "/v1/config", 3);

  it("matches exact paths and one-segment parameters", () => {
    assert.equal(router.match(parse("GET /v1/readings HTTP/1.1\r\nHost: stillheap\r\n\r\n")), 1);
    const request = parse("GET /v1/readings/sht3x HTTP/1.1\r\nHost: stillheap\r\n\r\n");
    assert.equal(router.match(request), 2);
    assert.equal(asText(request.bytes, router.paramStart, router.paramLength), "sht3x");
    assert.equal(router.match(parse("HEAD /v1/readings HTTP/1.1\r\nHost: stillheap\r\n\r\n")), 1, "HEAD is served as GET");
  });

  it("tells not found from method not allowed", () => {
    assert.equal(router.match(parse("GET /v2 HTTP/1.1\r\nHost: stillheap\r\n\r\n")), RouteMatch.notFound);
    assert.equal(router.match(parse("GET /v1/readings/a/b HTTP/1.1\r\nHost: stillheap\r\n\r\n")), RouteMatch.notFound);
    assert.equal(router.match(parse("DELETE /v1/config HTTP/1.1\r\nHost: stillheap\r\n\r\n")), RouteMatch.methodNotAllowed);
    assert.equal(router.allowed, 1 << Method.post);
  });
});

describe("writers", () => {
  const text = (body: (out: ByteWriter) => void): string => {
    const out = new ByteWriter().reset(new Uint8Array(256));
    body(out);
    return asText(out.bytes, 0, out.position);
  };

  it("format numbers digit by digit", () => {
    assert.equal(text((o) => o.integer(0)), "0");
    assert.equal(text((o) => o.integer(-42)), "-42");
    assert.equal(text((o) => o.integer(9007199254740991)), "9007199254740991");
    assert.equal(text((o) => o.fixed(21.456, 2)), "21.46");
    assert.equal(text((o) => o.fixed(-0.004, 2)), "0.00");
    assert.equal(text((o) => o.fixed(-3.5, 1)), "-3.5");
    assert.equal(text((o) => o.fixed(101325.27, 1)), "101325.3");
  });

  it("write JSON numbers at the edges: signs, zero, rounding, not finite, past 2^31", () => {
    const json = (value: number, decimals: number): string => text((o) => o.jsonNumber(value, decimals));
    assert.equal(json(0, 3), "0.000");
    assert.equal(json(-0, 3), "0.000");
    assert.equal(json(-0.0004, 3), "0.000", "rounds to zero: no minus sign");
    assert.equal(json(-0.0006, 3), "-0.001");
    assert.equal(json(0.0005, 3), "0.001", "a tie rounds up, as Math.round");
    assert.equal(json(-0.0005, 3), "0.000", "a negative tie rounds toward +∞, as Math.round");
    assert.equal(json(-2.5, 0), "-2");
    assert.equal(json(0.005, 3), "0.005", "zero-padded after the point");
    assert.equal(json(-21.4999, 3), "-21.500");
    assert.equal(json(Number.NaN, 3), "null");
    assert.equal(json(Infinity, 0), "null");
    assert.equal(json(-Infinity, 3), "null");
    assert.equal(json(2147483.647, 3), "2147483.647", "the largest scaled value on the integer path");
    assert.equal(json(2147483.648, 3), "2147483.648", "the first on the floating-point path");
    assert.equal(json(-2147483648, 0), "-2147483648");
    assert.equal(json(101324.951, 3), "101324.951");
    assert.equal(json(123456789012.5, 1), "123456789012.5");
  });

  it("write every number as Math.round at its decimals would, on either path", () => {
    let seed = 12345;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 2000; i++) {
      const decimals = i % 7;
      const value = (random() - 0.5) * 10 ** Math.floor(random() * (11 - decimals)); // scaled stays below 2^53
      const power = 10 ** decimals;
      const expected = (Math.round(value * power) / power).toFixed(decimals);
      assert.equal(text((o) => o.jsonNumber(value, decimals)), expected, `${value} at ${decimals} decimals`);
    }
  });

  it("refuse a number that does not fit whole, writing none of it", () => {
    const out = new ByteWriter().reset(new Uint8Array(8), 0, 5);
    out.jsonNumber(-1.5, 3);
    assert.ok(out.overflowed);
    assert.equal(out.position, 0);
    const fits = new ByteWriter().reset(new Uint8Array(8), 0, 6).jsonNumber(-1.5, 3);
    assert.equal(asText(fits.bytes, 0, fits.position), "-1.500");
    assert.ok(!fits.overflowed);
  });

  it("write JSON byte for byte, with null for NaN and escapes", () => {
    const out = new ByteWriter().reset(new Uint8Array(256));
    new JsonWriter(out).beginObject().key(ascii("t")).number(21.5, 2).key(ascii("ok")).bool(true).key(ascii("bad")).number(Number.NaN)
      .key(ascii("s")).string(ascii("a\"b\\c\n")).key(ascii("list")).beginArray().number(1, 0).number(2, 0).endArray().endObject();
    assert.equal(asText(out.bytes, 0, out.position), "{\"t\":21.50,\"ok\":true,\"bad\":null,\"s\":\"a\\\"b\\\\c\\u000a\",\"list\":[1,2]}");
  });

  it("write Prometheus text exposition", () => {
    const out = new ByteWriter().reset(new Uint8Array(256));
    new PrometheusWriter(out).family(ascii("stillheap_samples_total"), ascii("counter"), ascii("Samples taken."))
      .sample(ascii("stillheap_samples_total"), 12, ascii("sensor"), ascii("sht3x")).sample(ascii("stillheap_uptime_seconds"), 1.5, undefined, undefined, 1);
    assert.equal(asText(out.bytes, 0, out.position), "# HELP stillheap_samples_total Samples taken.\n# TYPE stillheap_samples_total counter\n" +
      "stillheap_samples_total{sensor=\"sht3x\"} 12\nstillheap_uptime_seconds 1.5\n");
  });

  it("report overflow instead of truncating", () => {
    const out = new ByteWriter().reset(new Uint8Array(4));
    out.raw(ascii("abcdef"));
    assert.ok(out.overflowed);
    const response = new Response().begin(new Uint8Array(HEAD_ROOM_PLUS(8)));
    response.body.raw(ascii("0123456789"));
    assert.equal(response.finish(), -1);
  });
});

function HEAD_ROOM_PLUS(n: number): number {
  return 256 + n;
}

describe("response framing and token check", () => {
  it("writes status line, headers and body with its exact length", () => {
    const response = new Response().begin(new Uint8Array(1024));
    response.status = 503;
    response.retryAfterS = 2;
    response.contentType = CONTENT_TYPES.text;
    response.body.raw(ascii("busy\n"));
    const length = response.finish();
    assert.equal(asText(response.body.bytes, 0, length), "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n" +
      "Content-Length: 5\r\nConnection: close\r\nRetry-After: 2\r\n\r\nbusy\n");
  });

  it("compares tokens in constant time and correctly", () => {
    const secret = ascii("s3cret-token");
    const bytes = ascii("xxs3cret-tokenxx");
    assert.ok(constantTimeEqual(bytes, 2, 12, secret));
    assert.equal(constantTimeEqual(bytes, 2, 11, secret), false);
    assert.equal(constantTimeEqual(bytes, 1, 12, secret), false);
    assert.equal(constantTimeEqual(ascii("s3cret-tokeX"), 0, 12, secret), false);
    assert.equal(constantTimeEqual(ascii(""), 0, 0, secret), false);
  });

  it("parses, routes and writes a JSON response without allocating", function () {
    const requestText = ascii("GET /v1/readings/sht3x HTTP/1.1\r\nHost: device\r\nAuthorization: Bearer abc\r\n\r\n");
    const input = new Uint8Array(512);
    input.set(requestText);
    const request = new HttpRequest();
    const router = new Router().add(Method.get, "/v1/readings/", 2, true);
    const response = new Response();
    const output = new Uint8Array(1024);
    const json = new JsonWriter(response.body);
    const key = ascii("temperatureC");
    let total = 0;
    expectNoAllocation(this, (i) => {
      parseRequest(request.reset(input), requestText.length);
      const route = router.match(request);
      response.begin(output);
      json.reset().beginObject().key(key).number(20 + (i % 100) / 10, 2).key(key).string(input, router.paramStart, router.paramLength).endObject();
      total += response.finish() + route;
    }, { iterations: 2000 });
    assert.ok(total > 0);
  });
});
