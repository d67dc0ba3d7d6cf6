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
import { engine } from "stillheap/src/engine/index";
import { boardDevice, moddableTimer, startBoardGateway } from "stillheap/hosts/moddable/gateway";
import config from "mc/config";
import Timer from "timer";

const reportMs = Number(config.reportMs ?? 10_000);
// Nothing sets the time of day here, so Date.now() counts from reset: the first-sample line is time since reset.
const { gateway, api } = startBoardGateway({ device: boardDevice(), timer: moddableTimer, nowMs: Date.now });
const PIECE = 128;
const serial = new GatewayConsole(gateway, api, {
  output: {
    write(bytes: Uint8Array, start: number, length: number): void {
      for (let at = start; at < start + length; at += PIECE) {
        trace(String.fromCharCode(...bytes.subarray(at, Math.min(at + PIECE, start + length))));
      }
    },
  },
});
let failedReports = 0;
Timer.repeat(() => {
  try {
    serial.report();
  } catch (error: unknown) {
    failedReports++; // a report that fails must not stop the next one, nor sampling
    trace(`stillheap: report ${failedReports} failed: ${String(error)}\n`);
  }
  engine().collectGarbage();
}, reportMs);
