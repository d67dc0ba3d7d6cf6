import { readConfigBody } from "../../src/app/gateway/config-body.js";
import { engine, MEMORY_FIELD_COUNT, MemoryField } from "../../src/engine/index.js";
import * as assert from "../support/assert.js";
import { latin1 } from "../support/http-fuzz.js";
import { skipBecause } from "../support/engines.js";
import { startGateway, TOKEN } from "./gateway-harness.js";

function read(text: string): ReturnType<typeof readConfigBody> {
  const bytes = latin1(text);
  return readConfigBody(bytes, 0, bytes.length);
}

describe("config body", () => {
  it("reads a flat object of known settings, with JSON's spacing and number forms", () => {
    assert.deepEqual(read(" { \"sht3xPeriodMs\" : 500 ,\n\"tmp117HighLimitC\":-1.25e1 } "), { sht3xPeriodMs: 500, tmp117HighLimitC: -12.5 });
    assert.deepEqual(read("{}"), {});
  });

  it("names what is wrong with anything else", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["{\"colour\":1}", "unknown setting \"colour\""], ["{\"sht3xPeriodMs\":5}", "must be a number from 100"],
      ["{\"sht3xPeriodMs\":\"500\"}", "must be a number"], ["{\"sht3xPeriodMs\":0500}", "must be a number"],
      ["{\"sht3xPeriodMs\":500,}", "setting name"], ["[1]", "JSON object"], ["{\"sht3xPeriodMs\":500}x", "nothing may follow"],
      ["{\"sht3xPeriodMs\":500,\"sht3xPeriodMs\":600}", "given twice"], ["{\"sht\\u0033xPeriodMs\":500}", "without escapes"],
      ["{\"sht3xPeriodMs\":500", "\"}\""], ["", "JSON object"],
    ];
    for (const [text, expected] of cases) {
      const result = read(text);
      assert.ok(typeof result === "string" && result.includes(expected), `${text}: ${JSON.stringify(result)}`);
    }
  });

  it("answers a config whose key is not ASCII with 400 and valid JSON, through the service", () => {
    const { service, sink } = startGateway();
    const body = latin1("{\"\u00c3\u00a9\":1}"); // {"é":1} as UTF-8 bytes
    const head = latin1(`POST /v1/config HTTP/1.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${body.length}\r\n\r\n`);
    const slot = service.open();
    service.receive(slot, head, 0, head.length);
    service.receive(slot, body, 0, body.length);
    assert.equal(sink.status(), 400);
    const text = sink.text();
    const json = JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) as { error: string };
    assert.ok(json.error.startsWith("unknown setting \"\u00c3\u00a9\""), json.error);
    assert.equal(service.internalErrors, 0);
  });

  it("keeps nothing of the keys a client makes up (JSON.parse would intern each one on XS)", function () {
    const host = engine();
    if (!host.exactMemory) skipBecause(this, "memory not measured: this engine has no exact counters; the xs line measures it");
    const before = new Float64Array(MEMORY_FIELD_COUNT);
    const after = new Float64Array(MEMORY_FIELD_COUNT);
    read("{\"warm\":1}");
    host.collectGarbage();
    host.readMemory(before);
    for (let i = 0; i < 500; i++) read(`{"made-up-${i}":1}`);
    host.collectGarbage();
    host.readMemory(after);
    assert.equal((after[MemoryField.slotsUsed] ?? 0) - (before[MemoryField.slotsUsed] ?? 0), 0, "slots kept");
  });
});
