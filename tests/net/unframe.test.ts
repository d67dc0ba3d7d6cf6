import { ascii, asText, FramingError, Response, unframe } from "../../src/net/index.js";
import * as assert from "../support/assert.js";

describe("unframe (a framed response back into status, headers, body)", () => {
  it("splits a response the Response writer framed, skipping the headers a host server writes itself", () => {
    const buffer = new Uint8Array(512);
    const response = new Response().begin(buffer);
    response.status = 503;
    response.retryAfterS = 2;
    response.body.raw(ascii("busy\n"));
    const length = response.finish();
    const parts = unframe(buffer, length, ["content-length", "connection"]);
    assert.equal(parts.status, 503);
    assert.deepEqual(parts.headers, ["Content-Type", "application/json", "Retry-After", "2"]);
    assert.equal(asText(buffer, parts.bodyStart, parts.bodyEnd - parts.bodyStart), "busy\n");
  });

  it("refuses bytes that are not a framed response, naming what is wrong", () => {
    const bad = (text: string): void => {
      const bytes = ascii(text);
      assert.throws(() => unframe(bytes, bytes.length), FramingError);
    };
    bad("HTTP/1.0 200 OK\r\n\r\n");
    bad("HTTP/1.1 2x0 OK\r\n\r\n");
    bad("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n");
    bad("HTTP/1.1 200 OK\r\nA: b\r\n");
  });
});
