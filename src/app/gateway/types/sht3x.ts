/** The gateway's SHT3x (humidity and temperature), polled. */
import { SHT3x, SHT3xSample, SHT3X_SPEC } from "../../../drivers/sht3x/sht3x.js";
import { Polled } from "../opened.js";
import { i2cType, NO_PINS, NO_SETTINGS, period, readings, sensorBus } from "./kit.js";
import type { SensorType } from "../sensor-type.js";

export const SHT3X_TYPE: SensorType = i2cType(SHT3X_SPEC, {
  type: "sht3x", pins: NO_PINS, period: period(1000), settings: NO_SETTINGS, readings: readings("temperatureC", "humidityRH"),
  open: (parts) => new Polled<SHT3xSample>(new SHT3x({ sensor: sensorBus(parts) }), new SHT3xSample(),
    [(s) => s.thermometer.temperature, (s) => s.hygrometer.humidity]),
});
