/**
 * Does the gateway fit a Pico? Run on the XS host under the board's budget (`stillheap bench fit`): composed as the
 * Pico's own root composes it (hosts/rp2040/firmware.ts; the Pico has no network) — the default declaration read
 * against the simulated board, Gateway, GatewayDocuments and the console, its readings buffer sized by the board —
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
engine().collectGarbage();
const withSimulator = bytes(memory.read());
engine().print(`stage simulator: the VM holds ${withSimulator} bytes (${atStart} before it)`);
const clock = { nowMs: () => sim.clock.now };
const sensors = readDeclaration(DEFAULT_SENSORS, boardFacts(sim.device, pico.gpioCount), SENSOR_TYPES, "DEFAULT_SENSORS");
const gateway = new Gateway({ device: sim.device, timer: timerApi(() => sim.clock), clock, sensors });
const documents = new GatewayDocuments(gateway, clock);
let written = 0;
const report = new GatewayConsole(gateway, documents, {
  output: { write: (_bytes, _start, length) => { written += length; } }, readingsBytes: pico.http.responseBytes,
});
engine().print(`stage gateway made: the VM holds ${bytes(memory.read())} bytes`);
// Started, sampled and reported from a job, after the module body has returned, as a device runs them from timer
// callbacks: run from the module body, sampling through the simulator's bus overflowed the Pico's 512-slot stack.
void Promise.resolve().then(() => {
  gateway.start();
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
  };
  engine().print(JSON.stringify(result));
});
