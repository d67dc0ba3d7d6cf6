/** The gateway's TMP117 (temperature), polled, with alerts from its ALERT pin. */
import { TMP117, TMP117Sample, TMP117_SPEC } from "../../../drivers/tmp117/tmp117.js";
import { Alerting } from "../opened.js";
import { highLimit, i2cType, line, optionalPin, period, readings, sensorBus } from "./kit.js";
import type { SensorType } from "../sensor-type.js";

/** Sampled on its period; alerts queued from its ALERT pin are drained and delivered too. */
export const TMP117_TYPE: SensorType = i2cType(TMP117_SPEC, {
  type: "tmp117", pins: optionalPin("alert"), period: period(1000), settings: highLimit(150), readings: readings("temperatureC"),
  open: (parts) => {
    const alert = line(parts, "alert");
    return new Alerting<TMP117Sample, TMP117>(new TMP117({ sensor: sensorBus(parts), config: { highLimitC: parts.settings[0] ?? 30 },
      ...(alert === undefined ? {} : { alert }) }), new TMP117Sample(), [(s) => s.temperature],
      (driver, index, value) => index === 0 && driver.configure({ highLimitC: value }));
  },
});
