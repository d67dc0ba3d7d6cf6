/**
 * The simulated I2C bus: device models by address, transactions that take virtual time (9 bit times a byte at the
 * bus speed, plus any clock stretching), and the bus-level faults — NACK on the address, NACK after N bytes, a stuck
 * bus (SDA held low) that ends in a timeout, clock-stretching latency, corrupted bytes. Failures throw I2CError, as
 * ECMA-419 implementations do, and are counted.
 */
import { I2CError } from "../src/io/index.js";
import type { VirtualClock } from "./clock.js";
import { FaultCode, type FaultPlan } from "./faults.js";

/** A device model on the bus, seen from the controller. */
export interface I2CTarget {
  readonly address: number;
  /** False while the device is absent (vanished): it NACKs its address. */
  present: boolean;
  /** The controller writes `length` bytes. */
  write(bytes: Uint8Array, offset: number, length: number, stop: boolean): void;
  /** The controller reads `length` bytes; return false to NACK the address (e.g. a measurement still running). */
  read(into: Uint8Array, offset: number, length: number, stop: boolean): boolean;
}

export class BusCounters {
  transactions = 0;
  bytes = 0;
  nacks = 0;
  timeouts = 0;
  corrupted = 0;
}

export class I2CBus {
  readonly #devices: Array<I2CTarget | undefined> = new Array<I2CTarget | undefined>(128).fill(undefined);
  readonly counters = new BusCounters();

  /**
   * `id` numbers the bus among the simulation's buses (0 is the default bus): faults name their bus by it, so the
   * per-transaction check compares integers. `name` is for messages.
   */
  constructor(readonly clock: VirtualClock, readonly faults: FaultPlan, readonly hz = 400_000, readonly id = 0,
    readonly name = "default") {}

  attach(device: I2CTarget): void {
    if (this.#devices[device.address] !== undefined) {
      throw new RangeError(`two devices at I2C address 0x${device.address.toString(16)} on bus ${this.name}: give one another address`);
    }
    this.#devices[device.address] = device;
  }

  device(address: number): I2CTarget | undefined {
    return this.#devices[address];
  }

