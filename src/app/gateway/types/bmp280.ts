/** The gateway's BMP280 (pressure and temperature), polled. */
import { BMP280, BMP280Sample, BMP280_SPEC } from "../../../drivers/bmp280/bmp280.js";
import { Polled } from "../opened.js";
import { i2cType, NO_PINS, NO_SETTINGS, period, readings, sensorBus } from "./kit.js";
import type { SensorType } from "../sensor-type.js";

export const BMP280_TYPE: SensorType = i2cType(BMP280_SPEC, {
  type: "bmp280", pins: NO_PINS, period: period(1000), settings: NO_SETTINGS, readings: readings("pressurePa", "temperatureC"),
  open: (parts) => new Polled<BMP280Sample>(new BMP280({ sensor: sensorBus(parts) }), new BMP280Sample(),
    [(s) => s.barometer.pressure, (s) => s.thermometer.temperature]),
});
