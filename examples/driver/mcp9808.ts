/**
 * MCP9808 digital temperature sensor (Microchip DS25095, https://ww1.microchip.com/downloads/en/DeviceDoc/25095A.pdf),
 * written with stillheap's driver kit as a user would, outside stillheap: the I2CSensor base opens the bus and counts
 * faults, checkSensorOptions refuses what the chip cannot take, statusOf turns what the IO threw into a status, and
 * sample(into) fills a caller-owned result without allocating. docs/drivers.md walks through it.
 */
import { checkSensorOptions, I2CSensor, SampleStatus, statusOf, type ChipSpec, type SensorOptions } from "stillheap/drivers";

/** Registers (§5.1, Table 5-1). */
export const MCP9808_REGISTERS = Object.freeze({ configuration: 0x01, ambient: 0x05, manufacturerId: 0x06, deviceId: 0x07 });
/** Manufacturer ID 0x0054 (§5.1.4); device ID 0x04 in the upper byte of register 7 (§5.1.5). */
const MANUFACTURER_ID = 0x0054;
const DEVICE_ID = 0x04;
/** T_A: bits 15–13 are alert flags, bit 12 the sign, bits 11–0 sixteenths of a degree (§5.1.3). */
const SIGN = 0x1000;
const MAGNITUDE = 0x0fff;
/** Operating range (§1): −40…125 °C. */
const MIN_C = -40;
const MAX_C = 125;

/** A2–A0 select 0x18–0x1F (Table 3-1); I2C up to 400 kHz (§1). */
export const MCP9808_SPEC: ChipSpec = Object.freeze({
  chip: "MCP9808", addresses: Object.freeze([0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f]), maxHz: 400_000, options: Object.freeze([]),
});

/** The ECMA-419 Temperature shape `{temperature}` (°C), with `status` and `valid`; every field set here, none added later. */
export class MCP9808Sample {
  status: number = SampleStatus.notReady;
  valid = false;
  temperature = Number.NaN;
}

export class MCP9808 extends I2CSensor {
  constructor(options: SensorOptions) {
    // Checked before the bus is opened (a refused option reaches nothing); what it ignored becomes ignoredOptions.
    super(options, MCP9808_SPEC, checkSensorOptions(MCP9808_SPEC, options));
    let manufacturer = -1;
    let device = -1;
    try {
      manufacturer = this.io.readUint16(MCP9808_REGISTERS.manufacturerId, true);
      device = this.io.readUint16(MCP9808_REGISTERS.deviceId, true) >> 8;
    } catch (error: unknown) {
      this.refuse("no-answer", MCP9808_REGISTERS.manufacturerId, `no MCP9808 answered at 0x${this.address.toString(16)}: ` +
        `check wiring and A2–A0 (${error instanceof Error ? error.message : String(error)})`);
    }
    if (manufacturer !== MANUFACTURER_ID || device !== DEVICE_ID) {
      this.refuse("wrong-chip", MCP9808_REGISTERS.manufacturerId, `the device at 0x${this.address.toString(16)} answers ` +
        `manufacturer 0x${manufacturer.toString(16)}, device 0x${device.toString(16)}: not an MCP9808 (0x54, 0x04)`);
    }
  }

  /** Reads the ambient temperature; fills `into` without allocating, or a new object per call without it. */
  sample(into: MCP9808Sample = new MCP9808Sample()): MCP9808Sample {
    this.checkOpen();
    this.counters.attempts++;
    into.valid = false;
    into.temperature = Number.NaN;
    let raw = 0;
    try {
      raw = this.io.readUint16(MCP9808_REGISTERS.ambient, true);
    } catch (error: unknown) {
      into.status = this.fault(statusOf(error), MCP9808_REGISTERS.ambient, error); // counted, and told to onError
      return into;
    }
    const temperature = (raw & MAGNITUDE) / 16 - ((raw & SIGN) !== 0 ? 256 : 0);
    if (temperature < MIN_C || temperature > MAX_C) {
      into.status = this.fault(SampleStatus.outOfRange, MCP9808_REGISTERS.ambient, undefined);
      return into;
    }
    into.status = SampleStatus.ok;
    into.temperature = temperature;
    into.valid = true;
    this.counters.valid++;
    return into;
  }
}
