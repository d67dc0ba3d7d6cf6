/**
 * `main` on a Moddable board without a network (the plain Pico): the composition root of the gateway on the
 * board's `device`, with its console on the USB serial port (trace): every `config.reportMs` (10 s unless built
 * with `reportMs=…`) the readings JSON, a line per sensor, drops by reason and the memory line. The sensors are the
 * manifest's `config.sensors`, else the default declaration (the Pico wiring, DEFAULT_SENSORS). No HTTP, so no
 * API or metrics are made: the console reads the documents. The settings are kept in the flash's last two sectors
 * (settings.ts over pico/settings-flash.ts) and changed by `config` lines typed on the USB console (pico/console.ts).
 *
 * trace() takes strings, so a report allocates them; a collection after each report clears them. The strict check
 * (SteadyCheck) then reads memory right after that collection and again before anything of the next report runs:
 * any slot, chunk byte or collection in between is what sampling allocated, reported on the `steady:` line.
 * Imports are by specifier: XS resolves a relative import from the module's name, and this module is named `main`.
 */
import { GatewayConsole, type ConsoleOutput } from "stillheap/src/app/gateway/console";
import { DEFAULT_SENSORS } from "stillheap/src/app/gateway/default-sensors";
import { GatewayDocuments } from "stillheap/src/app/gateway/documents";
import { Gateway } from "stillheap/src/app/gateway/gateway";
import { pico } from "stillheap/boards/pico";
import { engine } from "stillheap/src/engine/index";
import { MemoryStats } from "stillheap/src/mem/stats";
import { ascii } from "stillheap/src/net/ascii";
import type { Clock } from "stillheap/src/services/time";
import { installModdableEngine } from "stillheap/hosts/moddable/engine";
import { apiToken, boardDevice, declaredSensors, moddableTimer, traceUnopened } from "stillheap/hosts/moddable/gateway";
import { composeSettings } from "stillheap/hosts/moddable/settings";
import { PicoConsole } from "stillheap/hosts/moddable/pico/console";
import { PicoFlash } from "stillheap/hosts/moddable/pico/settings-flash";
import { FlashSlots } from "stillheap/src/services/flash-slots";
import config from "mc/config";
import Timer from "timer";

const BOOT = ascii("[firmware] boot: main at ");
const GATEWAY_AT = ascii(" ms, gateway at ");
const SENSORS_AT = ascii(" ms, sensors open at ");
const AFTER_RESET = ascii(" ms after reset; before the gateway slots=");
const CHUNKS = ascii(" chunks=");
const GC_STARTED = ascii("; collections by then ");
const STEADY = ascii("[firmware] steady: slots ");
const STEADY_CHUNKS = ascii(" chunks ");
const COLLECTED = ascii(" collected ");
const YES = ascii("yes");
const NO = ascii("no");
const PIECE = 128;

/** trace() in pieces: it takes a string, and one made of a whole readings line would be large. */
const traceOutput: ConsoleOutput = {
  write(bytes: Uint8Array, start: number, length: number): void {
    for (let at = start; at < start + length; at += PIECE) {
      trace(String.fromCharCode(...bytes.subarray(at, Math.min(at + PIECE, start + length))));
    }
  },
};

/**
 * Once, the boot by phase: when main ran, the gateway was made and its sensors opened, memory before the gateway
 * (after one collection), and the collections up to the sensors opening (that one included).
 */
function bootLine(gateway: Gateway, mainAtMs: number, before: MemoryStats, started: MemoryStats): (report: GatewayConsole) => void {
  let reported = false;
  return (report) => {
    if (reported) return;
    reported = true;
    const boot = gateway.boot;
    report.line().raw(BOOT).integer(mainAtMs).raw(GATEWAY_AT).integer(boot.bootAtMs).raw(SENSORS_AT)
      .integer(boot.bootAtMs + boot.servicesStartedMs).raw(AFTER_RESET).integer(before.slotsUsed).raw(CHUNKS)
      .integer(before.chunkBytesUsed).raw(GC_STARTED).integer(started.gcRecent);
    report.end();
  };
}

/**
 * What ran between two reports, as the bare-metal image's check does it: memory read right after a report's
 * collection, then again first thing at the next report, and whether a collection ran in between — seen by a
 * WeakRef to an object nothing holds, which only a collection clears (the SDK resets its collection count every
 * second, so that count cannot say). Only where memory is measured (-d and -i builds).
 */
class SteadyCheck {
  readonly #after = new MemoryStats();
  readonly #before = new MemoryStats();
  #sentinel: WeakRef<object> | undefined;
  #collected = false;

  /** Right after a report's collection. The sentinel is made before the reading, so it is not counted. */
  arm(): void {
    if (!engine().exactMemory) return;
    this.#sentinel = new WeakRef({});
    this.#after.read();
  }

  /** First thing at a report. */
  measure(): void {
    if (this.#sentinel === undefined) return;
    this.#before.read();
    this.#collected = this.#sentinel.deref() === undefined;
  }

  write(report: GatewayConsole): void {
    if (this.#sentinel === undefined) return;
    report.line().raw(STEADY).integer(this.#before.slotsUsed - this.#after.slotsUsed).raw(STEADY_CHUNKS)
      .integer(this.#before.chunkBytesUsed - this.#after.chunkBytesUsed).raw(COLLECTED).raw(this.#collected ? YES : NO);
    report.end();
  }
}

// Nothing sets the time of day here, so Date.now() counts from reset: boot milestones are times since reset.
const mainAtMs = Date.now();

function main(): void {
  installModdableEngine();
  engine().collectGarbage(); // so `before` is what the SDK's runtime and the preloaded modules hold, not boot's garbage
  const before = new MemoryStats().read();
  const clock: Clock = { nowMs: Date.now };
  const device = boardDevice(pico);
  const sensors = declaredSensors(config.sensors ?? DEFAULT_SENSORS, device, pico.gpioCount, config.sensors === undefined ? "DEFAULT_SENSORS" : "config.sensors");
  if (sensors === undefined) return;
  const gateway = new Gateway({ device, timer: moddableTimer, clock, sensors });
  const documents = new GatewayDocuments(gateway, clock);
  const flash = new PicoFlash();
  const keeper = composeSettings({ gateway, documents, sensors, timer: moddableTimer, clock,
    store: new FlashSlots(flash, flash.settingsSector), where: "the flash's last two sectors" });
  gateway.start(); // the first sample; the console input after it, as it is not needed for sampling
  const input = new PicoConsole({ gateway, documents, keeper, token: apiToken(), output: traceOutput, timer: moddableTimer });
  const started = new MemoryStats().read(); // collections so far: the host's count covers the first second
  traceUnopened(gateway);
  const boot = bootLine(gateway, mainAtMs, before, started);
  const steady = new SteadyCheck();
  const serial = new GatewayConsole(gateway, documents, { output: traceOutput, readingsBytes: pico.http.responseBytes,
    extra: (report) => {
      boot(report);
      input.writeLines(report);
      steady.write(report);
    } });
  let failedReports = 0;
  Timer.repeat(() => {
    steady.measure();
    try {
      serial.report();
    } catch (error: unknown) {
      failedReports++; // a report that fails must not stop the next one, nor sampling
      trace(`stillheap: report ${failedReports} failed: ${String(error)}\n`);
    }
    engine().collectGarbage();
    steady.arm();
  }, Number(config.reportMs ?? 10_000));
}

// From a timer, not the module body: the body runs under the module loader's frames, where building the gateway
// overflowed the SDK's smaller stacks (lin's and esp32's 384 slots; this one has 512).
Timer.set(main, 0);
