/**
 * The firmware entry on bare-metal RP2040 and its one composition root: engine → device → the sensor declaration
 * the build compiled in → Gateway → GatewayDocuments → the settings kept in the last two flash sectors (RecordSlots
 * over FlashSlots, a SettingsKeeper loaded before the gateway starts) → GatewayConsole on UART0, whose input takes
 * the `config` commands (src/app/gateway/console-config.ts) → the report timer. Every declared sensor is sampled on
 * its period into the gateway's windows (interrupt pins as declared), the watchdog fed by the sampling loop; the Pico has no network,
 * so once a second the console prints the readings document, a line per sensor, the settings and console counters.
 * The board's button pin, unless a declared sensor uses it, has its edges counted through onReadable.
 */
import { pico } from "../../boards/pico.js";
import { GatewayConsole, type ConsoleOutput } from "../../src/app/gateway/console.js";
import { ConsoleConfig } from "../../src/app/gateway/console-config.js";
import { boardFacts, readDeclaration, type DeclaredSensor } from "../../src/app/gateway/declaration.js";
import { GatewayDocuments } from "../../src/app/gateway/documents.js";
import { Gateway } from "../../src/app/gateway/gateway.js";
import type { SensorType } from "../../src/app/gateway/sensor-type.js";
import { SettingsKeeper, SettingsRestored, settingsSlotBytes } from "../../src/app/gateway/settings.js";
import { MemoryStats } from "../../src/mem/stats.js";
import { ConsoleInput } from "../../src/services/console-input.js";
import { FlashSlots } from "../../src/services/flash-slots.js";
import { BoundedSlots, RecordSlots } from "../../src/services/record-slots.js";
import { rp2040Device } from "./device.js";
import { pinOwners } from "./digital.js";
import { installRp2040Engine } from "./engine.js";
import { Rp2040Flash, SECTOR_BYTES } from "./settings-flash.js";
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
const uart: ConsoleOutput = {
  write(bytes: Uint8Array, start: number, length: number): void {
    rp2040.write(bytes.buffer as ArrayBuffer, bytes.byteOffset + start, length);
  },
};

/**
 * The console's last lines of a report: the button's edges as onReadable saw them (if it counts them), the GPIO
 * interrupts; settings records written (and their bytes), refused, found corrupt or rejected at boot; console lines
 * and commands. Their text is string literals (ByteWriter.ascii): on XS a literal lives in the bytecode and costs no
 * heap, where a pre-encoded constant costs its typed array's slots for good.
 */
class HostLines {
  constructor(readonly keeper: SettingsKeeper, readonly input: ConsoleInput, readonly config: ConsoleConfig) {}

