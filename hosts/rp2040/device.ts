/** The `device` provider of a board wired to the RP2040's own peripherals. */
import type { Board } from "../../boards/board.js";
import type { DeviceProvider } from "../../src/io/types.js";
import { DeviceDigital } from "./digital.js";
import { DeviceI2C, DeviceSMBus } from "./i2c.js";

export function rp2040Device(board: Board): DeviceProvider {
  return Object.freeze({
    io: Object.freeze({ Digital: DeviceDigital, I2C: DeviceI2C, SMBus: DeviceSMBus }),
    I2C: Object.freeze({ default: Object.freeze({ data: board.pins.i2cData, clock: board.pins.i2cClock, hz: board.i2cHz }) }),
    pin: Object.freeze({ ...board.pins }),
  });
}
