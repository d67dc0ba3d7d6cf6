import { boardFacts, DeclarationError, DEFAULT_SENSORS, readDeclaration, SENSOR_TYPES } from "../../src/app/index.js";
import { ConnectionCounters } from "../../src/net/connections.js";
import { ascii } from "../../src/net/ascii.js";
import { GatewayConsole } from "../../src/app/gateway/console.js";
import { loadScenario } from "../../simulator/scenario.js";
import { expectNoAllocation } from "../support/alloc-guard.js";
import * as assert from "../support/assert.js";
import { SCENARIO, startGateway, TOKEN } from "./gateway-harness.js";

function body(response: string): string {
  return response.slice(response.indexOf("\r\n\r\n") + 4);
}

const pico = loadScenario({ board: "pico" });
const facts = boardFacts(pico.device, pico.board.gpioCount);

function refusal(declaration: unknown): string {
  const error = assert.throws(() => readDeclaration(declaration, facts, SENSOR_TYPES, "$.sensors"), DeclarationError);
  return (error as DeclarationError).message;
}

/** Two SHT3x on one bus, a BMP280, a TMP117 with its ALERT, a LIS3DH with INT1 and a button: one of every type. */
const EVERY_TYPE = [
  { name: "indoor", type: "sht3x", address: 0x44 },
  { name: "outdoor", type: "sht3x", address: 0x45, periodMs: 2000 },
  { name: "pressure", type: "bmp280", address: 0x77 },
  { name: "water", type: "tmp117", address: 0x49, pins: { alert: 18 }, settings: { highLimitC: 40 } },
  { name: "motion", type: "lis3dh", address: 0x19, pins: { int1: 19 }, settings: { rateHz: 25 } },
  { name: "door", type: "button", pins: { input: 15 }, periodMs: 500, settings: { debounceMs: 10 } },
];
const EVERY_DEVICE = [
  { type: "sht3x", address: 0x44, temperatureC: 20, humidityRH: 40 },
  { type: "sht3x", address: 0x45, temperatureC: 5, humidityRH: 80 },
  { type: "bmp280", address: 0x77, pressurePa: 99_000 },
  { type: "tmp117", address: 0x49, temperatureC: 12, alertPin: 18 },
  { type: "lis3dh", address: 0x19, zG: 1, int1Pin: 19 },
  { type: "button", pin: 15, presses: [{ atMs: 1000, holdMs: 300 }, { atMs: 3000, holdMs: 300 }] },
];

