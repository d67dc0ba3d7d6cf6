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
import { httpSizing } from "stillheap/src/app/gateway/service";
import { pico } from "stillheap/boards/pico";
import { engine } from "stillheap/src/engine/index";
import { MemoryStats } from "stillheap/src/mem/stats";
import { ascii } from "stillheap/src/net/ascii";
import { installModdableEngine } from "stillheap/hosts/moddable/engine";
import { boardDevice, moddableTimer, startBoardGateway } from "stillheap/hosts/moddable/gateway";
import config from "mc/config";
import Timer from "timer";

const reportMs = Number(config.reportMs ?? 10_000);
// Nothing sets the time of day here, so Date.now() counts from reset: boot milestones are times since reset.
const mainAtMs = Date.now();
installModdableEngine();
engine().collectGarbage(); // so `before` is what the SDK's runtime and the preloaded modules hold, not boot's garbage
const before = new MemoryStats().read();
const { gateway, api } = startBoardGateway({ device: boardDevice(), timer: moddableTimer, nowMs: Date.now });
const started = new MemoryStats().read(); // collections so far: the host's count covers the first second
const BOOT = ascii("[firmware] boot: main at ");
const GATEWAY_AT = ascii(" ms, gateway at ");
const SENSORS_AT = ascii(" ms, sensors open at ");
const AFTER_RESET = ascii(" ms after reset; before the gateway slots=");
const CHUNKS = ascii(" chunks=");
const GC_STARTED = ascii("; collections by then ");
let bootReported = false;

/**
 * Once, the boot by phase: when main ran, the gateway was made and its sensors opened, memory before the gateway
 * (after one collection), and the collections up to the sensors opening (that one included).
 */
function bootLine(report: GatewayConsole): void {
  if (bootReported) return;
  bootReported = true;
  const boot = gateway.boot;
  report.line().raw(BOOT).integer(mainAtMs).raw(GATEWAY_AT).integer(boot.bootAtMs).raw(SENSORS_AT)
    .integer(boot.bootAtMs + boot.servicesStartedMs).raw(AFTER_RESET).integer(before.slotsUsed).raw(CHUNKS)
    .integer(before.chunkBytesUsed).raw(GC_STARTED).integer(started.gcRecent);
  report.end();
}
const PIECE = 128;
const serial = new GatewayConsole(gateway, api, {
  extra: bootLine,
  http: httpSizing(pico.http),
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
