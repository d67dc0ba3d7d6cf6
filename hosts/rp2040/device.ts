/** The `device` provider of a board wired to the RP2040's own peripherals. */
import type { Board } from "../../boards/board.js";
import type { DeviceProvider, I2CPins } from "../../src/io/types.js";
import { DeviceDigital } from "./digital.js";
import { DeviceI2C, DeviceSMBus } from "./i2c.js";

/** The I2C controller this host drives (i2c.c runs I2C0 only): a bus on another port is not offered. */
const DRIVEN_PORT = 0;

export function rp2040Device(board: Board): DeviceProvider {
  const buses: Record<string, I2CPins> = {};
  for (const [name, { data, clock, hz, port }] of Object.entries(board.i2c)) {
    if (port === DRIVEN_PORT) buses[name] = Object.freeze({ data, clock, hz, port });
  }
  return Object.freeze({
    io: Object.freeze({ Digital: DeviceDigital, I2C: DeviceI2C, SMBus: DeviceSMBus }),
    I2C: Object.freeze(buses) as DeviceProvider["I2C"],
    pin: Object.freeze({ ...board.pins }),
  });
}