describe("sensor declaration", () => {
  it("refuses each bad declaration with the JSON path of the problem and what to change", () => {
    const cases: ReadonlyArray<readonly [unknown, string]> = [
      [{}, "$.sensors: expected an array of sensors"],
      [[], "$.sensors: expected 1–16 sensors"],
      [[{ name: "a", type: "bme680" }], "$.sensors[0].type: unknown sensor type \"bme680\"; known: sht3x, "],
      [[{ name: "a", type: "sht3x", address: 0x46 }], "$.sensors[0].address: a sht3x answers at 0x44 or 0x45, not 0x46"],
      [[{ name: "a", type: "sht3x", address: 300 }], "$.sensors[0].address: expected a whole number 0–127, got 300"],
      [[{ name: "a", type: "sht3x" }, { name: "b", type: "sht3x" }], "$.sensors[1].address: 0x44 on this bus is already $.sensors[0] (a)"],
      [[{ name: "a", type: "tmp117", pins: { alert: 16 } }, { name: "b", type: "lis3dh", pins: { int1: 16 } }], "$.sensors[1].pins.int1: GPIO 16 is already used by $.sensors[0].pins.alert"],
      [[{ name: "a", type: "tmp117", pins: { alert: 4 } }], "$.sensors[0].pins.alert: GPIO 4 is already used by $.sensors[0].bus"],
      [[{ name: "a", type: "button", pins: { input: 40 } }], "$.sensors[0].pins.input: expected a whole number 0–29, got 40"],
      [[{ name: "a", type: "button", pins: { input: "doorbell" } }], "$.sensors[0].pins.input: the board has no pin named \"doorbell\""],
      [[{ name: "a", type: "button" }], "$.sensors[0].pins.input: a button needs its input pin"],
      [[{ name: "a", type: "sht3x", bus: "i2c7" }], "$.sensors[0].bus: the board has no I2C bus \"i2c7\""],
      [[{ name: "a", type: "sht3x", bus: { data: 6 } }], "$.sensors[0].bus: a bus given by pins needs both \"data\" and \"clock\""],
      [[{ name: "a", type: "sht3x", periodMs: 50 }], "$.sensors[0].periodMs: expected a whole number 100–3600000, got 50"],
      [[{ name: "a", type: "tmp117", settings: { highLimitC: 200 } }], "$.sensors[0].settings.highLimitC: expected a number -55–150, got 200"],
      [[{ name: "a", type: "lis3dh", settings: { rateHz: 30 } }], "$.sensors[0].settings.rateHz: expected one of 1, 10, 25, 50, 100, 200, 400, got 30"],
      [[{ name: "a", type: "sht3x", settings: { gain: 1 } }], "$.sensors[0].settings.gain: unknown key"],
      [[{ name: "a", type: "sht3x" }, { name: "a", type: "bmp280" }], "$.sensors[1].name: \"a\" is declared twice"],
      [[{ name: "Living Room", type: "sht3x" }], "$.sensors[0].name: expected 1–24 lower-case letters"],
      [[{ name: "", type: "sht3x" }], "$.sensors[0].name: expected 1–24 lower-case letters"],
      [[{ name: "-a", type: "sht3x" }], "$.sensors[0].name: expected 1–24 lower-case letters"],
      [[{ name: "a".repeat(25), type: "sht3x" }], "$.sensors[0].name: expected 1–24 lower-case letters"],
      [[{ name: "a/b", type: "sht3x" }], "$.sensors[0].name: expected 1–24 lower-case letters"],
      [[{ name: "a", type: "sht3x", colour: "red" }], "$.sensors[0].colour: unknown key"],
      [[{ name: "a", type: "button", pins: { input: 15 }, address: 0x20 }], "$.sensors[0].address: a button is on no I2C bus"],
      [[{ name: "a", type: "sht3x", required: "yes" }], "$.sensors[0].required: expected true or false"],
    ];
    for (const [declaration, expected] of cases) {
      const message = refusal(declaration);
      assert.ok(message.startsWith(expected), `${JSON.stringify(declaration)}: ${message}`);
    }
    for (const name of ["a", "9_a-b", "a".repeat(24)]) {
      readDeclaration([{ name, type: "sht3x" }], facts, SENSOR_TYPES, "$.sensors");
    }
  });

  it("refuses a bad declaration before opening anything", () => {
    const sim = loadScenario(SCENARIO);
    assert.throws(() => readDeclaration([...DEFAULT_SENSORS, { name: "x", type: "nope" }], boardFacts(sim.device, 30), SENSOR_TYPES), DeclarationError);
    assert.equal(sim.bus.counters.transactions, 0, "no bus transaction");
  });

  it("runs one of every type, two SHT3x among them, each counted and reachable by name", () => {
    const { sim, gateway, request } = startGateway({ scenario: { board: "pico", devices: EVERY_DEVICE, sensors: EVERY_TYPE } });
    sim.clock.advance(10_000);
    assert.deepEqual(gateway.channels.map((c) => c.open), [true, true, true, true, true, true]);
    const readings = JSON.parse(body(request("GET /v1/readings HTTP/1.1\r\nHost: stillheap\r\n\r\n"))) as { sensors: Record<string, Record<string, { latest: number }> & { delivered: number }> };
    assert.deepEqual(Object.keys(readings.sensors), ["indoor", "outdoor", "pressure", "water", "motion", "door"]);
    assert.closeTo(readings.sensors["indoor"]?.["temperatureC"]?.latest ?? 0, 20, 0.1);
    assert.closeTo(readings.sensors["outdoor"]?.["temperatureC"]?.latest ?? 0, 5, 0.1);
    assert.ok((readings.sensors["indoor"]?.delivered ?? 0) >= 2 * (readings.sensors["outdoor"]?.delivered ?? 0) - 1, "counted apart, at their own periods");
    assert.closeTo(readings.sensors["pressure"]?.["pressurePa"]?.latest ?? 0, 99_000, 5);
    assert.closeTo(readings.sensors["water"]?.["temperatureC"]?.latest ?? 0, 12, 0.1);
    assert.closeTo(readings.sensors["motion"]?.["accelerationG"]?.latest ?? 0, 1, 0.02);
    assert.equal(readings.sensors["door"]?.["presses"]?.latest, 2, "two presses, debounced");
    const outdoor = JSON.parse(body(request("GET /v1/readings/outdoor HTTP/1.1\r\nHost: stillheap\r\n\r\n"))) as { humidityRH: { latest: number } };
    assert.closeTo(outdoor.humidityRH.latest, 80, 0.1);
    const metrics = request("GET /metrics HTTP/1.1\r\nHost: stillheap\r\n\r\n");
    for (const name of ["indoor", "outdoor", "pressure", "water", "motion", "door"]) assert.ok(metrics.includes(`stillheap_sensor_up{sensor="${name}"} 1\n`), name);
    assert.ok(body(request("GET /healthz HTTP/1.1\r\nHost: stillheap\r\n\r\n")).includes("\"status\":\"ok\""));
  });

  it("retries a sensor that does not answer at boot, with backoff, until it joins; the retries in /metrics", () => {
    const faults = [
      { kind: "vanish", address: 0x44, atMs: 0, untilMs: 3000 },
      { kind: "nack-address", address: 0x76, atMs: 0, untilMs: 3000 },
      { kind: "bus-stuck", address: 0x48, atMs: 0, untilMs: 3000 },
    ];
    const { sim, gateway, request } = startGateway({ scenario: { ...SCENARIO, faults } });
    assert.deepEqual(gateway.channels.map((c) => c.open), [false, false, false, true]);
    const health = JSON.parse(body(request("GET /healthz HTTP/1.1\r\nHost: stillheap\r\n\r\n"))) as { status: string; reasons: string[] };
    assert.equal(health.status, "degraded");
    assert.ok(health.reasons[0]?.startsWith("sht3x: not open after 1 attempt, next in 1000 ms: no SHT3x answered at 0x44"), health.reasons[0]);
    sim.clock.advance(60_000);
    for (const channel of gateway.channels) {
      assert.ok(channel.open && channel.delivered > 0, `${channel.name} delivers`);
      assert.ok(channel.name === "lis3dh" || channel.openFailures >= 2, `${channel.name}: ${channel.openFailures} failed opens`);
    }
    const metrics = request("GET /metrics HTTP/1.1\r\nHost: stillheap\r\n\r\n");
    assert.ok(/stillheap_sensor_open_failures_total\{sensor="sht3x"\} [2-9]\n/.test(metrics), metrics);
    assert.ok(metrics.includes("stillheap_sensor_open_failures_total{sensor=\"lis3dh\"} 0\n"));
    assert.ok(body(request("GET /healthz HTTP/1.1\r\nHost: stillheap\r\n\r\n")).includes("\"status\":\"ok\""));
  });

  it("reports an optional sensor that is absent without degrading health", () => {
    const { sim, request } = startGateway({ scenario: { ...SCENARIO, sensors: [...DEFAULT_SENSORS, { name: "spare", type: "sht3x", address: 0x45, required: false }] } });
    sim.clock.advance(5000);
    const health = JSON.parse(body(request("GET /healthz HTTP/1.1\r\nHost: stillheap\r\n\r\n"))) as { status: string; reasons: string[] };
    assert.equal(health.status, "ok");
    assert.equal(health.reasons.length, 1);
    assert.ok(health.reasons[0]?.startsWith("spare: optional, not open after"), health.reasons[0]);
    const metrics = request("GET /metrics HTTP/1.1\r\nHost: stillheap\r\n\r\n");
    assert.ok(metrics.includes("stillheap_sensor_up{sensor=\"spare\"} 0\n") && metrics.includes("stillheap_sensor_required{sensor=\"spare\"} 0\n"), metrics);
  });

  it("applies and returns settings per sensor: POST and GET /v1/config", () => {
    const { sim, gateway, request } = startGateway({ scenario: { board: "pico", devices: EVERY_DEVICE, sensors: EVERY_TYPE } });
    const post = (json: string): string => request(`POST /v1/config HTTP/1.1\r\nHost: stillheap\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${json.length}\r\n\r\n${json}`);
    assert.ok(post("{\"sensors\":{\"outdoor\":{\"periodMs\":5000},\"water\":{\"highLimitC\":15}}}").startsWith("HTTP/1.1 200"));
    assert.equal(gateway.channels[1]?.periodMs, 5000);
    const before = gateway.channels[1]?.produced ?? 0;
    sim.clock.advance(10_000);
    assert.equal((gateway.channels[1]?.produced ?? 0) - before, 2, "outdoor every 5 s");
    assert.ok(post("{\"sensors\":{\"door\":{\"activeLow\":0}}}").includes("set in the sensor declaration only"));
    assert.ok(post("{\"sht3xPeriodMs\":500}").includes("unknown setting \\\"sht3xPeriodMs\\\""), "no sensor is named sht3x here");
    assert.ok(request("GET /v1/config HTTP/1.1\r\nHost: stillheap\r\n\r\n").startsWith("HTTP/1.1 401"), "the settings need the token");
    const settings = JSON.parse(body(request(`GET /v1/config HTTP/1.1\r\nHost: stillheap\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`))) as { sensors: Record<string, Record<string, number>> };
    assert.deepEqual(settings.sensors["outdoor"], { periodMs: 5000 });
    assert.deepEqual(settings.sensors["water"], { periodMs: 1000, highLimitC: 15 });
    assert.deepEqual(settings.sensors["door"], { periodMs: 500, debounceMs: 10, activeLow: 1, factoryResetMs: 0 });
  });

  describe("a factory reset by a button held at boot (factoryResetMs, declared, off by default)", () => {
    const board = (holds: readonly { atMs: number; holdMs: number }[], resetMs?: number): Record<string, unknown> => ({
      board: "pico",
      devices: [{ type: "sht3x", address: 0x44 }, { type: "button", pin: 15, presses: holds }],
      sensors: [{ name: "air", type: "sht3x", address: 0x44 },
        { name: "reset", type: "button", pins: { input: 15 }, periodMs: 100, ...(resetMs === undefined ? {} : { settings: { factoryResetMs: resetMs } }) }],
    });
    /** Boots the board, changes the air sensor's period, runs `ms`: the period then, and the resets counted. */
    const run = (scenario: Record<string, unknown>, ms: number): { periodMs: number; resets: number; metrics: string } => {
      const { sim, gateway, request } = startGateway({ scenario });
      const json = "{\"sensors\":{\"air\":{\"periodMs\":2000}}}";
      const applied = request(`POST /v1/config HTTP/1.1\r\nHost: stillheap\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${json.length}\r\n\r\n${json}`);
      assert.ok(applied.startsWith("HTTP/1.1 200"), applied);
      sim.clock.advance(ms);
      const metrics = body(request("GET /metrics HTTP/1.1\r\nHost: stillheap\r\n\r\n"));
      return { periodMs: gateway.channels[0]?.periodMs ?? 0, resets: gateway.factoryResets, metrics };
    };

    it("resets every setting to the declaration's when held from boot for factoryResetMs, once, counted in /metrics", () => {
      const held = run(board([{ atMs: 0, holdMs: 8000 }], 5000), 10_000);
      assert.equal(held.periodMs, 1000, "the declared period again");
      assert.equal(held.resets, 1);
      assert.ok(held.metrics.includes("stillheap_factory_resets_total 1\n"), held.metrics);
    });

    it("does nothing when let go before the hold, for a press after boot, or when not declared", () => {
      const early = run(board([{ atMs: 0, holdMs: 3000 }], 5000), 10_000);
      assert.deepEqual([early.periodMs, early.resets], [2000, 0], "let go after 3 s of 5");
      const later = run(board([{ atMs: 1000, holdMs: 8000 }], 5000), 12_000);
      assert.deepEqual([later.periodMs, later.resets], [2000, 0], "pressed after boot: an ordinary press");
      const off = run(board([{ atMs: 0, holdMs: 8000 }]), 10_000);
      assert.deepEqual([off.periodMs, off.resets], [2000, 0], "not declared: off");
      assert.ok(off.metrics.includes("stillheap_factory_resets_total 0\n"), off.metrics);
    });

    it("refuses a hold out of range, and a change of it over POST /v1/config", () => {
      assert.ok(refusal([{ name: "a", type: "button", pins: { input: 15 }, settings: { factoryResetMs: 90_000 } }])
        .startsWith("$.sensors[0].settings.factoryResetMs: expected a whole number 0–60000"));
    });
  });

  it("keeps the HTTP service's counts when a console is built after it", () => {
    const { gateway, documents, service, connections, request } = startGateway({ slots: 1 });
    service.open();
    assert.equal(service.open(), -1, "refused: the one slot is busy");
    new GatewayConsole(gateway, documents, { output: { write: () => undefined } }).report();
    assert.ok(connections instanceof ConnectionCounters && connections.noSlot === 1);
    service.close(0);
    assert.ok(request("GET /metrics HTTP/1.1\r\nHost: stillheap\r\n\r\n").includes("stillheap_http_connections_refused_total 1\n"));
  });

  it("samples and serves eight declared sensors without allocating", function () {
    const eight = [
      ...EVERY_TYPE.slice(0, 5), { name: "indoor2", type: "sht3x", address: 0x44, bus: "i2c1" },
      { name: "pressure2", type: "bmp280", address: 0x76 }, { name: "water2", type: "tmp117", address: 0x48 },
    ];
    const devices = [...EVERY_DEVICE.slice(0, 5), { type: "sht3x", address: 0x44, bus: "i2c1" }, { type: "bmp280", address: 0x76 }, { type: "tmp117", address: 0x48 }];
    const { sim, gateway, service, sink } = startGateway({ scenario: { board: "pico", devices, sensors: eight } });
    sim.clock.advance(3000);
    assert.equal(gateway.channels.filter((c) => c.open).length, 8);
    const requests = ["/v1/readings", "/metrics", "/healthz", "/v1/readings/indoor2"].map((path) => ascii(`GET ${path} HTTP/1.1\r\nHost: stillheap\r\n\r\n`));
    expectNoAllocation(this, (iteration) => {
      sim.clock.advance(100);
      const bytes = requests[iteration % requests.length] as Uint8Array;
      const slot = service.open();
      service.receive(slot, bytes, 0, bytes.length);
      service.sent(slot);
    }, { iterations: 2000, warmup: 100 });
    assert.equal(sink.status(), 200);
  });
});
