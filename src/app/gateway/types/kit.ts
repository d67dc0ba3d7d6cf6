/**
 * What the sensor type tables share: the bus an I2C type needs, its period, its ChipSpec's addresses and speed, and
 * the small frozen lists a table is made of. A type of one's own uses these too (docs/drivers.md).
 */
import type { ChipSpec, SensorBusOptions } from "../../../drivers/common/sensor.js";
import type { PinRole, SensorParts, SensorType, SettingSpec } from "../sensor-type.js";

/** The bus a type on one needs (the declaration gives every I2C type one). */
export function sensorBus(parts: SensorParts): SensorBusOptions {
  if (parts.bus === undefined) throw new RangeError("an I2C sensor needs a bus");
  return parts.bus;
}

/** How often a type is sampled: whole ms, `fallback` by default, within [low, high]. */
export const period = (fallback: number, low = 100, high = 3_600_000): SettingSpec => Object.freeze({ key: "periodMs", low, high, fallback, whole: true });

/** A type on an I2C bus: its addresses and speed from the driver's ChipSpec. */
export function i2cType(spec: ChipSpec, rest: Omit<SensorType, "addresses" | "maxHz">): SensorType {
  return Object.freeze({ ...rest, addresses: spec.addresses, maxHz: spec.maxHz });
}

/** A type on no bus. */
export const NO_ADDRESSES: readonly number[] = Object.freeze([]);
export const NO_PINS: readonly PinRole[] = Object.freeze([]);
export const NO_SETTINGS: readonly SettingSpec[] = Object.freeze([]);
export const optionalPin = (role: string): readonly PinRole[] => Object.freeze([Object.freeze({ role, required: false })]);
export const readings = (...names: string[]): readonly string[] => Object.freeze(names);

/** A line by role, as a driver option takes it, or nothing when the declaration leaves the pin out. */
export const line = (parts: SensorParts, role: string): { io: SensorParts["device"]["io"]["Digital"]; pin: number } | undefined => {
  const pin = parts.pins[role];
  return pin === undefined ? undefined : { io: parts.device.io.Digital, pin };
};

export const magnitude = (x: number, y: number, z: number): number => Math.sqrt(x * x + y * y + z * z);

/** A high-limit setting up to `high` °C, 30 by default. */
export const highLimit = (high: number): readonly SettingSpec[] => Object.freeze([Object.freeze({ key: "highLimitC", low: -55, high, fallback: 30 })]);