  /** Starts a transaction: time for the address byte plus `length` bytes, faults that strike before data moves. */
  #begin(address: number, length: number, hz: number, timeoutMs: number): I2CTarget {
    this.counters.transactions++;
    if (this.faults.planned !== 0) return this.#beginFaulty(address, length, hz, timeoutMs);
    const clock = this.clock;
    const ms = ((length + 1) * 9 * 1000) / hz;
    // Every transaction blocks for its bit times: with nothing due meanwhile, that only moves the clock (no call).
    if (clock.now + ms < clock.quietUntil) clock.now += ms;
    else clock.busy(ms);
    const device = this.#devices[address];
    if (device === undefined || !device.present) throw this.#nack(address);
    return device;
  }

  /** #begin when faults are planned: each kind that strikes before data moves is checked, in bus order. */
  #beginFaulty(address: number, length: number, hz: number, timeoutMs: number): I2CTarget {
    const clock = this.clock;
    const now = clock.now;
    if (this.faults.active(FaultCode.busStuck, address, now, this.id) !== undefined) {
      this.faults.count(FaultCode.busStuck);
      clock.busy(timeoutMs);
      this.counters.timeouts++;
      throw new I2CError("timeout", address, `I2C bus stuck (SDA held low): no answer from 0x${address.toString(16)} within ${timeoutMs} ms`);
    }
    const stretch = this.faults.active(FaultCode.clockStretch, address, now, this.id);
    const latency = stretch === undefined ? 0 : stretch.latencyMs;
    if (stretch !== undefined) this.faults.count(FaultCode.clockStretch);
    if (latency > timeoutMs) {
      clock.busy(timeoutMs);
      this.counters.timeouts++;
      throw new I2CError("timeout", address, `I2C device 0x${address.toString(16)} stretched the clock past the ${timeoutMs} ms timeout`);
    }
    clock.busy(latency + ((length + 1) * 9 * 1000) / hz);
    const device = this.#devices[address];
    const forcedNack = this.faults.active(FaultCode.nackAddress, address, now, this.id) !== undefined;
    if (forcedNack) this.faults.count(FaultCode.nackAddress);
    if (device === undefined || !device.present || forcedNack) throw this.#nack(address);
    return device;
  }

  #nack(address: number): I2CError {
    this.counters.nacks++;
    return new I2CError("nack-address", address, `no device answered at I2C address 0x${address.toString(16)}`);
  }

  #busyNack(address: number): I2CError {
    this.counters.nacks++;
    return new I2CError("nack-address", address, `I2C device 0x${address.toString(16)} NACKed the read (busy measuring?)`);
  }

  write(address: number, bytes: Uint8Array, offset: number, length: number, stop: boolean, hz: number, timeoutMs: number): void {
    const device = this.#begin(address, length, hz, timeoutMs);
    const nackAfter = this.faults.planned === 0 ? undefined : this.faults.active(FaultCode.nackAfterBytes, address, this.clock.now, this.id);
    if (nackAfter !== undefined && nackAfter.bytes < length) {
      this.faults.count(FaultCode.nackAfterBytes);
      if (nackAfter.bytes > 0) device.write(bytes, offset, nackAfter.bytes, false);
      this.counters.nacks++;
      throw new I2CError("nack-data", address, `I2C device 0x${address.toString(16)} NACKed byte ${nackAfter.bytes + 1} of ${length}`);
    }
    device.write(bytes, offset, length, stop);
    this.counters.bytes += length;
  }

  /**
   * A register read as SMBus does it: write the pointer without STOP, then read after a repeated start. The same bus
   * time, counters and device calls as write() then read(); with no fault planned, one call does both.
   */
  writeRead(address: number, bytes: Uint8Array, offset: number, length: number, into: Uint8Array, intoOffset: number,
    intoLength: number, hz: number, timeoutMs: number): void {
    if (this.faults.planned !== 0) {
      this.write(address, bytes, offset, length, false, hz, timeoutMs);
      this.read(address, into, intoOffset, intoLength, true, hz, timeoutMs);
      return;
    }
    const counters = this.counters;
    counters.transactions += 2;
    const clock = this.clock;
    const ms = ((length + intoLength + 2) * 9 * 1000) / hz;
    if (clock.now + ms < clock.quietUntil) clock.now += ms; // as in #begin
    else clock.busy(ms);
    const device = this.#devices[address];
    if (device === undefined || !device.present) {
      counters.transactions--; // the read never started
      throw this.#nack(address);
    }
    device.write(bytes, offset, length, false);
    counters.bytes += length;
    if (!device.read(into, intoOffset, intoLength, true)) throw this.#busyNack(address);
    counters.bytes += intoLength;
  }

  /**
   * More bytes of the read transaction a `read(…, stop = false)` began, for controllers that clock a read out byte by
   * byte (pico-sdk's I2C): no new START, so no new address phase and no fault striking before data moves.
   */
  continueRead(address: number, into: Uint8Array, offset: number, length: number, stop: boolean, hz: number): void {
    const device = this.#devices[address];
    if (device === undefined || !device.present) {
      this.counters.nacks++;
      throw new I2CError("nack-data", address, `I2C device 0x${address.toString(16)} went away in the middle of a read`);
    }
    this.clock.busy((length * 9 * 1000) / hz);
    device.read(into, offset, length, stop);
    this.#delivered(address, into, offset, length, stop);
  }

  read(address: number, into: Uint8Array, offset: number, length: number, stop: boolean, hz: number, timeoutMs: number): void {
    const device = this.#begin(address, length, hz, timeoutMs);
    if (!device.read(into, offset, length, stop)) throw this.#busyNack(address);
    this.#delivered(address, into, offset, length, stop);
  }

  /** Counts the bytes read; CRC corruption flips one bit of the transaction's last byte (a CRC), at its STOP. */
  #delivered(address: number, into: Uint8Array, offset: number, length: number, stop: boolean): void {
    this.counters.bytes += length;
    if (stop && length > 0 && this.faults.planned !== 0 && this.faults.active(FaultCode.crcCorruption, address, this.clock.now, this.id) !== undefined) {
      this.faults.count(FaultCode.crcCorruption);
      this.counters.corrupted++;
      into[offset + length - 1] = (into[offset + length - 1] ?? 0) ^ 0x01;
    }
  }
}
