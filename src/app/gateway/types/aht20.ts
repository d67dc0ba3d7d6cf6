/** The gateway's AHT20 (humidity and temperature), triggered and read when done. */
import { AHT20, AHT20Sample, AHT20_SPEC } from "../../../drivers/aht20/aht20.js";
import { Triggered } from "../opened.js";
import { i2cType, NO_PINS, NO_SETTINGS, period, readings, sensorBus } from "./kit.js";
import type { SensorType } from "../sensor-type.js";

/** 80 ms per measurement (§5.4), read when done by the gateway's timer. */
export const AHT20_TYPE: SensorType = i2cType(AHT20_SPEC, {
  type: "aht20", pins: NO_PINS, period: period(1000), settings: NO_SETTINGS, readings: readings("temperatureC", "humidityRH"),
  open: (parts) => new Triggered<AHT20Sample>(new AHT20({ sensor: sensorBus(parts) }), new AHT20Sample(),
    [(s) => s.thermometer.temperature, (s) => s.hygrometer.humidity], parts.timer),
});
