/**
 * `main` on a Moddable board without a network (the plain Pico): the sensor gateway with its console on the USB
 * serial port (trace): every `config.reportMs` (10 s unless built with `reportMs=…`) the readings JSON, a line per
 * sensor, drops by reason and the memory line.
 *
 * trace() takes strings, so a report allocates them; a collection after each report clears them, and the next
 * report's memory line — read before it writes anything — shows only what sampling allocated in between: in a steady
 * state, the same figures every time.
 * Imports are by specifier: XS resolves a relative import from the module's name, and this module is named `main`.
 */
import { GatewayConsole } from "stillheap/src/app/gateway/console";
import { asText } from "stillheap/src/net/ascii";
import { engine } from "stillheap/src/engine/index";
import { boardDevice, moddableTimer, startBoardGateway } from "stillheap/hosts/moddable/gateway";
import config from "mc/config";
import Timer from "timer";

const reportMs = Number(config.reportMs ?? 10_000);
const { gateway, api } = startBoardGateway({ device: boardDevice(), timer: moddableTimer, nowMs: Date.now });
const serial = new GatewayConsole(gateway, api, {
  output: { write: (bytes, start, length) => trace(asText(bytes, start, length)) },
});
Timer.repeat(() => {
  serial.report();
  engine().collectGarbage();
}, reportMs);
