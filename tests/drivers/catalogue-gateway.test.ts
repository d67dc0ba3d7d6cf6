import { ascii } from "../../src/net/index.js";
import { expectNoAllocation } from "../support/alloc-guard.js";
import * as assert from "../support/assert.js";
import { startGateway } from "../app/gateway-harness.js";

/** The four types added with the driver kit, each declared as a user would, beside a TMP117 for company. */
const SENSORS = [
  { name: "bathroom", type: "aht20" },
  { name: "bedroom", type: "shtc3", settings: { lowPower: 1 } },
  { name: "arm", type: "mpu6050", pins: { int: 17 }, periodMs: 100, settings: { rateHz: 50 } },
  { name: "desk", type: "mpu6050", address: 0x69 },
  { name: "radiator", type: "tmp102", address: 0x49, pins: { alert: 16 }, settings: { highLimitC: 45 } },
  { name: "water", type: "tmp117" },
];
const DEVICES = [
  { type: "aht20", temperatureC: 24, humidityRH: 61 },
  { type: "shtc3", temperatureC: 19.5, humidityRH: 44 },
  { type: "mpu6050", zG: 1, xDps: 3, yDps: 4, temperatureC: 30, intPin: 17 },
  { type: "mpu6050", address: 0x69, xG: 1, zDps: -12, temperatureC: 26 },
  { type: "tmp102", address: 0x49, temperatureC: { kind: "ramp", from: 40, to: 50, durationMs: 10_000 }, alertPin: 16 },
  { type: "tmp117", temperatureC: 18 },
];

function body(response: string): string {
  return response.slice(response.indexOf("\r\n\r\n") + 4);
}

type Readings = { sensors: Record<string, Record<string, { latest: number }> & { delivered: number; dropped: Record<string, number> }> };

describe("the AHT20, SHTC3, MPU6050 and TMP102 as gateway sensor types", () => {
  it("open from a declaration and feed their readings, with units in the names", () => {
    const { sim, gateway, request } = startGateway({ scenario: { board: "pico", devices: DEVICES, sensors: SENSORS } });
    sim.clock.advance(10_000);
    assert.deepEqual(gateway.channels.map((c) => c.open), [true, true, true, true, true, true]);
    const readings = (JSON.parse(body(request("GET /v1/readings HTTP/1.1\r\nHost: stillheap\r\n\r\n"))) as Readings).sensors;
    const latest = (sensor: string, reading: string): number => readings[sensor]?.[reading]?.latest ?? Number.NaN;
    assert.closeTo(latest("bathroom", "temperatureC"), 24, 0.01);
    assert.closeTo(latest("bathroom", "humidityRH"), 61, 0.01);
    assert.closeTo(latest("bedroom", "temperatureC"), 19.5, 0.01);
    assert.closeTo(latest("bedroom", "humidityRH"), 44, 0.01);
    assert.closeTo(latest("arm", "accelerationG"), 1, 0.001);
    assert.closeTo(latest("arm", "rotationDps"), 5, 0.01, "|(3, 4, 0)| °/s");
    assert.closeTo(latest("arm", "temperatureC"), 30, 0.01);
    assert.closeTo(latest("desk", "rotationDps"), 12, 0.01);
    assert.closeTo(latest("radiator", "temperatureC"), 49.8, 0.3, "the ramp near its end, converted at 4 Hz");
    assert.ok((readings["arm"]?.delivered ?? 0) >= 450, `every frame at 50 Hz is delivered: ${readings["arm"]?.delivered}`);
    assert.ok((readings["bathroom"]?.delivered ?? 0) >= 9, "an AHT20 measurement each second, read 80 ms later");
    for (const name of ["bathroom", "bedroom", "arm", "desk", "radiator"]) {
      assert.deepEqual(Object.values(readings[name]?.dropped ?? {}).filter((n) => n > 0), [], `${name} dropped nothing`);
    }
    const metrics = request("GET /metrics HTTP/1.1\r\nHost: stillheap\r\n\r\n");
    for (const name of ["bathroom", "bedroom", "arm", "desk", "radiator"]) assert.ok(metrics.includes(`stillheap_sensor_up{sensor="${name}"} 1\n`), name);
  });

  it("count the radiator's alert samples: the TMP102 crossed its 45 °C limit", () => {
    const { sim, gateway } = startGateway({ scenario: { board: "pico", devices: DEVICES, sensors: SENSORS } });
    sim.clock.advance(10_000);
    const radiator = gateway.channels.find((c) => c.name === "radiator");
    assert.ok(radiator !== undefined && radiator.counters.interrupts >= 1, "the ALERT line ran the handler");
    assert.equal(radiator.delivered, radiator.produced, "alerts and periodic samples all delivered");
  });

  it("are refused with the JSON path where the chip cannot be", () => {
    const refused = (sensors: unknown): string => {
      try {
        startGateway({ scenario: { board: "pico", devices: DEVICES, sensors } });
      } catch (error: unknown) {
        return error instanceof Error ? error.message : String(error);
      }
      return "";
    };
    assert.ok(refused([{ name: "a", type: "aht20", address: 0x39 }]).includes("$.sensors[0].address: a aht20 answers at 0x38, not 0x39"));
    assert.ok(refused([{ name: "a", type: "mpu6050", settings: { rateHz: 300 } }]).includes("$.sensors[0].settings.rateHz: expected one of"));
    assert.ok(refused([{ name: "a", type: "tmp102", settings: { highLimitC: 130 } }]).includes("$.sensors[0].settings.highLimitC: expected a number -55–127.9375"));
  });

  it("sample and serve without allocating", function () {
    const { sim, service, sink } = startGateway({ scenario: { board: "pico", devices: DEVICES, sensors: SENSORS } });
    sim.clock.advance(3000);
    const requests = ["/v1/readings", "/metrics", "/v1/readings/arm"].map((path) => ascii(`GET ${path} HTTP/1.1\r\nHost: stillheap\r\n\r\n`));
    expectNoAllocation(this, (iteration) => {
      sim.clock.advance(100);
      const bytes = requests[iteration % requests.length] as Uint8Array;
      const slot = service.open();
      service.receive(slot, bytes, 0, bytes.length);
      service.sent(slot);
    }, { iterations: 1000, warmup: 100 });
    assert.equal(sink.status(), 200);
  });
});