  write(report: GatewayConsole): void {
    const out = report.line().ascii("gpio ");
    if (button.pin >= 0) out.integer(button.pin).ascii(" onReadable=").integer(button.onReadableCalls).byte(32);
    out.ascii("interrupts=").integer(rp2040.gpioEdges()).ascii(" coalesced=").integer(rp2040.gpioCoalesced());
    report.end();
    const slots = this.keeper.slots;
    report.line().ascii("settings writes=").integer(slots.writes).ascii(" bytes=").integer(slots.bytesWritten)
      .ascii(" refused=").integer(slots.refused).ascii(" corrupt=").integer(slots.corrupt).ascii(" rejected=").integer(this.keeper.rejected);
    report.end();
    const config = this.config;
    report.line().ascii("console lines=").integer(this.input.lines).ascii(" refused=").integer(this.input.refused)
      .ascii(" dropped=").integer(rp2040.uartDropped()).ascii(" config-applied=").integer(config.applied)
      .ascii(" config-unauthorized=").integer(config.unauthorized).ascii(" config-rejected=").integer(config.rejected);
    report.end();
  }
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

interface Composed {
  readonly gateway: Gateway;
  readonly serial: GatewayConsole;
  readonly keeper: SettingsKeeper;
  readonly config: ConsoleConfig;
}

/** The console's input, once composed: the main loop hands it what the UART received. */
let input: ConsoleInput | undefined;

/**
 * The declaration the build compiled in, read against this board, and what is made from it. Called from the main
 * loop, not the bundle's body: that body is a frame as large as the program's top-level declarations, and reading
 * the declaration on top of it was the deepest the XS stack went.
 */
function compose(): Composed {
  // Checked at build time against the same board facts (tools/rp2040/sensors.ts): here it does not fail.
  const sensors = readDeclaration(STILLHEAP_SENSORS, boardFacts(device, pico.gpioCount), sensorTypes, "sensors");
  const gateway = new Gateway({ device, timer: timers, clock, sensors });
  const documents = new GatewayDocuments(gateway, clock);
  const flash = new FlashSlots(new Rp2040Flash(), rp2040.settingsFlash() / SECTOR_BYTES);
  const store = new BoundedSlots(flash, settingsSlotBytes(sensors, flash.slotBytes));
  const keeper = new SettingsKeeper({ gateway, documents, slots: new RecordSlots(store), timer: timers, clock });
  // rp2040.print is a host function: passed as it is, it uses no `this` and costs no closure.
  const config = new ConsoleConfig({ gateway, documents, settings: keeper, token: STILLHEAP_CONSOLE_TOKEN, print: rp2040.print,
    output: uart, replyBytes: store.payloadBytes + 16, tokenHelp: "(stillheap build --target rp2040 --token T)" });
  input = new ConsoleInput(config, rp2040.print, rp2040.uartRead);
  const lines = new HostLines(keeper, input, config);
  const serial = new GatewayConsole(gateway, documents, { output: uart, readingsBytes: pico.http.responseBytes, extra: lines.write.bind(lines) });
  if (!declares(pico.pins.button, sensors)) countEdges(pico.pins.button);
  return { gateway, serial, keeper, config };
}

/** What the keeper found in flash, and the settings in effect (GET /v1/config's document). */
function reportSettings(keeper: SettingsKeeper, config: ConsoleConfig): void {
  for (const problem of keeper.problems) rp2040.print(`[firmware] settings: ${problem}`);
  const restored = keeper.restored === SettingsRestored.record ? "restored from flash"
    : keeper.restored === SettingsRestored.olderRecord ? "restored from flash (the record before the newest)"
      : "the declaration's (no settings record in flash)";
  rp2040.print(`[firmware] settings: ${restored}; two ${keeper.slots.store.slotBytes}-byte record slots at flash 0x${rp2040.settingsFlash().toString(16)}`);
  config.printSettings();
}

/**
 * The first turn of the main loop: composes and restores the settings. What that leaves behind (the declaration's
 * parse, the records read) stays reachable while this frame lives, so the sensors open on the next turn, after a
 * collection: together the two peaks were more than the arena holds.
 */
function start(): void {
  const composed = compose();
  composed.keeper.load();
  reportSettings(composed.keeper, composed.config);
  timers.set(() => open(composed), 0);
}

/** The second turn: opens the sensors (the first sample now) and starts the keeper's checks. */
function open({ gateway, serial, keeper }: Composed): void {
  rp2040.collect();
  gateway.start();
  keeper.start();
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
 * The turn after open (whose frame still reaches ~15 KB of its garbage): one collection, so the memory line shows
 * what the running gateway holds and the arena left is the real headroom, whenever boot's last collection fell;
 * then a report once a second.
 */
function settle(serial: GatewayConsole): void {
  rp2040.collect();
  timers.repeat(() => serial.report(), REPORT_MS);
}

/** The sensor types the declaration names: only those are in the image (each type module loaded costs RAM). */
let sensorTypes: readonly SensorType[] = [];

/**
 * Starts the firmware with the sensor types its declaration uses. The build's entry calls it (tools/rp2040/build.ts
 * generates that entry from the declaration); the gateway is composed on the main loop's first turn.
 */
export function startFirmware(types: readonly SensorType[]): void {
  sensorTypes = types;
  timers.set(start, 0);
}

globalThis.rp2040Service = (edges: number, received: number): number => {
  if (edges !== 0) pinOwners.dispatch(edges);
  if (received !== 0) input?.poll();
  return timers.runDue(rp2040.nowMicros());
};
