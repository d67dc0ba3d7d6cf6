/**
 * HTTP resumption benchmark, run on the XS host by `stillheap bench http-resume`: a 1,058-byte request (a browser's
 * GET with the headers browsers send) fed one byte at a time against the same request fed whole, in the same run —
 * through the parser alone, and served by the gateway through the connection service with the ESP32's request limits
 * (one slot with a 2.5 KB response buffer, to fit the Pico's budget beside the simulator: GET /healthz). A parser that rescans from byte 0 on every chunk costs the square of the length; a resuming one a
 * constant per chunk. The bench fails when a served request fed byte by byte costs more than twice the whole one.
 */
import { esp32 } from "../../boards/esp32.js";
import { httpSizing } from "../../src/app/gateway/http-sizing.js";
import type { ResponseSink } from "../../src/net/connections.js";
import { composeGateway, declaredSensors } from "../../hosts/sim/gateway.js";
import { engine } from "../../src/engine/index.js";
import { ascii, HttpRequest, ParseResult, parseRequest } from "../../src/net/index.js";
import { loadScenario } from "../../simulator/scenario.js";
import { compare, printSuite, side, startBench } from "../support/measure.js";

const run = startBench();
const OPS = 20;
/** Served byte by byte at most this many times the whole request's cost (the ratio whole ÷ bytewise at least 1/2). */
const MOST = 2;

const REQUEST = ascii([
  `GET /healthz?utm_source=newsletter&utm_medium=mail&utm_campaign=${"spring".repeat(18)} HTTP/1.1`,
  "Host: stillheap.local:8080",
  "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/png,image/svg+xml,*/*;q=0.8",
  "Accept-Language: en-GB,en;q=0.7,de;q=0.3",
  "Accept-Encoding: gzip, deflate",
  "Connection: keep-alive",
  `Cookie: session=${"0123456789abcdef".repeat(19)}; theme=dark; panel=collapsed; tz=UTC`,
  "Upgrade-Insecure-Requests: 1",
  "Sec-Fetch-Dest: document",
  "Sec-Fetch-Mode: navigate",
  "Sec-Fetch-Site: none",
  "Sec-Fetch-User: ?1",
  "Priority: u=0, i",
  "Pragma: no-cache",
  "Cache-Control: no-cache",
  "", "",
].join("\r\n"));
if (REQUEST.length !== 1058) throw new Error(`the bench's request is ${REQUEST.length} bytes, not 1,058: adjust the cookie`);

const sim = loadScenario({ board: "esp32", devices: [{ type: "sht3x", temperatureC: 21.5, humidityRH: 45 }] });
let sent = 0;
let status = 0;
const sink: ResponseSink = { send: (_slot, bytes, length) => {
  sent += length;
  status = (bytes[9] ?? 0) * 100 + (bytes[10] ?? 0) * 10 + (bytes[11] ?? 0) - 48 * 111;
} };
const { gateway, service: served } = composeGateway({ sim, sensors: declaredSensors(sim, undefined, ""), apiToken: "bench-token",
  http: { sink, ...httpSizing({ ...esp32.http, slots: 1, responseBytes: 2560 }) } });
if (served === undefined) throw new Error("composed without its connection service");
const service = served;
const limits = service.limits;
/** Read once: a typed array's length is a native getter on XS, a cost the loops should not carry. */
const BYTES = REQUEST.length;
const input = new Uint8Array(BYTES);
input.set(REQUEST);
const request = new HttpRequest();

function parseWhole(): void {
  if (parseRequest(request.reset(input), BYTES, limits) !== ParseResult.complete) throw new Error("the request did not parse");
}

function parseBytewise(): void {
  request.reset(input);
  let result: number = ParseResult.incomplete;
  for (let length = 1; length <= BYTES; length++) result = parseRequest(request, length, limits);
  if (result !== ParseResult.complete) throw new Error("the request did not parse byte by byte");
}

function serveWhole(): void {
  const slot = service.open();
  service.receive(slot, REQUEST, 0, BYTES);
  service.sent(slot);
}

function serveBytewise(): void {
  const slot = service.open();
  for (let at = 0; at < BYTES; at++) service.receive(slot, REQUEST, at, 1);
  service.sent(slot);
}

void Promise.resolve().then(() => {
  gateway.start();
  sim.clock.advance(3_000);
  serveBytewise();
  if (status !== 200) throw new Error(`GET /healthz fed byte by byte answered ${status}, not 200`);
  const comparisons = [
    compare("1,058-byte request parsed", side("fed one byte at a time", parseBytewise), side("fed whole", parseWhole), { ops: OPS }),
    compare("1,058-byte GET /healthz served", side("fed one byte at a time", serveBytewise), side("fed whole", serveWhole), { ops: OPS }),
  ];
  const servedRatio = comparisons[1]?.ratio.median ?? 0;
  printSuite({ ...run, engine: engine().name, suite: "http-resume", ops: OPS, requestBytes: REQUEST.length, mostTimes: MOST,
    comparisons, sink: sent > 0 });
  // Printed first, so the figures are there to read; the exit status fails the bench.
  if (!(servedRatio >= 1 / MOST)) {
    throw new Error(`a request fed byte by byte costs ${(1 / servedRatio).toFixed(2)}× the whole request, more than ${MOST}×`);
  }
  const bytewise = comparisons[1]?.ours;
  if (bytewise?.gcCycles !== 0 || bytewise.slotsPerOp !== 0) {
    throw new Error(`serving byte by byte must neither collect nor allocate: ${bytewise?.gcCycles} collections, ${bytewise?.slotsPerOp} slots`);
  }
});
