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

  it("checks its options and throws the classes Moddable's I2C throws", () => {
    const sim = new Simulation(pico);
    const { I2C } = sim.device.io;
    const { data, clock } = sim.device.I2C.default;
    const error = assert.throws(() => new I2C({ data, clock, address: 0x44 } as never), RangeError, /hz undefined: give the bus clock in Hz/) as IOError;
    assert.equal(error.constructor, RangeError, "a plain RangeError, as Moddable's, with a code");
    assert.equal(error.code, "bad-option");
    assert.throws(() => new I2C({ data, clock, hz: 100_000 } as never), RangeError, /address is required/);
    assert.throws(() => new I2C({ ...sim.device.I2C.default, address: 0x44, format: "number" } as never), RangeError, /format number/);
    const bus = new I2C({ ...sim.device.I2C.default, address: 0x44, format: "buffer", colour: "red" } as never);
    assert.equal(bus.format, "buffer");
    assert.throws(() => { bus.format = "string;ascii"; }, RangeError);
    bus.close();
    assert.equal((assert.throws(() => bus.read(1), SyntaxError) as Error).constructor, SyntaxError, "use after close, as Moddable's");
  });

  it("claims the bus's pins for its instances, one per address, and frees them with the last", () => {
    const sim = new Simulation(pico);
    const { I2C, Digital } = sim.device.io;
    const first = new I2C({ ...sim.device.I2C.default, address: 0x44 });
    const second = new I2C({ ...sim.device.I2C.default, address: 0x48 });
    const twice = assert.throws(() => new I2C({ ...sim.device.I2C.default, address: 0x44 }), RangeError, /0x44 on bus default is already open/) as IOError;
    assert.equal(twice.code, "address-busy");
    assert.throws(() => new Digital({ pin: 4, mode: Digital.Output }), Error, /pin 4 is already open/);
    first.close();
    assert.throws(() => new Digital({ pin: 5, mode: Digital.Output }), Error, /pin 5 is already open/, "still held by 0x48");
    second.close();
    const line = new Digital({ pin: 4, mode: Digital.Output });
    assert.throws(() => new I2C({ ...sim.device.I2C.default, address: 0x44 }), RangeError, /pin 4 is already open \(a Digital\?\)/);
    line.close();
  });

  it("returns the count read into a buffer, and writes then reads with writeRead", () => {
    const sim = new Simulation(pico);
    sim.attach(new TMP117Model(sim.clock, sim.pins));
    const bus = new sim.device.io.I2C({ ...sim.device.I2C.default, address: 0x48 });
    const id = new Uint8Array(2);
    assert.equal(bus.writeRead?.(Uint8Array.of(0x0f), id), 2);
    assert.equal(((id[0] ?? 0) << 8) | (id[1] ?? 0), 0x0117);
    assert.equal(bus.read(id), 2);
  });

  it("frees every IO on an MCU reset while the models keep their state", () => {
    const sim = new Simulation(pico);
    new sim.device.io.I2C({ ...sim.device.I2C.default, address: 0x44 });
    new sim.device.io.Digital({ pin: 4 + 10, mode: sim.device.io.Digital.Output }).write(1);
    sim.resetMcu();
    new sim.device.io.I2C({ ...sim.device.I2C.default, address: 0x44 }).close();
    assert.equal(sim.pins.level(14), 0, "no longer driven");
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

  it("reads a register as the pointer write then the read: same time, counters and NACKs with or without faults", () => {
    const clean = new Simulation(pico);
    const faulty = new Simulation(pico);
    for (const sim of [clean, faulty]) {
      sim.attach(new TMP117Model(sim.clock, sim.pins));
      if (sim === faulty) sim.inject({ kind: "nack-address", address: 0x48, atMs: 1000, untilMs: 1001 }); // planned, not yet active
      const smbus = new sim.device.io.SMBus({ ...sim.device.I2C.default, address: 0x48 });
      const before = sim.clock.now;
      assert.equal(smbus.readUint16(0x0f, true), 0x0117);
      assert.closeTo(sim.clock.now - before, ((2 + 3) * 9) / 400, 1e-9);
      assert.equal(sim.bus.counters.transactions, 2);
      assert.equal(sim.bus.counters.bytes, 3);
      const absent = new sim.device.io.SMBus({ ...sim.device.I2C.default, address: 0x49 });
      const error = assert.throws(() => absent.readUint16(0x00, true), I2CError) as I2CError;
      assert.equal(error.code, "nack-address");
      assert.equal(sim.bus.counters.nacks, 1);
      assert.equal(sim.bus.counters.transactions, 3, "the read after a NACKed pointer write never starts");
    }
  });

  it("reads into an ArrayBuffer or a view at an offset, and reuses its view of a buffer passed again", function () {
    const sim = new Simulation(pico);
    sim.attach(new TMP117Model(sim.clock, sim.pins));
    const smbus = new sim.device.io.SMBus({ ...sim.device.I2C.default, address: 0x48 });
    const store = new ArrayBuffer(4);
    smbus.readBuffer(0x0f, new DataView(store, 2, 2));
    assert.deepEqual([...new Uint8Array(store)], [0, 0, 0x01, 0x17]);
    expectNoAllocation(this, () => {
      smbus.readBuffer(0x0f, store);
    }, { iterations: 2000 });
    assert.deepEqual([...new Uint8Array(store, 0, 2)], [0x01, 0x17]);
  });
});
