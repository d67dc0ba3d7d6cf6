/**
 * Entry on a Moddable board without a network (the plain Pico): the sensor gateway, its readings traced as the
 * GET /v1/readings JSON every 10 s over the debug serial port.
 */
import { HttpService, type ResponseSink } from "../../src/app/index.js";
import { ascii, asText } from "../../src/net/index.js";
import { startBoardGateway } from "./gateway.js";
import { Timer } from "./engine.js";

const REPORT_MS = 10_000;
const { api } = startBoardGateway();
let text = "";
const sink: ResponseSink = { send: (_slot, bytes, length) => { text = asText(bytes, 0, length); } };
const service = new HttpService(api, sink, { slots: 1 });
const request = ascii("GET /v1/readings HTTP/1.1\r\n\r\n");
Timer.repeat(() => {
  const slot = service.open();
  service.receive(slot, request, 0, request.length);
  service.sent(slot);
  trace(`${text.slice(text.indexOf("\r\n\r\n") + 4)}\n`);
}, REPORT_MS);
