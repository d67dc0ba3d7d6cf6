/**
 * HTTP benchmark, run on the XS host by `stillheap bench http`: the gateway's GET /v1/readings through the
 * host-neutral service (pooled buffers, bytes in and out) against a straightforward handler that splits strings,
 * builds an object and JSON.stringify()s it per request — same readings, same engine, one run.
 */
import { Gateway, GatewayApi, HttpService, WindowStats, type ResponseSink } from "../../src/app/index.js";
import { engine } from "../../src/engine/index.js";
import { ascii } from "../../src/net/index.js";
import { loadScenario } from "../../simulator/scenario.js";
import { timerApi } from "../../simulator/timer.js";
import { compare, printSuite, side, startBench, type Comparison } from "../support/measure.js";

const run = startBench();
const OPS = 1000;
const sim = loadScenario({ devices: [{ type: "sht3x" }, { type: "bmp280" }, { type: "tmp117", alertPin: "alert" }, { type: "lis3dh", int1Pin: "dataReady" }] });
const clock = { nowMs: () => sim.clock.now };
const gateway = new Gateway({ device: sim.device, timer: timerApi(() => sim.clock), clock });
gateway.start();
sim.clock.advance(5000);
let sent = 0;
const sink: ResponseSink = { send: (_slot, _bytes, length) => { sent += length; } };
const service = new HttpService(new GatewayApi(gateway, clock, { apiToken: "bench-token" }), sink, { slots: 2, responseBytes: 2048 });
const request = ascii("GET /v1/readings HTTP/1.1\r\nHost: stillheap\r\n\r\n");
const requestText = "GET /v1/readings HTTP/1.1\r\nHost: stillheap\r\n\r\n";
const stats = new WindowStats();

/** The straightforward handler: strings in, an object per reading, JSON.stringify, a string out. */
function naive(text: string): string {
  const [line] = text.split("\r\n");
  const [method, path] = (line ?? "").split(" ");
  if (method !== "GET" || path !== "/v1/readings") return "HTTP/1.1 404 Not Found\r\n\r\n";
  const sensors: Record<string, unknown> = {};
  for (const sensor of gateway.sensors) {
    const readings: Record<string, unknown> = { produced: sensor.produced, delivered: sensor.delivered };
    for (const reading of sensor.readings) {
      const ten = reading.window.over(10, sim.clock.now, stats);
      const entry: Record<string, number> = { latest: reading.window.latest, samples: reading.window.samples, min10s: ten.min, max10s: ten.max, mean10s: ten.mean };
      const sixty = reading.window.over(60, sim.clock.now, stats);
      entry["min60s"] = sixty.min;
      entry["max60s"] = sixty.max;
      entry["mean60s"] = sixty.mean;
      readings[reading.name] = entry;
    }
    sensors[sensor.name] = readings;
  }
  const body = JSON.stringify({ uptimeMs: sim.clock.now, sensors });
  return `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
}

const comparisons = [
  compare("GET /v1/readings", side("pooled service", () => {
    const slot = service.open();
    service.receive(slot, request, 0, request.length);
    service.sent(slot);
  }), side("strings + JSON.stringify per request", () => {
    sent += naive(requestText).length;
  }), { ops: OPS }),
];

printSuite({ ...run, engine: engine().name, suite: "http", ops: OPS, comparisons, sink: sent > 0 });
