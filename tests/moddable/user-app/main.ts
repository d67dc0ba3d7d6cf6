/**
 * A Moddable app of a user's own that includes stillheap's library manifest ($(STILLHEAP)/manifest_stillheap.json)
 * and imports its modules by specifier: the simulated board, a driver, the ring allocator.
 */
import { RingAllocator } from "stillheap/src/mem/ring";
import { StaticArena } from "stillheap/src/mem/arena";
import { SHT3x } from "stillheap/src/drivers/sht3x/sht3x";
import { Simulation } from "stillheap/simulator/simulation";
import { SHT3xModel } from "stillheap/simulator/devices/sht3x";
import { constant } from "stillheap/simulator/signals";
import { pico } from "stillheap/boards/pico";

const sim = new Simulation(pico);
sim.attach(new SHT3xModel(sim.clock, { temperatureC: constant(21.5), humidityRH: constant(40) }));
const sensor = new SHT3x({ sensor: { ...sim.device.I2C.default, io: sim.device.io.SMBus } });
const ring = new RingAllocator(new StaticArena(256).carve("readings", 256));
sensor.sample();
trace(`ring of ${ring.capacity} bytes; SHT3x at 0x${sensor.address.toString(16)}\n`);
