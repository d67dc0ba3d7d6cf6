/** The gateway's SHTC3 (humidity and temperature), triggered and read when done. */
import { SHTC3, SHTC3Sample, SHTC3_SPEC } from "../../../drivers/shtc3/shtc3.js";
import { Triggered } from "../opened.js";
import { i2cType, NO_PINS, period, readings, sensorBus } from "./kit.js";
import type { SensorType } from "../sensor-type.js";

/** Polled, asleep between measurements (0.3 µA), each read when done by the gateway's timer, not by stretching the clock. */
export const SHTC3_TYPE: SensorType = i2cType(SHTC3_SPEC, {
  type: "shtc3", pins: NO_PINS, period: period(1000), readings: readings("temperatureC", "humidityRH"),
  settings: Object.freeze([Object.freeze({ key: "lowPower", low: 0, high: 1, fallback: 0, choices: Object.freeze([0, 1]) })]),
  open: (parts) => new Triggered<SHTC3Sample, SHTC3>(
    new SHTC3({ sensor: sensorBus(parts), timer: parts.timer, config: { sleep: true, clockStretching: false, lowPower: parts.settings[0] === 1 } }),
    new SHTC3Sample(), [(s) => s.thermometer.temperature, (s) => s.hygrometer.humidity], parts.timer,
    (driver, index, value) => index === 0 && driver.configure({ lowPower: value === 1 })),
});
