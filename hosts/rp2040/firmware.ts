/**
 * The firmware entry on bare-metal RP2040: the sensor gateway (src/app/gateway) on the chip's own I2C0 and GPIO —
 * every sensor of the board sampled on its period into the gateway's windows, the TMP117's ALERT and the LIS3DH's
 * data-ready by interrupt, the watchdog fed by the sampling loop — with its report on the UART console once a second
 * (the Pico has no network; the same HTTP service answers the console's GET /v1/readings). A button pin's edges are
 * counted through onReadable.
 */
import { pico } from "../../boards/pico.js";
import { GatewayApi } from "../../src/app/gateway/api.js";
import { Gateway } from "../../src/app/gateway/gateway.js";
import { httpSizing } from "../../src/app/gateway/service.js";
import { GatewayConsole, type ConsoleOutput } from "../../src/app/gateway/console.js";
import { ascii } from "../../src/net/ascii.js";
import { MemoryStats } from "../../src/mem/stats.js";
import { rp2040Device } from "./device.js";
import { pinOwners } from "./digital.js";
import { installRp2040Engine } from "./engine.js";
import { DeviceTimers } from "./timers.js";

const REPORT_MS = 1000;
/** POST /v1/config needs a token even though no network reaches this console; nothing here sends one. */
const CONSOLE_ONLY_TOKEN = "uart-console-only";

/** When the bundle's body began, after the engine was made and the bytecode linked. */
const mainAtMs = rp2040.nowMicros() / 1000;
installRp2040Engine();
/** The gateway's clock counts from reset, so its boot milestones are times since reset. */
const clock = { nowMs: (): number => rp2040.nowMicros() / 1000 };
const timers = new DeviceTimers(() => rp2040.nowMicros());
const device = rp2040Device(pico);

/** An input pin whose edges the firmware counts in onReadable. */
const button = { pin: pico.pins.button, onReadableCalls: 0 };
const GPIO = ascii("gpio ");
const ON_READABLE = ascii(" onReadable=");
const INTERRUPTS = ascii(" interrupts=");
const COALESCED = ascii(" coalesced=");
const uart: ConsoleOutput = {
  write(bytes: Uint8Array, start: number, length: number): void {
    rp2040.write(bytes.buffer as ArrayBuffer, bytes.byteOffset + start, length);
  },
};

/** The console's last line here: the button's edges as onReadable saw them, and the GPIO interrupt counters. */
function gpioLine(report: GatewayConsole): void {
  report.line().raw(GPIO).integer(button.pin).raw(ON_READABLE).integer(button.onReadableCalls)
    .raw(INTERRUPTS).integer(rp2040.gpioEdges()).raw(COALESCED).integer(rp2040.gpioCoalesced());
  report.end();
}
const { Digital } = device.io;
new Digital({ pin: button.pin, mode: Digital.InputPullUp, edge: Digital.Rising | Digital.Falling, onReadable() {
  button.onReadableCalls++;
} });

const gateway = new Gateway({ device, timer: timers, clock });

/** Runs on the first turn of the main loop, once the bundled module's body (a frame as large as the program's
 * top-level declarations) has left the XS stack. */
function start(): void {
  gateway.start();
  for (const failure of gateway.startFailures) rp2040.print(`[firmware] sensor not started: ${failure}`);
  const boot = gateway.boot;
  rp2040.print(`[firmware] boot: main at ${mainAtMs.toFixed(1)} ms, gateway at ${boot.bootAtMs.toFixed(1)} ms, sensors open ` +
    `at ${(boot.bootAtMs + boot.servicesStartedMs).toFixed(1)} ms after reset; collections by then ${new MemoryStats().read().gcCount}`);
  const serial = new GatewayConsole(gateway, new GatewayApi(gateway, clock, { apiToken: CONSOLE_ONLY_TOKEN }),
    { output: uart, extra: gpioLine, http: httpSizing(pico.http) });
  timers.repeat(() => serial.report(), REPORT_MS);
  rp2040.print(`[firmware] gateway running: ${gateway.sensors.length} sensors`);
}
timers.set(start, 0);

globalThis.rp2040Service = (edges: number): number => {
  if (edges !== 0) pinOwners.dispatch(edges);
  return timers.runDue(rp2040.nowMicros());
};
