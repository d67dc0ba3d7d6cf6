/**
 * `main` on a Moddable board without a network (the plain Pico): the sensor gateway, its readings traced as the
 * GET /v1/readings JSON every 10 s over the debug serial port.
 * Imports are by specifier: XS resolves a relative import from the module's name, and this module is named `main`.
 */
import { HttpService, type ResponseSink } from "stillheap/src/app/gateway/service";
import { ascii, asText } from "stillheap/src/net/ascii";
import { boardDevice, moddableTimer, startBoardGateway } from "stillheap/hosts/moddable/gateway";
import Timer from "timer";

const REPORT_MS = 10_000;
const { api } = startBoardGateway({ device: boardDevice(), timer: moddableTimer, nowMs: Date.now });
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
