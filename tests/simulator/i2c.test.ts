import { pico } from "../../boards/index.js";
import { I2CError, IOError } from "../../src/io/index.js";
import { SHT3xModel } from "../../simulator/devices/sht3x.js";
import { TMP117Model } from "../../simulator/devices/tmp117.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

describe("simulated I2C and SMBus", () => {
  it("NACKs an address where no device is, with a typed error naming it", () => {
    const sim = new Simulation(pico);
    const bus = new sim.device.io.I2C({ ...sim.device.I2C.default, address: 0x29 });
    const error = assert.throws(() => bus.write(Uint8Array.of(1)), I2CError, /no device answered at I2C address 0x29/) as I2CError;
    assert.equal(error.code, "nack-address");
    assert.equal(error.address, 0x29);
    assert.equal(sim.bus.counters.nacks, 1);
  });

  it("refuses a bad address, an unknown pin and use after close", () => {
    const sim = new Simulation(pico);
    const { I2C } = sim.device.io;
    assert.throws(() => new I2C({ ...sim.device.I2C.default, address: 0x80 }), IOError, /not a 7-bit address/);
    assert.throws(() => new I2C({ data: 99, clock: 5, hz: 100_000, address: 0x44 }), IOError, /pin 99 does not exist/);
    const bus = new I2C({ ...sim.device.I2C.default, address: 0x44 });
    bus.close();
    bus.close();
    assert.throws(() => bus.read(2), IOError, /used after close\(\)/);
  });

  it("takes virtual time per transaction at the bus speed", () => {
    const sim = new Simulation(pico);
    sim.attach(new TMP117Model(sim.clock, sim.pins));
    const bus = new sim.device.io.SMBus({ ...sim.device.I2C.default, hz: 100_000, address: 0x48 });
    const before = sim.clock.now;
    bus.readUint16(0x0f, true); // 2 + 3 bytes with their address bytes at 100 kHz: 9 bits each
    assert.closeTo(sim.clock.now - before, ((2 + 3) * 9) / 100, 1e-9);
  });

  it("reads a sensor into the caller's buffer and runs the clock without allocating", function () {
    const sim = new Simulation(pico);
    sim.attach(new SHT3xModel(sim.clock));
    sim.attach(new TMP117Model(sim.clock, sim.pins));
    const sht = new sim.device.io.SMBus({ ...sim.device.I2C.default, address: 0x44 });
    const tmp = new sim.device.io.SMBus({ ...sim.device.I2C.default, address: 0x48 });
    const command = Uint8Array.of(0x2c, 0x06);
    const frame = new Uint8Array(6);
    let ticks = 0;
    sim.clock.set(() => ticks++, 0, 10);
    expectNoAllocation(this, () => {
      sht.write(command);
      sht.read(frame);
      tmp.readUint16(0, true);
      sim.clock.advance(5);
    }, { iterations: 2000 });
    assert.ok(ticks > 0);
  });
});
