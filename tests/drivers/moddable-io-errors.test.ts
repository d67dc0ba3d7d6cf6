import { pico } from "../../boards/index.js";
import { SampleStatus, type SensorFault } from "../../src/drivers/common/errors.js";
import { SHT3x } from "../../src/drivers/sht3x/index.js";
import { I2CError, type Buffer419, type I2COptions, type SMBus, type SMBusConstructor } from "../../src/io/types.js";
import { SHT3xModel } from "../../simulator/devices/sht3x.js";
import { constant } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import { timerApi } from "../../simulator/timer.js";
import * as assert from "../support/assert.js";

/**
 * The simulator's SMBus reporting failures as Moddable's ECMA-419 I2C does on a device (modules/io/i2c/pico/_i2c.c,
 * esp32/_i2c.c): a plain Error "read failed" or "write failed", whether the target NACKed or the bus timed out.
 */
function moddableStyle(Inner: SMBusConstructor): SMBusConstructor {
  const translate = <T>(step: string, body: () => T): T => {
    try {
      return body();
    } catch (error: unknown) {
      if (error instanceof I2CError && error.code !== "closed") throw new Error(`${step} failed`);
      throw error;
    }
  };
  return class ModdableSMBus implements SMBus {
    readonly #inner: SMBus;
    constructor(options: I2COptions) {
      this.#inner = new Inner(options);
    }
    read(countOrBuffer: number | Buffer419, stop?: boolean): ArrayBuffer | number | undefined {
      return translate("read", () => this.#inner.read(countOrBuffer, stop));
    }
    write(buffer: Buffer419, stop?: boolean): void {
      translate("write", () => this.#inner.write(buffer, stop));
    }
    readUint8(register: number): number {
      return translate("read", () => this.#inner.readUint8(register));
    }
    writeUint8(register: number, value: number): void {
      translate("write", () => this.#inner.writeUint8(register, value));
    }
    readUint16(register: number, bigEndian?: boolean): number {
      return translate("read", () => this.#inner.readUint16(register, bigEndian));
    }
    writeUint16(register: number, value: number, bigEndian?: boolean): void {
      translate("write", () => this.#inner.writeUint16(register, value, bigEndian));
    }
    readBuffer(register: number, countOrBuffer: number | Buffer419): ArrayBuffer | undefined {
      return translate("read", () => this.#inner.readBuffer(register, countOrBuffer));
    }
    writeBuffer(register: number, buffer: Buffer419): void {
      translate("write", () => this.#inner.writeBuffer(register, buffer));
    }
    close(): void {
      this.#inner.close();
    }
  };
}

describe("drivers on Moddable's IO errors", () => {
  function setup() {
    const sim = new Simulation(pico);
    sim.attach(new SHT3xModel(sim.clock, { temperatureC: constant(21), humidityRH: constant(40) }));
    const faults: number[] = [];
    const sensor = new SHT3x({
      sensor: { ...sim.device.I2C.default, io: moddableStyle(sim.device.io.SMBus) },
      onError: (fault: SensorFault) => faults.push(fault.status), timer: timerApi(() => sim.clock),
    });
    return { sim, sensor, faults };
  }

  it("counts a NACK that Moddable reports as \"write failed\" as nack-or-timeout, not as a bus error", () => {
    const { sim, sensor, faults } = setup();
    sim.inject({ kind: "nack-address", address: 0x44, atMs: sim.clock.now, untilMs: sim.clock.now + 10 });
    sensor.sample();
    sim.clock.advance(1);
    assert.deepEqual(faults, [SampleStatus.nackOrTimeout]);
    assert.equal(sensor.counters.faults[SampleStatus.nackOrTimeout], 1);
    assert.equal(sensor.counters.faults[SampleStatus.bus], 0);
  });

  it("counts a stuck bus the same way, since Moddable's message does not tell the two apart, and recovers", () => {
    const { sim, sensor, faults } = setup();
    sim.inject({ kind: "bus-stuck", atMs: sim.clock.now, untilMs: sim.clock.now + 10 });
    sensor.sample();
    sim.clock.advance(100);
    sensor.sample();
    assert.deepEqual(faults, [SampleStatus.nackOrTimeout]);
    assert.equal(sensor.counters.valid, 1);
  });
});
