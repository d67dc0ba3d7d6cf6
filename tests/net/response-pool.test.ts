/**
 * Response buffers shared by the slots (`responseBuffers`): taken when a response is written, given back when the host
 * has sent it; with none free the answer is the service's 503 refusal, counted.
 */
import { ConnectionService, type ResponseSink } from "../../src/net/connections.js";
import { ascii, asText, type HttpRequest, type Response } from "../../src/net/index.js";
import * as assert from "../support/assert.js";

/** Keeps what was sent per slot, as a host still draining it would. */
class HoldingSink implements ResponseSink {
  readonly sent = new Map<number, string>();
  send(slot: number, bytes: Uint8Array, length: number): void {
    this.sent.set(slot, asText(bytes, 0, length));
  }
}

const ok = { handle: (_request: HttpRequest, response: Response): void => void response.json.reset().beginObject().endObject() };
const REQUEST = ascii("GET /x HTTP/1.1\r\nHost: device\r\n\r\n");

describe("response buffers from a pool", () => {
  it("answers 503 with the refusal while every buffer is out, and 200 again once one is given back", () => {
    const sink = new HoldingSink();
    const service = new ConnectionService(ok, sink, { clock: { nowMs: () => 0 }, slots: 3, concurrency: 3, responseBuffers: 1 });
    const first = service.open();
    const second = service.open();
    service.receive(first, REQUEST, 0, REQUEST.length);
    service.receive(second, REQUEST, 0, REQUEST.length);
    assert.ok(sink.sent.get(first)?.startsWith("HTTP/1.1 200 "), sink.sent.get(first));
    assert.equal(sink.sent.get(second), asText(service.refusal), "the second, with the only buffer still draining");
    assert.equal(service.counters.noBuffer, 1);
    service.sent(second);
    service.sent(first); // drained: its buffer is back
    const third = service.open();
    service.receive(third, REQUEST, 0, REQUEST.length);
    assert.ok(sink.sent.get(third)?.startsWith("HTTP/1.1 200 "), sink.sent.get(third));
    assert.equal(service.counters.noBuffer, 1);
  });

  it("holds no buffer for a slot still reading, nor for one whose connection closed", () => {
    const sink = new HoldingSink();
    const service = new ConnectionService(ok, sink, { clock: { nowMs: () => 0 }, slots: 3, responseBuffers: 1 });
    const reading = service.open();
    service.receive(reading, REQUEST, 0, 10);
    const closed = service.open();
    service.receive(closed, REQUEST, 0, REQUEST.length);
    service.close(closed); // the host closed before it sent: the buffer comes back too
    const served = service.open();
    service.receive(served, REQUEST, 0, REQUEST.length);
    assert.ok(sink.sent.get(served)?.startsWith("HTTP/1.1 200 "), sink.sent.get(served));
    assert.equal(service.counters.noBuffer, 0);
  });
});
