/**
 * Does the gateway fit a Pico? Run on the XS host under the board's budget (`stillheap bench fit`): composed as the
 * Pico's own root composes it (hosts/rp2040/firmware.ts; the Pico has no network) — the default declaration read
 * against the simulated board, Gateway, GatewayDocuments, the settings (RecordSlots over FlashSlots on a simulated
 * flash's last two sectors, the SettingsKeeper loaded before the start) and the console with its config commands,
 * its readings buffer sized by the board —
 * ten virtual seconds, then what the VM holds. Run preloaded: what evaluating the modules creates is not charged, as
 * on a device that preloads them into flash. The simulator (clock, bus, device models) runs in the same VM and is
 * charged too; on the device it does not exist.
 */
import { pico } from "../../boards/pico.js";
import { installXsEngine } from "../../hosts/xs/host.js";
import { SENSOR_TYPES } from "../../src/app/gateway/catalogue.js";
import { GatewayConsole } from "../../src/app/gateway/console.js";
import { boardFacts, readDeclaration } from "../../src/app/gateway/declaration.js";
import { DEFAULT_SENSORS } from "../../src/app/gateway/default-sensors.js";
import { GatewayDocuments } from "../../src/app/gateway/documents.js";
import { Gateway } from "../../src/app/gateway/gateway.js";
import { engine } from "../../src/engine/index.js";
import { MemoryStats } from "../../src/mem/stats.js";
import { SettingsKeeper, settingsSlotBytes } from "../../src/app/gateway/settings.js";
import { FlashSlots } from "../../src/services/flash-slots.js";
import { BoundedSlots, RecordSlots } from "../../src/services/record-slots.js";
import { ConsoleInput } from "../../src/services/console-input.js";
import { ConsoleConfig } from "../../src/app/gateway/console-config.js";
import { SimulatedFlash } from "../../simulator/flash.js";
import { loadScenario } from "../../simulator/scenario.js";
import { timerApi } from "../../simulator/timer.js";

if (!xshost.preloaded()) throw new Error("run this with --preloaded (stillheap bench fit does)");
installXsEngine();
const memory = new MemoryStats();
const bytes = (stats: MemoryStats): number => stats.chunkBytesUsed + stats.slotsUsed * 16;
engine().collectGarbage();
const atStart = bytes(memory.read());
const sim = loadScenario({ board: "pico", devices: [{ type: "sht3x" }, { type: "bmp280" }, { type: "tmp117", alertPin: 16 },
  { type: "lis3dh", int1Pin: 17 }] });
const flash = new SimulatedFlash(sim.clock, { sectors: 2 }); // the two settings sectors (on the Pico, flash, not RAM)
engine().collectGarbage();
const withSimulator = bytes(memory.read());
engine().print(`stage simulator: the VM holds ${withSimulator} bytes (${atStart} before it)`);
const clock = { nowMs: () => sim.clock.now };
const sensors = readDeclaration(DEFAULT_SENSORS, boardFacts(sim.device, pico.gpioCount), SENSOR_TYPES, "DEFAULT_SENSORS");
const timer = timerApi(() => sim.clock);
const gateway = new Gateway({ device: sim.device, timer, clock, sensors });
const documents = new GatewayDocuments(gateway, clock);
let written = 0;
const output = { write: (_bytes: Uint8Array, _start: number, length: number): void => { written += length; } };
const slots = new FlashSlots(flash, 0);
const store = new BoundedSlots(slots, settingsSlotBytes(sensors, slots.slotBytes));
const keeper = new SettingsKeeper({ gateway, documents, slots: new RecordSlots(store), timer, clock });
const print = (text: string): void => { written += text.length; };
const config = new ConsoleConfig({ gateway, documents, settings: keeper, token: "bench-fit-token", print, output,
  replyBytes: store.payloadBytes + 16, tokenHelp: "(stillheap build --target rp2040 --token T)" });
const nothingReceived = (): number => 0;
const input = new ConsoleInput(config, print, nothingReceived); // as on the Pico; the UART has received nothing here
const report = new GatewayConsole(gateway, documents, { output, readingsBytes: pico.http.responseBytes });
keeper.load();
engine().print(`stage gateway made: the VM holds ${bytes(memory.read())} bytes`);
// Started, sampled and reported from a job, after the module body has returned, as a device runs them from timer
// callbacks: run from the module body, sampling through the simulator's bus overflowed the Pico's 512-slot stack.
void Promise.resolve().then(() => {
  gateway.start();
  keeper.start();
  engine().print(`stage sensors open: the VM holds ${bytes(memory.read())} bytes`);
  for (let second = 0; second < 10; second++) {
    sim.clock.advance(1000);
    report.report();
  }
  engine().collectGarbage();
  const running = memory.read();
  const result = {
    suite: "fit", board: pico.name, budgetBytes: pico.xsBudgetBytes, consoleBytesWritten: written,
    vmAtStartBytes: atStart, simulatorBytes: withSimulator - atStart, gatewayBytes: bytes(running) - withSimulator,
    heldBytes: bytes(running), peakSlots: running.slotsPeak, peakChunkBytes: running.chunkBytesPeak, gcCount: running.gcCount,
    settingsSlotBytes: store.slotBytes, consoleLineBytes: input.line.length,
  };
  engine().print(JSON.stringify(result));
});
