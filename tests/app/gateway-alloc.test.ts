import { ascii } from "../../src/net/index.js";
import { SampleStatus } from "../../src/drivers/common/errors.js";
import { SHT3x, SHT3xSample } from "../../src/drivers/sht3x/index.js";
import * as assert from "../support/assert.js";
import { expectAllocationAtMost, expectNoAllocation } from "../support/alloc-guard.js";
import { pico } from "../../boards/index.js";
import { SHT3xModel } from "../../simulator/devices/sht3x.js";
import { constant } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import { startGateway } from "./gateway-harness.js";

const PATHS = ["/v1/readings", "/metrics", "/healthz", "/v1/readings/lis3dh"];

describe("allocation on the paths an attacker or a fault can drive", () => {
  for (const connections of [2, 8]) {
    it(`serves ${connections} connections interleaved byte by byte without allocating`, function () {
      const { sim, service, sink } = startGateway({ slots: connections, concurrency: connections, backlog: connections });
      sim.clock.advance(3000);
      const requests = PATHS.map((path) => ascii(`GET ${path} HTTP/1.1\r\nHost: stillheap\r\n\r\n`));
      const slots = new Int32Array(connections);
      const longest = Math.max(...requests.map((r) => r.length));
      let answered = 0;
      expectNoAllocation(this, (iteration) => {
        for (let c = 0; c < connections; c++) slots[c] = service.open();
        for (let at = 0; at < longest; at++) { // one byte per connection in turn: every slot changes at every byte
          for (let c = 0; c < connections; c++) {
            const bytes = requests[(iteration + c) % requests.length] ?? requests[0];
            if (bytes !== undefined && at < bytes.length) service.receive(slots[c] ?? 0, bytes, at, 1);
          }
        }
        for (let c = 0; c < connections; c++) service.sent(slots[c] ?? 0);
        answered += connections;
      }, { iterations: 300, warmup: 20 });
      assert.equal(sink.count, answered);
      assert.equal(sink.status(), 200);
    });
  }

  for (const path of ["/healthz", "/metrics"]) {
    it(`answers GET ${path} while degraded (a sensor stalled, drops by sensor) without allocating`, function () {
      const { sim, service, sink } = startGateway();
      sim.inject({ kind: "nack-address", address: 0x18, atMs: 1000 });
      sim.inject({ kind: "crc-corruption", address: 0x44, atMs: 1000 });
      sim.clock.advance(10_000);
      const bytes = ascii(`GET ${path} HTTP/1.1\r\n\r\n`);
      expectNoAllocation(this, () => {
        const slot = service.open();
        service.receive(slot, bytes, 0, bytes.length);
        service.sent(slot);
      }, { iterations: 1000 });
      assert.equal(sink.status(), 200);
      assert.ok(sink.text().includes(path === "/healthz" ? "lis3dh: no sample delivered" : "reason=\"crc\""), sink.text());
    });
  }

  const errors: ReadonlyArray<readonly [number, string]> = [
    [400, "BROKEN\r\n\r\n"],
    [400, "GET /healthz HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n"],
    [414, `GET /${"a".repeat(300)} HTTP/1.1\r\n\r\n`],
    [431, `GET /healthz HTTP/1.1\r\nX-Big: ${"b".repeat(1100)}\r\n\r\n`],
    [413, "POST /v1/config HTTP/1.1\r\nContent-Length: 9999\r\n\r\n"],
    [404, "GET /nothing HTTP/1.1\r\n\r\n"],
    [405, "PUT /healthz HTTP/1.1\r\n\r\n"],
    [401, "POST /v1/config HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"],
  ];
  for (const [status, text] of errors) {
    it(`answers ${status} (${text.slice(0, 24).replace(/\r\n/g, " ")}…) without allocating`, function () {
      const { sim, service, sink } = startGateway();
      sim.clock.advance(1000);
      const bytes = ascii(text);
      expectNoAllocation(this, () => {
        const slot = service.open();
        service.receive(slot, bytes, 0, bytes.length);
        service.sent(slot);
      }, { iterations: 1000 });
      assert.equal(sink.status(), status);
    });
  }

  it("answers 408, and 414 to a flood with no line end, without allocating", function () {
    const { service, sink } = startGateway();
    const partial = ascii("GET /healthz HTTP/1.1\r\n");
    const flood = new Uint8Array(4096).fill(65);
    let expected = 408;
    expectNoAllocation(this, (iteration) => {
      const slot = service.open();
      expected = iteration % 2 === 0 ? 408 : 414;
      if (expected === 408) {
        service.receive(slot, partial, 0, partial.length);
        service.timeout(slot);
      } else service.receive(slot, flood, 0, flood.length);
      service.sent(slot);
    }, { iterations: 1000 });
    assert.equal(sink.status(), expected);
  });

  for (const kind of ["nack-address", "nack-after-bytes", "bus-stuck"] as const) {
    it(`costs at most 32 slots and 640 chunk bytes per failed I2C transaction (${kind}), none of it kept`, function () {
      // A board of its own: the gateway's SHT3x holds 0x44 open, and an I2C address opens once.
      const sim = new Simulation(pico);
      sim.attach(new SHT3xModel(sim.clock, { temperatureC: constant(21), humidityRH: constant(40) }));
      const sensor = new SHT3x({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus, address: 0x44 } });
      const sample = new SHT3xSample();
      sim.inject({ kind, address: 0x44, atMs: sim.clock.now, bytes: 1 });
      // The IO layer reports a failed transaction by throwing an Error (as Moddable's does): that object is the cost.
      const cost = expectAllocationAtMost(this, () => {
        sensor.sample(sample);
      }, { slots: 32, chunkBytes: 640 });
      assert.ok(sample.status === SampleStatus.nack || sample.status === SampleStatus.timeout, `status ${sample.status}`);
      assert.ok(cost.slots > 0, `measured ${cost.slots} slots, ${cost.chunkBytes} bytes per failure`);
    });
  }
});
