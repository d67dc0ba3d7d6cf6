import { asText, HttpRequest, ParseResult, parseRequest } from "../../src/net/index.js";
import * as assert from "../support/assert.js";

function parse(text: string): { result: number; request: HttpRequest } {
  const bytes = new Uint8Array(2048);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff; // Latin-1: any byte a client may send
  const request = new HttpRequest().reset(bytes);
  return { result: parseRequest(request, text.length), request };
}

describe("HTTP request parser, strict where leniency would be a risk", () => {
  const refused: ReadonlyArray<readonly [string, string]> = [
    ["conflicting Content-Length headers", "POST /v1/config HTTP/1.1\r\nHost: stillheap\r\nContent-Length: 2\r\nContent-Length: 12\r\n\r\n{}"],
    ["a Content-Length with a space between digits", "POST /v1/config HTTP/1.1\r\nHost: stillheap\r\nContent-Length: 2 1\r\n\r\n{}"],
    ["a Content-Length with a sign", "POST /v1/config HTTP/1.1\r\nHost: stillheap\r\nContent-Length: +2\r\n\r\n{}"],
    ["whitespace before a header's colon", "GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n"],
    ["a NUL in a header value", "GET /healthz HTTP/1.1\r\nHost: stillheap\r\nX-A: a\u0000b\r\n\r\n"],
    ["a NUL in the request target", "GET /heal\u0000thz HTTP/1.1\r\nHost: stillheap\r\n\r\n"],
    ["a control character in a header name", "GET /healthz HTTP/1.1\r\nHost: stillheap\r\nX\u0001A: a\r\n\r\n"],
    ["a non-ASCII header name", "GET /healthz HTTP/1.1\r\nHost: stillheap\r\nX\u00e9: a\r\n\r\n"],
    ["HTTP/1.9", "GET /healthz HTTP/1.9\r\n\r\n"],
    ["HTTP/2.0", "GET /healthz HTTP/2.0\r\n\r\n"],
    ["a bare LF ending the request line", "GET /healthz HTTP/1.1\nHost: x\n\n"],
    ["a bare LF ending a header", "GET /healthz HTTP/1.1\r\nHost: x\n\r\n"],
    ["a bare CR inside a header", "GET /healthz HTTP/1.1\r\nHost: x\ry\r\n\r\n"],
    ["a folded header line", "GET /healthz HTTP/1.1\r\nHost: stillheap\r\nX-A: a\r\n  b\r\n\r\n"],
    ["two spaces after the method", "GET  /healthz HTTP/1.1\r\nHost: stillheap\r\n\r\n"],
  ];
  for (const [what, text] of refused) {
    it(`answers 400 to ${what}`, () => {
      const { result, request } = parse(text);
      assert.equal(result, ParseResult.error, what);
      assert.equal(request.errorStatus, 400, what);
      assert.ok(request.errorReason.length > 0, "with a reason");
    });
  }

  it("answers a bare-LF request at once instead of waiting for its deadline", () => {
    assert.equal(parse("GET /healthz HTTP/1.1\n").result, ParseResult.error);
  });

  it("still accepts what a well-behaved client sends: repeated equal lengths, HTTP/1.0, tabs around values", () => {
    const equal = parse("POST /v1/config HTTP/1.1\r\nHost: stillheap\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\n{}");
    assert.equal(equal.result, ParseResult.complete);
    assert.equal(equal.request.contentLength, 2);
    assert.equal(parse("GET /healthz HTTP/1.0\r\n\r\n").result, ParseResult.complete);
    const tabs = parse("POST /v1/config HTTP/1.1\r\nHost: stillheap\r\nContent-Length:\t2 \t\r\nAuthorization: Bearer abc\r\n\r\n{}");
    assert.equal(tabs.result, ParseResult.complete);
    assert.equal(asText(tabs.request.bytes, tabs.request.tokenStart, tabs.request.tokenLength), "abc");
  });
});
