/**
 * The request parser against RFC 9112 and RFC 9110's MUST-level rules, each case with the section it comes from, and
 * its resumption: a request fed in pieces comes to the same verdict and fields as fed whole.
 */
import { asText, HttpRequest, Method, ParseResult, parseRequest } from "../../src/net/index.js";
import * as assert from "../support/assert.js";

function latin1(text: string): Uint8Array {
  const bytes = new Uint8Array(2048);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

function parse(text: string): HttpRequest {
  const request = new HttpRequest().reset(latin1(text));
  parseRequest(request, text.length);
  return request;
}

/** The status a request is refused with, 0 if complete, -1 if still incomplete. */
function statusOf(text: string): number {
  const request = new HttpRequest().reset(latin1(text));
  const result = parseRequest(request, text.length);
  return result === ParseResult.complete ? 0 : result === ParseResult.error ? request.errorStatus : -1;
}

const H = "Host: device\r\n";

describe("HTTP request parser per RFC 9112", () => {
  const cases: ReadonlyArray<readonly [string, string, number]> = [
    ["§3.2: an HTTP/1.1 request without Host is 400", "GET /healthz HTTP/1.1\r\n\r\n", 400],
    ["§3.2: two Host lines are 400", `GET /healthz HTTP/1.1\r\n${H}${H}\r\n`, 400],
    ["§3.2: two Host lines are 400 in HTTP/1.0 too", `GET /healthz HTTP/1.0\r\n${H}${H}\r\n`, 400],
    ["§3.2: an invalid Host value is 400", "GET /healthz HTTP/1.1\r\nHost: a b/c\r\n\r\n", 400],
    ["§3.2: a Host with a bad port is 400", "GET /healthz HTTP/1.1\r\nHost: device:8x\r\n\r\n", 400],
    ["§3.2: an empty Host is valid", "GET /healthz HTTP/1.1\r\nHost:\r\n\r\n", 0],
    ["§3.2: an IPv6 literal with a port is a valid Host", "GET /healthz HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", 0],
    ["§3.2: HTTP/1.0 needs no Host", "GET /healthz HTTP/1.0\r\n\r\n", 0],
    ["§3.2.2: absolute-form is accepted", `GET http://127.0.0.1/healthz HTTP/1.1\r\n${H}\r\n`, 0],
    ["§3.2.2: absolute-form with a port and query", `GET HTTP://127.0.0.1:8080/healthz?x=1 HTTP/1.1\r\n${H}\r\n`, 0],
    ["§3.2.2: an absolute-form without a host is 400", `GET http:///healthz HTTP/1.1\r\n${H}\r\n`, 400],
    ["§3.2: a target in neither origin- nor absolute-form is 400", `GET healthz HTTP/1.1\r\n${H}\r\n`, 400],
    ["§3.2: a fragment (#) is not part of a request-target", `GET /healthz#x HTTP/1.1\r\n${H}\r\n`, 400],
    ["§3.2: a malformed percent escape is 400", `GET /health%zz HTTP/1.1\r\n${H}\r\n`, 400],
    ["§3.2: a well-formed percent escape is accepted", `GET /health%7A HTTP/1.1\r\n${H}\r\n`, 0],
    ["§3.2: a non-ASCII byte in the target is 400", `GET /h\u00e9 HTTP/1.1\r\n${H}\r\n`, 400],
    ["§2.2: an empty line before the request line is ignored", `\r\nGET /healthz HTTP/1.1\r\n${H}\r\n`, 0],
    ["§2.2: two empty lines before the request line are ignored", `\r\n\r\nGET /healthz HTTP/1.1\r\n${H}\r\n`, 0],
    ["§2.2: a bare LF before the request line is still 400", `\nGET /healthz HTTP/1.1\r\n${H}\r\n`, 400],
    ["RFC 9110 §9.1: an unknown method is 501", `PATCH /healthz HTTP/1.1\r\n${H}\r\n`, 501],
    ["RFC 9110 §9.1: OPTIONS * is 501", `OPTIONS * HTTP/1.1\r\n${H}\r\n`, 501],
    ["RFC 9110 §9.1: CONNECT host:port is 501", `CONNECT device:443 HTTP/1.1\r\n${H}\r\n`, 501],
    ["§3.1: a method that is not a token is 400", `G(E)T /healthz HTTP/1.1\r\n${H}\r\n`, 400],
    ["§3.1: methods are case-sensitive (get is not GET)", `get /healthz HTTP/1.1\r\n${H}\r\n`, 501],
    ["§6.3: a Content-Length over the body limit is 413, however many digits", `POST /v1/config HTTP/1.1\r\n${H}Content-Length: 99999999999\r\n\r\n`, 413],
    ["§6.3: a Content-Length of 40 digits is 413", `POST /v1/config HTTP/1.1\r\n${H}Content-Length: ${"9".repeat(40)}\r\n\r\n`, 413],
    ["§6.3: a huge Content-Length beside a small one is 400 (conflict)", `POST /v1/config HTTP/1.1\r\n${H}Content-Length: 2\r\nContent-Length: 99999999999\r\n\r\n{}`, 400],
    ["§6.3: an empty Content-Length is 400", `POST /v1/config HTTP/1.1\r\n${H}Content-Length:\r\n\r\n`, 400],
    ["§6.3: chunked is refused with 411 (send Content-Length)", `POST /v1/config HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`, 411],
    ["§6.3: chunked in any case is 411", `POST /v1/config HTTP/1.1\r\n${H}Transfer-Encoding: CHUNKED\r\n\r\n`, 411],
    ["§6.1: Transfer-Encoding gzip is 501", `POST /v1/config HTTP/1.1\r\n${H}Transfer-Encoding: gzip\r\n\r\n`, 501],
    ["§6.1: gzip, chunked is 501", `POST /v1/config HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n\r\n`, 501],
    ["§6.3: chunked twice is 400", `POST /v1/config HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n`, 400],
    ["§6.3: Transfer-Encoding with Content-Length is 400", `POST /v1/config HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}`, 400],
    ["§6.1: Transfer-Encoding in HTTP/1.0 is 400", "POST /v1/config HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400],
    ["§6.1: a malformed coding list is 400", `POST /v1/config HTTP/1.1\r\n${H}Transfer-Encoding: chun\"ked\r\n\r\n`, 400],
    ["RFC 9110 §11.6.2: two Authorization headers are 400", `GET /v1/config HTTP/1.1\r\n${H}Authorization: Bearer a\r\nAuthorization: Bearer b\r\n\r\n`, 400],
    ["RFC 9110 §10.1.1: an unknown expectation is 417", `POST /v1/config HTTP/1.1\r\n${H}Expect: 200-ok\r\nContent-Length: 2\r\n\r\n{}`, 417],
    ["RFC 9110 §10.1.1: Expect in HTTP/1.0 is ignored", "POST /v1/config HTTP/1.0\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n{}", 0],
    ["kept: obs-fold is 400", `GET /healthz HTTP/1.1\r\n${H}X: a\r\n\tb\r\n\r\n`, 400],
    ["kept: a bare CR is 400", `GET /healthz HTTP/1.1\r\n${H}X: a\rb\r\n\r\n`, 400],
    ["kept: a control character in a value is 400", `GET /healthz HTTP/1.1\r\n${H}X: a\u0007b\r\n\r\n`, 400],
  ];
  for (const [what, text, status] of cases) {
    it(what, () => assert.equal(statusOf(text), status, what));
  }

  it("routes an absolute-form target by its path and leaves the query out", () => {
    const request = parse(`GET http://user@device:80/v1/readings/sht3x?since=0 HTTP/1.1\r\n${H}\r\n`);
    assert.equal(request.method, Method.get);
    assert.equal(asText(request.bytes, request.pathStart, request.pathLength), "/v1/readings/sht3x");
  });

  it("takes the token without the OWS after it", () => {
    const request = parse(`GET /v1/config HTTP/1.1\r\n${H}Authorization: Bearer s3cret \t \r\n\r\n`);
    assert.equal(asText(request.bytes, request.tokenStart, request.tokenLength), "s3cret");
  });

  it("marks Expect: 100-continue (any case) once the headers are complete, the body still to come", () => {
    const text = `POST /v1/config HTTP/1.1\r\n${H}Expect: 100-Continue\r\nContent-Length: 2\r\n\r\n`;
    const request = new HttpRequest().reset(latin1(`${text}{}`));
    assert.equal(parseRequest(request, text.length - 1), ParseResult.incomplete);
    assert.equal(request.awaitingBody, false, "not before the blank line");
    assert.equal(parseRequest(request, text.length), ParseResult.incomplete);
    assert.ok(request.expectContinue && request.awaitingBody, "the client may now wait for 100 Continue");
    assert.equal(parseRequest(request, text.length + 2), ParseResult.complete);
  });
});

describe("HTTP request parser resumes", () => {
  const requests = [
    `POST http://device/v1/config?x=1 HTTP/1.1\r\n${H}Authorization: Bearer s3cret\r\nContent-Length: 10\r\n\r\n{"a":1234}`,
    `\r\nGET /v1/readings HTTP/1.1\r\n${H}User-Agent: ${"u".repeat(300)}\r\nAccept: */*\r\n\r\n`,
    `GET /v1/readings HTTP/1.1\r\n${H}X: a\r\n b\r\n\r\n`,
    `GET /v1/readings HTTP/1.1\r\n${H}X: a\r\r\n\r\n`,
    `GET /${"a".repeat(300)} HTTP/1.1\r\n\r\n`,
    `GET /x HTTP/1.1\r\n${H}X-Big: ${"b".repeat(1100)}\r\n\r\n`,
    `PATCH /x HTTP/1.1\r\n${H}\r\n`,
    `POST /v1/config HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n`,
  ];

  function fields(request: HttpRequest, result: number): string {
    return [result, request.errorStatus, request.method, request.pathStart, request.pathLength, request.tokenStart,
      request.tokenLength, request.bodyStart, request.contentLength].join(",");
  }

  for (const text of requests) {
    it(`comes to the same verdict and fields fed byte by byte, in two pieces at every cut, and whole: ${JSON.stringify(text.slice(0, 40))}…`, () => {
      const bytes = latin1(text);
      const whole = new HttpRequest().reset(bytes);
      const expected = fields(whole, parseRequest(whole, text.length));
      const bytewise = new HttpRequest().reset(bytes);
      let result: number = ParseResult.incomplete;
      for (let length = 1; length <= text.length && result === ParseResult.incomplete; length++) result = parseRequest(bytewise, length);
      assert.equal(fields(bytewise, result), expected, "byte by byte");
      for (let cut = 1; cut < text.length; cut++) {
        const request = new HttpRequest().reset(bytes);
        let r = parseRequest(request, cut);
        if (r === ParseResult.incomplete) r = parseRequest(request, text.length);
        assert.equal(fields(request, r), expected, `cut at ${cut}`);
      }
    });
  }

  it("keeps an error and a completion once reached", () => {
    const head = `GET /x HTTP/1.1\r\n${H}\r\n`;
    const request = new HttpRequest().reset(latin1(`${head}more`));
    assert.equal(parseRequest(request, head.length), ParseResult.complete);
    assert.equal(parseRequest(request, head.length + 4), ParseResult.complete);
    const broken = new HttpRequest().reset(latin1("GET /x HTTP/1.1\nHost: x\r\n\r\n"));
    assert.equal(parseRequest(broken, 16), ParseResult.error);
    assert.equal(parseRequest(broken, 27), ParseResult.error);
  });
});
