/**
 * Base of register-file device models (BMP280, TMP117, LIS3DH): a write sets the register pointer and optionally
 * writes registers; a read streams registers from the pointer. Subclasses hook reads and writes for side effects.
 */
import type { I2CTarget } from "../bus.js";

export abstract class RegisterDevice implements I2CTarget {
  present = true;
  readonly registers = new Uint8Array(256);
  pointer = 0;
  /** Transactions this device saw (for tests' call counting). */
  reads = 0;
  writes = 0;

  constructor(readonly address: number) {}

  write(bytes: Uint8Array, offset: number, length: number, stop: boolean): void {
    this.writes++;
    if (length === 0) return;
    this.pointer = this.selectRegister(bytes[offset] ?? 0);
    for (let i = 1; i < length; i++) {
      this.writeRegister(this.pointer, bytes[offset + i] ?? 0);
      this.pointer = this.nextRegister(this.pointer);
    }
    void stop;
  }

  read(into: Uint8Array, offset: number, length: number, stop: boolean): boolean {
    this.reads++;
    if (!this.readable()) return false;
    for (let i = 0; i < length; i++) {
      into[offset + i] = this.readRegister(this.pointer);
      this.pointer = this.nextRegister(this.pointer);
    }
    if (stop) this.afterRead(stop); // a controller may read one byte at a time: the transaction ends at the STOP
    return true;
  }

  /** The pointer byte the controller sent → the register it selects (LIS3DH uses bit 7 for auto-increment). */
  protected selectRegister(byte: number): number {
    return byte;
  }

  protected nextRegister(register: number): number {
    return (register + 1) & 0xff;
  }

  protected readRegister(register: number): number {
    return this.registers[register] ?? 0;
  }

  protected writeRegister(register: number, value: number): void {
    this.registers[register] = value;
  }

  /** False to NACK a read (e.g. busy). */
  protected readable(): boolean {
    return true;
  }

  protected afterRead(stop: boolean): void {
    void stop;
  }
}
