/**
 * The firmware entry on bare-metal RP2040 and its one composition root: engine → device → the sensor declaration
 * the build compiled in → Gateway → GatewayDocuments → GatewayConsole on UART0 → the report timer. Every declared
 * sensor is sampled on its period into the gateway's windows (interrupt pins as declared), the watchdog fed by the
 * sampling loop; the Pico has no network, so once a second the console prints the readings document and a line per
 * sensor. The board's button pin, unless a declared sensor uses it, has its edges counted through onReadable.
 */
import { pico } from "../../boards/pico.js";
import { SENSOR_TYPES } from "../../src/app/gateway/catalogue.js";
import { GatewayConsole, type ConsoleOutput } from "../../src/app/gateway/console.js";
import { boardFacts, readDeclaration, type DeclaredSensor } from "../../src/app/gateway/declaration.js";
import { GatewayDocuments } from "../../src/app/gateway/documents.js";
import { Gateway } from "../../src/app/gateway/gateway.js";
import { ascii } from "../../src/net/ascii.js";
import { MemoryStats } from "../../src/mem/stats.js";
import { rp2040Device } from "./device.js";
import { pinOwners } from "./digital.js";
import { installRp2040Engine } from "./engine.js";
import { DeviceTimers } from "./timers.js";

const REPORT_MS = 1000;

/** When the bundle's body began, after the engine was made and the bytecode linked. */
const mainAtMs = rp2040.nowMicros() / 1000;
installRp2040Engine();
/** The gateway's clock counts from reset, so its boot milestones are times since reset. */
const clock = { nowMs: (): number => rp2040.nowMicros() / 1000 };
const timers = new DeviceTimers(() => rp2040.nowMicros());
const device = rp2040Device(pico);
/** The button pin whose edges onReadable counts (-1: none, the declaration gave the pin to a sensor). */
const button = { pin: -1, onReadableCalls: 0 };
const GPIO = ascii("gpio ");
const ON_READABLE = ascii(" onReadable=");
const INTERRUPTS = ascii("interrupts=");
const COALESCED = ascii(" coalesced=");
const uart: ConsoleOutput = {
  write(bytes: Uint8Array, start: number, length: number): void {
    rp2040.write(bytes.buffer as ArrayBuffer, bytes.byteOffset + start, length);
  },
};

/** The console's last line: the button's edges as onReadable saw them (if it counts them), the GPIO interrupts. */
function gpioLine(report: GatewayConsole): void {
  const out = report.line().raw(GPIO);
  if (button.pin >= 0) out.integer(button.pin).raw(ON_READABLE).integer(button.onReadableCalls).byte(32);
  out.raw(INTERRUPTS).integer(rp2040.gpioEdges()).raw(COALESCED).integer(rp2040.gpioCoalesced());
  report.end();
}

function countEdges(pin: number): void {
  const { Digital } = device.io;
  button.pin = pin;
  new Digital({ pin, mode: Digital.InputPullUp, edge: Digital.Rising | Digital.Falling, onReadable() {
    button.onReadableCalls++;
  } });
}

function declares(pin: number, sensors: readonly DeclaredSensor[]): boolean {
  return sensors.some((sensor) => Object.values(sensor.pins).includes(pin));
}

/**
 * The declaration the build compiled in, read against this board, and what is made from it. Called from the main
 * loop, not the bundle's body: that body is a frame as large as the program's top-level declarations, and reading
 * the declaration on top of it was the deepest the XS stack went.
 */
function compose(): { gateway: Gateway; serial: GatewayConsole } {
  // Checked at build time against the same board facts (tools/rp2040/sensors.ts): here it does not fail.
  const sensors = readDeclaration(STILLHEAP_SENSORS, boardFacts(device, pico.gpioCount), SENSOR_TYPES, "sensors");
  const gateway = new Gateway({ device, timer: timers, clock, sensors });
  const documents = new GatewayDocuments(gateway, clock);
  const serial = new GatewayConsole(gateway, documents, { output: uart, readingsBytes: pico.http.responseBytes, extra: gpioLine });
  if (!declares(pico.pins.button, sensors)) countEdges(pico.pins.button);
  return { gateway, serial };
}

/** Runs on the first turn of the main loop: composes and opens the sensors. */
function start(): void {
  const { gateway, serial } = compose();
  gateway.start();
  for (const channel of gateway.channels) {
    if (!channel.open) rp2040.print(`[firmware] sensor not open yet (retrying): ${channel.openReason}`);
  }
  const boot = gateway.boot;
  rp2040.print(`[firmware] boot: main at ${mainAtMs.toFixed(1)} ms, gateway at ${boot.bootAtMs.toFixed(1)} ms, sensors open ` +
    `at ${(boot.bootAtMs + boot.servicesStartedMs).toFixed(1)} ms after reset; collections by then ${new MemoryStats().read().gcCount}`);
  rp2040.print(`[firmware] gateway running: ${gateway.channels.length} sensors (${gateway.channels.map((c) => c.name).join(", ")})`);
  timers.set(() => settle(serial), 0);
}

/**
 * The turn after start (whose frame still reaches ~15 KB of its garbage): one collection, so the memory line shows
 * what the running gateway holds and the arena left is the real headroom, whenever boot's last collection fell;
 * then a report once a second.
 */
function settle(serial: GatewayConsole): void {
  rp2040.collect();
  timers.repeat(() => serial.report(), REPORT_MS);
}
timers.set(start, 0);

globalThis.rp2040Service = (edges: number): number => {
  if (edges !== 0) pinOwners.dispatch(edges);
  return timers.runDue(rp2040.nowMicros());
};
