import { ConfigChanges, readConfigBody } from "../../src/app/gateway/config-body.js";
import { engine, MEMORY_FIELD_COUNT, MemoryField } from "../../src/engine/index.js";
import * as assert from "../support/assert.js";
import { latin1 } from "../support/http-fuzz.js";
import { skipBecause } from "../support/engines.js";
import { startGateway, TOKEN } from "./gateway-harness.js";

const changes = new ConfigChanges(startGateway().gateway.channels); // sht3x, bmp280, tmp117, lis3dh

/** The changes a body asks for, as {sensor: {setting: value}}, or the message naming what is wrong. */
function read(text: string): Record<string, Record<string, number>> | string {
  const bytes = latin1(text);
  const problem = readConfigBody(bytes, 0, bytes.length, changes);
  if (problem !== undefined) return problem;
  const asked: Record<string, Record<string, number>> = {};
  changes.channels.forEach((channel, i) => {
    const settings: Record<string, number> = {};
    const period = changes.periodMs[i] ?? Number.NaN;
    if (!Number.isNaN(period)) settings["periodMs"] = period;
    channel.type.settings.forEach((spec, s) => {
      const value = changes.settings[i]?.[s] ?? Number.NaN;
      if (!Number.isNaN(value)) settings[spec.key] = value;
    });
    if (Object.keys(settings).length > 0) asked[channel.name] = settings;
  });
  return asked;
}

describe("config body", () => {
  it("reads settings per sensor by name, with JSON's spacing and number forms", () => {
    assert.deepEqual(read(" { \"sensors\" : { \"sht3x\": {\"periodMs\" : 500 },\n\"tmp117\":{\"highLimitC\":-1.25e1, \"periodMs\": 2000} } } "),
      { sht3x: { periodMs: 500 }, tmp117: { periodMs: 2000, highLimitC: -12.5 } });
    assert.deepEqual(read("{}"), {});
    assert.deepEqual(read("{\"sensors\":{}}"), {});
    assert.deepEqual(read("{\"sensors\":{\"lis3dh\":{\"rateHz\":25}}}"), { lis3dh: { rateHz: 25 } });
  });

  it("takes the first release's flat keys as aliases of the sensor of that name", () => {
    assert.deepEqual(read("{\"sht3xPeriodMs\":500,\"tmp117HighLimitC\":31}"), { sht3x: { periodMs: 500 }, tmp117: { highLimitC: 31 } });
    assert.ok(String(read("{\"sht3xPeriodMs\":500,\"sensors\":{\"sht3x\":{\"periodMs\":600}}}")).includes("given twice"));
  });

  it("names what is wrong with anything else", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["{\"colour\":1}", "unknown setting \"colour\""], ["{\"sht3xPeriodMs\":5}", "must be a whole number from 100"],
      ["{\"sht3xPeriodMs\":\"500\"}", "must be a whole number"], ["{\"sht3xPeriodMs\":0500}", "must be a whole number"],
      ["{\"sht3xPeriodMs\":500,}", "setting names"], ["[1]", "JSON object"], ["{\"sht3xPeriodMs\":500}x", "nothing may follow"],
      ["{\"sht3xPeriodMs\":500,\"sht3xPeriodMs\":600}", "given twice"], ["{\"sht\\u0033xPeriodMs\":500}", "without escapes"],
      ["{\"sht3xPeriodMs\":500", "\"}\""], ["", "JSON object"],
      ["{\"sensors\":{\"attic\":{\"periodMs\":500}}}", "no sensor named \"attic\"; declared: sht3x, bmp280, tmp117, lis3dh"],
      ["{\"sensors\":{\"sht3x\":{\"highLimitC\":5}}}", "unknown setting \"sensors\".\"sht3x\".\"highLimitC\" for sht3x (a sht3x); known: periodMs"],
      ["{\"sensors\":{\"lis3dh\":{\"rateHz\":30}}}", "must be one of 1, 10, 25, 50, 100, 200, 400"],
      ["{\"sensors\":{\"lis3dh\":{\"periodMs\":10}}}", "from 20 to 60000"],
      ["{\"sensors\":[1]}", "keyed by sensor name"], ["{\"sensors\":{\"sht3x\":5}}", "must be an object of settings"],
      ["{\"sensors\":{},\"sensors\":{}}", "\"sensors\" is given twice"],
    ];
    for (const [text, expected] of cases) {
      const result = read(text);
      assert.ok(typeof result === "string" && result.includes(expected), `${text}: ${JSON.stringify(result)}`);
    }
  });

  it("answers a config whose key is not ASCII with 400 and valid JSON, through the service", () => {
    const { service, sink } = startGateway();
    const body = latin1("{\"\u00c3\u00a9\":1}"); // {"é":1} as UTF-8 bytes
    const head = latin1(`POST /v1/config HTTP/1.1\r\nHost: stillheap\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${body.length}\r\n\r\n`);
    const slot = service.open();
    service.receive(slot, head, 0, head.length);
    service.receive(slot, body, 0, body.length);
    assert.equal(sink.status(), 400);
    const text = sink.text();
    const json = JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) as { error: string };
    assert.ok(json.error.startsWith("unknown setting \"\u00c3\u00a9\""), json.error);
    assert.equal(service.counters.internalErrors, 0);
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
