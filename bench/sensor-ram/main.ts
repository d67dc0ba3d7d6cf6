/**
 * What one more declared sensor costs in RAM, on the XS host with the Pico's stack, preloaded (`stillheap bench
 * sensor-ram`): a gateway with its documents composed from one SHT3x, then one from two and one from three, all
 * kept, each started and sampled ten virtual seconds on the same simulated board, what the VM holds after a
 * collection measured between them. Gateway n's bytes less gateway n − 1's are one sensor more: its channel, driver,
 * readings' windows and sampling timer. The first includes what every gateway makes once.
 */
import { installXsEngine } from "../../hosts/xs/host.js";
import { SENSOR_TYPES } from "../../src/app/gateway/catalogue.js";
import { boardFacts, readDeclaration } from "../../src/app/gateway/declaration.js";
import { GatewayDocuments } from "../../src/app/gateway/documents.js";
import { Gateway } from "../../src/app/gateway/gateway.js";
import { engine } from "../../src/engine/index.js";
import { MemoryStats } from "../../src/mem/stats.js";
import { loadScenario } from "../../simulator/scenario.js";
import { timerApi } from "../../simulator/timer.js";

if (!xshost.preloaded()) throw new Error("run this with --preloaded (stillheap bench sensor-ram does)");
// The heap is ample (three gateways and the simulator exceed the Pico's 128 KB together); what is counted is exact.
installXsEngine();
const memory = new MemoryStats();
const held = (): number => {
  engine().collectGarbage();
  const stats = memory.read();
  return stats.chunkBytesUsed + stats.slotsUsed * 16; // slots at the device's 16 bytes
};
const sim = loadScenario({ board: "pico", devices: [{ type: "sht3x", address: 0x44 }, { type: "sht3x", address: 0x45 },
  { type: "sht3x", address: 0x44, bus: "i2c1" }] });
const clock = { nowMs: (): number => sim.clock.now };
const timer = timerApi(() => sim.clock);
const facts = boardFacts(sim.device, sim.board.gpioCount);
const DECLARED = [{ name: "first", type: "sht3x", address: 0x44 }, { name: "second", type: "sht3x", address: 0x45 },
  { name: "third", type: "sht3x", address: 0x44, bus: "i2c1" }];
const kept: Gateway[] = [];

// From a job, after the module body has returned, as a device runs from timers (the fit suite says why).
void Promise.resolve().then(() => {
  const bytes: number[] = [];
  let before = held();
  for (let count = 1; count <= DECLARED.length; count++) {
    const gateway = new Gateway({ device: sim.device, timer, clock, sensors: readDeclaration(DECLARED.slice(0, count), facts, SENSOR_TYPES) });
    new GatewayDocuments(gateway, clock);
    gateway.start();
    kept.push(gateway);
    sim.clock.advance(10_000);
    const now = held();
    bytes.push(now - before);
    before = now;
  }
  // Gateway n holds n channels: what it made minus what gateway n − 1 made is one sensor more.
  engine().print(JSON.stringify({ suite: "sensor-ram", board: "pico", gatewayBytesBySensors: bytes,
    marginalSensorBytes: bytes.slice(1).map((made, i) => made - (bytes[i] ?? 0)) }));
});
