/**
 * Expect: 100-continue through the connection service and the gateway's handler (RFC 9110 §10.1.1): once the header
 * section is in, the server sends the final status at once when the head decides it, or 100 Continue.
 */
import { ascii, asText } from "../../src/net/index.js";
import * as assert from "../support/assert.js";
import { ReplaySink, startGateway, TOKEN } from "../app/gateway-harness.js";

class InterimSink extends ReplaySink {
  interims: string[] = [];
  interim(_slot: number, bytes: Uint8Array, length: number): void {
    this.interims.push(asText(bytes, 0, length));
  }
}

function head(token: string, path = "/v1/config"): string {
  return `POST ${path} HTTP/1.1\r\nHost: device\r\nAuthorization: Bearer ${token}\r\nExpect: 100-continue\r\nContent-Length: 39\r\n\r\n`;
}
const BODY = '{"sensors":{"sht3x":{"periodMs":2000}}}';

describe("Expect: 100-continue", () => {
  function send(service: { receive(slot: number, bytes: Uint8Array, start: number, length: number): void }, slot: number, text: string): void {
    const bytes = ascii(text);
    service.receive(slot, bytes, 0, bytes.length);
  }

  it("asks for the body with 100 Continue when the token is right, then answers the request", () => {
    const sink = new InterimSink();
    const { service } = startGateway({}, sink);
    const slot = service.open();
    send(service, slot, head(TOKEN));
    assert.deepEqual(sink.interims, ["HTTP/1.1 100 Continue\r\n\r\n"]);
    assert.equal(sink.count, 0, "no final response yet");
    send(service, slot, BODY);
    assert.equal(sink.count, 1);
    assert.equal(sink.status(), 200, sink.text());
    assert.equal(sink.interims.length, 1, "100 Continue once");
  });

  it("answers a wrong token 401 at once, before the body, and counts it once", () => {
    const sink = new InterimSink();
    const { service, api } = startGateway({}, sink);
    const slot = service.open();
    send(service, slot, head("wrong-token-0"));
    assert.equal(sink.count, 1, "the final status at once");
    assert.equal(sink.status(), 401);
    assert.ok(sink.text().includes("WWW-Authenticate: Bearer"), sink.text());
    assert.equal(sink.interims.length, 0, "no 100 Continue");
    assert.equal(api.counters.unauthorized, 1);
    send(service, slot, BODY);
    assert.equal(sink.count, 1, "the body that follows is ignored");
  });

  it("answers a route that does not exist 404 at once", () => {
    const sink = new InterimSink();
    const { service } = startGateway({}, sink);
    send(service, service.open(), head(TOKEN, "/v1/nothing"));
    assert.equal(sink.status(), 404);
    assert.equal(sink.interims.length, 0);
  });

  it("sends no 100 Continue when the body came with the head", () => {
    const sink = new InterimSink();
    const { service } = startGateway({}, sink);
    send(service, service.open(), head(TOKEN) + BODY);
    assert.equal(sink.status(), 200, sink.text());
    assert.equal(sink.interims.length, 0);
  });

  it("waits for the body on a host that cannot send 100 Continue (the client sends it after its own timeout)", () => {
    const sink = new ReplaySink();
    const { service } = startGateway({}, sink);
    const slot = service.open();
    send(service, slot, head(TOKEN));
    assert.equal(sink.count, 0);
    send(service, slot, BODY);
    assert.equal(sink.status(), 200, sink.text());
  });
});
