/** The 503 a host sends to a connection the service refused: framed once by the service, valid HTTP, no host's own. */
import { ConnectionService } from "../../src/net/connections.js";
import { asText } from "../../src/net/index.js";
import * as assert from "../support/assert.js";

describe("the connection service's refusal", () => {
  it("is a whole 503 with Retry-After whose Content-Length is its body's", () => {
    const service = new ConnectionService({ handle: () => undefined }, { send: () => undefined }, { clock: { nowMs: () => 0 }, slots: 1 });
    assert.ok(service.open() >= 0);
    assert.equal(service.open(), -1, "no second slot");
    const text = asText(service.refusal);
    const [head = "", body = ""] = text.split("\r\n\r\n");
    assert.ok(head.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), text);
    assert.ok(head.includes("\r\nRetry-After: 1"), text);
    assert.ok(head.includes("\r\nConnection: close"), text);
    assert.equal(head.match(/Content-Length: (\d+)/)?.[1], String(body.length), text);
    assert.equal((JSON.parse(body) as { error: string }).error, "all connections in use, retry shortly");
  });
});
