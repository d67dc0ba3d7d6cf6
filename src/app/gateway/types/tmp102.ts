/** The gateway's TMP102 (temperature), polled, with alerts from its ALERT pin. */
import { TMP102, TMP102Sample, TMP102_SPEC } from "../../../drivers/tmp102/tmp102.js";
import { Alerting } from "../opened.js";
import { highLimit, i2cType, line, optionalPin, period, readings, sensorBus } from "./kit.js";
import type { SensorType } from "../sensor-type.js";

/** The TMP102's comparator releases ALERT this far below the high limit. */
const HYSTERESIS_C = 2;
const tmp102Limits = (highLimitC: number): { highLimitC: number; lowLimitC: number } => ({ highLimitC, lowLimitC: Math.max(-55, highLimitC - HYSTERESIS_C) });

/** As the TMP117; its 12-bit format (not extended) ends at 127.9375 °C, so the limit does too. */
export const TMP102_TYPE: SensorType = i2cType(TMP102_SPEC, {
  type: "tmp102", pins: optionalPin("alert"), period: period(1000), settings: highLimit(127.9375), readings: readings("temperatureC"),
  open: (parts) => {
    const alert = line(parts, "alert");
    return new Alerting<TMP102Sample, TMP102>(new TMP102({ sensor: sensorBus(parts), config: tmp102Limits(parts.settings[0] ?? 30),
      ...(alert === undefined ? {} : { alert }) }), new TMP102Sample(), [(s) => s.temperature],
      (driver, index, value) => index === 0 && driver.configure(tmp102Limits(value)));
  },
});
