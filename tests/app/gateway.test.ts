import { boards } from "../../boards/index.js";
import { httpSizing } from "../../src/app/gateway/http-sizing.js";
import { WindowStats } from "../../src/app/index.js";
import { ascii, asText, ByteWriter, JsonWriter } from "../../src/net/index.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";
import { startGateway, TOKEN } from "./gateway-harness.js";

function body(response: string): string {
  return response.slice(response.indexOf("\r\n\r\n") + 4);
}

describe("sensor gateway", () => {
  it("samples every sensor and serves the readings with 10 s and 60 s windows", () => {
    const { sim, gateway, request } = startGateway();
    sim.clock.advance(15_000);
    assert.deepEqual(gateway.channels.filter((channel) => !channel.open).map((channel) => channel.openReason), []);
    const response = request("GET /v1/readings HTTP/1.1\r\n\r\n");
    assert.ok(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
    const readings = JSON.parse(body(response)) as { sensors: Record<string, Record<string, { latest: number; mean10s: number; samples: number }>> };
    assert.closeTo(readings.sensors["bmp280"]?.["pressurePa"]?.latest ?? 0, 101325, 2);
    assert.closeTo(readings.sensors["tmp117"]?.["temperatureC"]?.mean10s ?? 0, 23, 0.01);
    assert.ok((readings.sensors["sht3x"]?.["humidityRH"]?.samples ?? 0) >= 14);
    assert.closeTo(readings.sensors["lis3dh"]?.["accelerationG"]?.latest ?? 0, 1, 0.01);
  });

  it("writes the readings byte for byte as the generic JSON writer would, one sensor as its part", () => {
    const { sim, gateway, request } = startGateway();
    sim.clock.advance(1500);
    const out = new ByteWriter().reset(new Uint8Array(4096));
    const json = new JsonWriter(out);
    const stats = new WindowStats();
    const now = sim.clock.now;
    json.beginObject().key(ascii("uptimeMs")).number(now - gateway.boot.bootAtMs, 0).key(ascii("sensors")).beginObject();
    for (const sensor of gateway.channels) {
      json.key(sensor.nameBytes).beginObject().key(ascii("produced")).number(sensor.produced, 0).key(ascii("delivered"))
        .number(sensor.delivered, 0).key(ascii("dropped")).number(sensor.droppedTotal, 0);
      for (const reading of sensor.readings) {
        const window = reading.window;
        json.key(reading.key).beginObject().key(ascii("latest")).number(window.latest, 3).key(ascii("samples")).number(window.samples, 0);
        for (const seconds of [10, 60]) {
          window.over(seconds, now, stats);
          json.key(ascii(`min${seconds}s`)).number(stats.min, 3).key(ascii(`max${seconds}s`)).number(stats.max, 3)
            .key(ascii(`mean${seconds}s`)).number(stats.mean, 3);
        }
        json.endObject();
      }
      json.endObject();
    }
    json.endObject().endObject();
    assert.equal(body(request("GET /v1/readings HTTP/1.1\r\n\r\n")), asText(out.bytes, 0, out.position));
    const sensorBody = body(request("GET /v1/readings/bmp280 HTTP/1.1\r\n\r\n"));
    assert.ok(asText(out.bytes, 0, out.position).includes(`"bmp280":${sensorBody}`), sensorBody);
  });

  it("serves one sensor, 404 for an unknown one or route, 405 with Allow", () => {
    const { sim, request } = startGateway();
    sim.clock.advance(2000);
    assert.ok(request("GET /v1/readings/sht3x HTTP/1.1\r\n\r\n").includes("\"temperatureC\""));
    assert.ok(request("GET /v1/readings/nope HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 404"));
    assert.ok(request("GET /nothing HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 404"));
    const wrong = request("DELETE /v1/readings HTTP/1.1\r\n\r\n");
    assert.ok(wrong.startsWith("HTTP/1.1 405") && wrong.includes("Allow: GET, HEAD\r\n"), wrong);
  });

  it("reports health and Prometheus metrics with boot time and accounting", () => {
    const { sim, request } = startGateway();
    sim.clock.advance(3000);
    assert.ok(body(request("GET /healthz HTTP/1.1\r\n\r\n")).includes("\"status\":\"ok\""));
    const metrics = request("GET /metrics HTTP/1.1\r\n\r\n");
    assert.ok(metrics.includes("Content-Type: text/plain; version=0.0.4"), metrics);
    assert.ok(/stillheap_samples_produced_total\{sensor="sht3x"\} \d+/.test(metrics), metrics);
    assert.ok(/\nstillheap_boot_first_sample_seconds \d+\.\d{3}\n/.test(metrics), metrics);
    assert.ok(metrics.includes("stillheap_http_refused_total 0"));
  });

  it("requires the bearer token for config, checks the body, and applies it", () => {
    const { gateway, request } = startGateway();
    const post = (auth: string, json: string): string =>
      request(`POST /v1/config HTTP/1.1\r\n${auth}Content-Length: ${json.length}\r\n\r\n${json}`);
    const denied = post("", "{\"sht3xPeriodMs\":500}");
    assert.ok(denied.startsWith("HTTP/1.1 401") && denied.includes("WWW-Authenticate: Bearer"), denied);
    assert.ok(post("Authorization: Bearer wrong-token-000\r\n", "{}").startsWith("HTTP/1.1 401"));
    const bad = post(`Authorization: Bearer ${TOKEN}\r\n`, "{\"colour\":1}");
    assert.ok(bad.startsWith("HTTP/1.1 400") && bad.includes("unknown setting \\\"colour\\\""), bad);
    assert.ok(post(`Authorization: Bearer ${TOKEN}\r\n`, "{\"sht3xPeriodMs\":5}").startsWith("HTTP/1.1 400"));
    assert.ok(post(`Authorization: Bearer ${TOKEN}\r\n`, "{\"sht3xPeriodMs\":500}").startsWith("HTTP/1.1 200"));
    assert.equal(gateway.channels[0]?.periodMs, 500);
  });

  it("answers GET /v1/readings within each board's HTTP sizing, all four sensors in it", () => {
    for (const board of Object.values(boards)) {
      const { sim, request } = startGateway({ service: httpSizing(board.http) });
      sim.clock.advance(2000);
      const answer = request("GET /v1/readings HTTP/1.1\r\n\r\n");
      assert.ok(answer.startsWith("HTTP/1.1 200"), `${board.name}: ${answer.slice(0, 200)}`);
      for (const name of ["sht3x", "bmp280", "tmp117", "lis3dh"]) assert.ok(answer.includes(`"${name}"`), `${board.name}: ${name}`);
    }
  });

  it("takes its first sample at start, not one period later", () => {
    const { gateway } = startGateway();
    const sht3x = gateway.channels.find((sensor) => sensor.name === "sht3x");
    assert.equal(sht3x?.delivered, 1, "one SHT3x sample before a period has passed");
    // The single-shot measurement itself takes ~15 ms of the simulated chip's time; a period is 1000 ms.
    assert.ok(gateway.boot.firstSampleMs >= 0 && gateway.boot.firstSampleMs < 50, `first sample at ${gateway.boot.firstSampleMs} ms`);
  });

  it("refuses every config request with 403 when no token is set, and a token shorter than 8 characters at start", () => {
    const { gateway, request } = startGateway({ apiToken: "" });
    const json = "{\"sht3xPeriodMs\":500}";
    for (const auth of ["", "Authorization: Bearer \r\n", `Authorization: Bearer ${TOKEN}\r\n`]) {
      const answer = request(`POST /v1/config HTTP/1.1\r\n${auth}Content-Length: ${json.length}\r\n\r\n${json}`);
      assert.ok(answer.startsWith("HTTP/1.1 403") && answer.includes("apiToken="), answer);
    }
    assert.notEqual(gateway.channels[0]?.periodMs, 500);
    assert.throws(() => startGateway({ apiToken: "short" }), RangeError);
  });

  it("answers 503 with Retry-After when the work queue is full, and 408 on a deadline", () => {
    const { service, sink } = startGateway({ concurrency: 1, backlog: 1 });
    const hold = { run() { /* never completes: a stuck worker */ } };
    const stuck = service.queue.register(hold);
    service.queue.trySubmit(stuck, 0);
    service.queue.trySubmit(stuck, 0);
    const slot = service.open();
    const bytes = ascii("GET /healthz HTTP/1.1\r\n\r\n");
    service.receive(slot, bytes, 0, bytes.length);
    assert.equal(sink.status(), 503);
    assert.ok(sink.text().includes("Retry-After: 1\r\n"));
    assert.equal(service.queue.refused, 1);
    const slow = service.open();
    service.receive(slow, bytes, 0, 10);
    service.timeout(slow);
    assert.equal(sink.status(), 408);
  });

  it("holds workers for simulated device work: two in flight, the rest queued, the overflow shed with 503", () => {
    const { sim, service, sink } = startGateway({ concurrency: 2, backlog: 1, workMs: 10 });
    const bytes = ascii("GET /healthz HTTP/1.1\r\n\r\n");
    const slots = [service.open(), service.open(), service.open(), service.open()];
    for (const slot of slots) service.receive(slot, bytes, 0, bytes.length);
    assert.equal(sink.count, 1, "only the fourth request is answered at once");
    assert.equal(sink.status(), 503);
    assert.equal(service.queue.inFlight, 2);
    assert.equal(service.queue.queued, 1);
    sim.clock.advance(10);
    assert.equal(sink.count, 3);
    assert.equal(sink.status(), 200);
    sim.clock.advance(10);
    assert.equal(sink.count, 4);
    assert.equal(service.queue.completed, 3);
  });

  it("accounts for every sample: delivered or dropped with a reason", () => {
    const { sim, gateway } = startGateway();
    sim.inject({ kind: "crc-corruption", address: 0x44, atMs: 1000, untilMs: 3000 });
    sim.inject({ kind: "vanish", address: 0x76, atMs: 2000, untilMs: 4000 });
    sim.clock.advance(10_000);
    for (const sensor of gateway.channels) assert.equal(sensor.produced, sensor.delivered + sensor.droppedTotal, sensor.name);
    assert.ok((gateway.channels[0]?.droppedTotal ?? 0) >= 2, "CRC failures dropped and counted");
  });

  for (const path of ["/v1/readings", "/v1/readings/sht3x", "/healthz", "/metrics"]) {
    it(`answers GET ${path} without allocating, over 1,000 replayed requests`, function () {
      const { sim, service, sink } = startGateway();
      sim.clock.advance(5000);
      const bytes = ascii(`GET ${path} HTTP/1.1\r\nHost: stillheap\r\n\r\n`);
      expectNoAllocation(this, () => {
        const slot = service.open();
        service.receive(slot, bytes, 0, bytes.length);
        service.sent(slot);
      }, { iterations: 1000 });
      assert.equal(sink.status(), 200);
    });
  }

  it("runs the sampling loop without allocating", function () {
    const { sim } = startGateway();
    sim.clock.advance(5000);
    expectNoAllocation(this, () => sim.clock.advance(100), { iterations: 2000 });
  });
});

describe("reading window", () => {
  it("ignores buckets no sample reached, before boot included", async () => {
    const { ReadingWindow, WindowStats } = await import("../../src/app/index.js");
    const window = new ReadingWindow();
    window.add(5, 1500);
    window.add(7, 2500);
    const stats = window.over(10, 2600, new WindowStats());
    assert.deepEqual([stats.count, stats.min, stats.max, stats.mean], [2, 5, 7, 6]);
    assert.ok(Number.isNaN(window.over(10, 100_000, new WindowStats()).mean), "nothing in the last 10 s");
  });

  it("agrees with a brute-force count over every window length, across the ring's wrap and gaps", async () => {
    const { ReadingWindow, WindowStats } = await import("../../src/app/index.js");
    const window = new ReadingWindow();
    const samples: Array<{ second: number; value: number }> = [];
    for (let ms = 0; ms < 150_000; ms += 700) {
      if (Math.floor(ms / 10_000) % 3 === 1) continue; // a gap of ten seconds in every thirty
      const value = Math.sin(ms / 3000) * 10 - (ms % 7);
      window.add(value, ms);
      samples.push({ second: Math.floor(ms / 1000), value });
    }
    const stats = new WindowStats();
    for (const nowMs of [149_800, 150_999, 175_400, 215_000]) { // from the last sample on, as the gateway asks
      for (let seconds = 1; seconds <= 60; seconds++) {
        const now = Math.floor(nowMs / 1000);
        const inside = samples.filter((sample) => sample.second > now - seconds && sample.second <= now).map((sample) => sample.value);
        window.over(seconds, nowMs, stats);
        const where = `${seconds} s ending at ${nowMs} ms`;
        assert.equal(stats.count, inside.length, where);
        if (inside.length === 0) {
          assert.ok(Number.isNaN(stats.min) && Number.isNaN(stats.max) && Number.isNaN(stats.mean), where);
          continue;
        }
        assert.equal(stats.min, Math.min(...inside), where);
        assert.equal(stats.max, Math.max(...inside), where);
        assert.closeTo(stats.mean, inside.reduce((a, b) => a + b, 0) / inside.length, 1e-9, where);
      }
    }
  });
});
