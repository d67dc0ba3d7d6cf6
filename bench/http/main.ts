/**
 * HTTP benchmark, run on the XS host by `stillheap bench http`: the gateway's GET /v1/readings through the
 * host-neutral service with the Pico's HTTP sizing (pooled buffers, bytes in and out) against a straightforward
 * handler that splits strings, builds an object and JSON.stringify()s it per request — same readings, same content
 * (checked before timing), same engine, one run.
 */
import { pico } from "../../boards/pico.js";
import { WindowStats } from "../../src/app/index.js";
import { httpSizing } from "../../src/app/gateway/http-sizing.js";
import type { ResponseSink } from "../../src/net/connections.js";
import { composeGateway, declaredSensors } from "../../hosts/sim/gateway.js";
import { engine } from "../../src/engine/index.js";
import { ascii, asText } from "../../src/net/index.js";
import { loadScenario } from "../../simulator/scenario.js";
import { compare, printSuite, side, startBench } from "../support/measure.js";

const run = startBench();
const OPS = 1000;
// The sensors of simulator/scenarios/default.json (what `npm start` shows): values that change, so the windows'
// min, max and mean differ and the numbers have their usual length.
const sim = loadScenario({ board: "pico", devices: [
  { type: "sht3x", temperatureC: { kind: "sine", mean: 22, amplitude: 2, periodMs: 60000 }, humidityRH: { kind: "noise", mean: 45, deviation: 1.5, seed: 5 } },
  { type: "bmp280", temperatureC: 21.5, pressurePa: { kind: "sine", mean: 101325, amplitude: 120, periodMs: 300000 } },
  { type: "tmp117", temperatureC: { kind: "ramp", from: 21, to: 24, durationMs: 120000 }, alertPin: 16 },
  { type: "lis3dh", xG: { kind: "noise", mean: 0, deviation: 0.01, seed: 9 }, zG: 1, int1Pin: 17 },
] });
let sent = 0;
let lastResponse = "";
let keep = false;
const sink: ResponseSink = { send: (_slot, bytes, length) => {
  sent += length;
  if (keep) lastResponse = asText(bytes, 0, length);
} };
const { gateway, service: served } = composeGateway({ sim, sensors: declaredSensors(sim, undefined, ""), apiToken: "bench-token",
  http: { sink, ...httpSizing(pico.http) } });
if (served === undefined) throw new Error("composed without its connection service");
const service = served;
const request = ascii("GET /v1/readings HTTP/1.1\r\nHost: stillheap\r\n\r\n");
const requestText = "GET /v1/readings HTTP/1.1\r\nHost: stillheap\r\n\r\n";
const stats = new WindowStats();

/** Three decimals, as the gateway writes them (JSON.stringify writes NaN as null, as the gateway does). */
function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** The straightforward handler: strings in, an object per reading, JSON.stringify, a string out. */
function naive(text: string): string {
  const [line] = text.split("\r\n");
  const [method, path] = (line ?? "").split(" ");
  if (method !== "GET" || path !== "/v1/readings") return "HTTP/1.1 404 Not Found\r\n\r\n";
  const now = sim.clock.now;
  const sensors: Record<string, unknown> = {};
  for (const sensor of gateway.channels) {
    const readings: Record<string, unknown> = { produced: sensor.produced, delivered: sensor.delivered, dropped: sensor.droppedTotal };
    for (const reading of sensor.readings) {
      const window = reading.window;
      const ten = window.over(10, now, stats);
      const entry: Record<string, number> = { latest: round3(window.latest), samples: window.samples, min10s: round3(ten.min),
        max10s: round3(ten.max), mean10s: round3(ten.mean) };
      const sixty = window.over(60, now, stats);
      entry["min60s"] = round3(sixty.min);
      entry["max60s"] = round3(sixty.max);
      entry["mean60s"] = round3(sixty.mean);
      readings[reading.name] = entry;
    }
    sensors[sensor.name] = readings;
  }
  const body = JSON.stringify({ uptimeMs: Math.round(now - gateway.boot.bootAtMs), sensors });
  return `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
}

function ours(): void {
  const slot = service.open();
  service.receive(slot, request, 0, request.length);
  service.sent(slot);
}

/** Both answer 200 with equal JSON (the gateway writes 21.500 where JSON.stringify writes 21.5) — or the bench fails. */
function checkSameContent(): number {
  keep = true;
  ours();
  keep = false;
  const theirs = naive(requestText);
  const split = (response: string): [string, string] => {
    const at = response.indexOf("\r\n\r\n");
    return [response.slice(0, at).replace(/Content-Length: \d+/, ""), response.slice(at + 4)];
  };
  const [ourHead, ourBody] = split(lastResponse);
  const [theirHead, theirBody] = split(theirs);
  if (ourHead !== theirHead || JSON.stringify(JSON.parse(ourBody)) !== theirBody) {
    throw new Error(`the two handlers answer differently:\n${lastResponse}\n---\n${theirs}`);
  }
  return ourBody.length;
}

// Sampled, checked and timed from a job, once the module body has returned, as a device samples and answers from
// event callbacks: the module body's frame would otherwise take stack slots that the Pico's 512 cannot spare.
void Promise.resolve().then(() => {
  gateway.start();
  sim.clock.advance(65_000); // the 60 s windows full
  const bodyBytes = checkSameContent();
  const comparisons = [
    compare("GET /v1/readings", side("pooled service (Pico sizing)", ours),
      side("strings + JSON.stringify per request", () => {
        sent += naive(requestText).length;
      }), { ops: OPS }),
  ];
  printSuite({ ...run, engine: engine().name, suite: "http", ops: OPS, comparisons, bodyBytes, sameContent: true, sink: sent > 0 });
  const pooled = comparisons[0]?.ours;
  if (pooled?.gcCycles !== 0 || pooled.slotsPerOp !== 0) {
    // Printed first, so the figures are there to read; the exit status fails the bench.
    throw new Error(`the pooled service must neither collect nor allocate slots: ${pooled?.gcCycles} collections, ` +
      `${pooled?.slotsPerOp} slots per request; find what allocates with tests/app/gateway-alloc.test.ts`);
  }
});
