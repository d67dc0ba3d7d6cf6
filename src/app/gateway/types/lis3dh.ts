/** The gateway's LIS3DH (acceleration), frames by interrupt or polled. */
import { STANDARD_GRAVITY } from "../../../drivers/common/readings.js";
import { LIS3DH, LIS3DHSample, LIS3DH_SPEC } from "../../../drivers/lis3dh/lis3dh.js";
import { Framed } from "../opened.js";
import { i2cType, line, magnitude, optionalPin, period, readings, sensorBus } from "./kit.js";
import type { SensorType } from "../sensor-type.js";

/** With INT1 wired, frames arrive by interrupt and each period drains them; without, one frame a period. */
export const LIS3DH_TYPE: SensorType = i2cType(LIS3DH_SPEC, {
  type: "lis3dh", pins: optionalPin("int1"), period: period(200, 20, 60_000), readings: readings("accelerationG"),
  settings: Object.freeze([Object.freeze({ key: "rateHz", low: 1, high: 400, fallback: 10, choices: Object.freeze([1, 10, 25, 50, 100, 200, 400]) })]),
  open: (parts) => {
    const dataReady = line(parts, "int1");
    return new Framed<LIS3DHSample, LIS3DH>(new LIS3DH({ sensor: sensorBus(parts), config: { rateHz: (parts.settings[0] ?? 10) as 10 },
      ...(dataReady === undefined ? {} : { dataReady }) }), new LIS3DHSample(),
    [(s) => magnitude(s.x, s.y, s.z) / STANDARD_GRAVITY], dataReady !== undefined,
    (driver, index, value) => index === 0 && driver.configure({ rateHz: value as 10 }));
  },
});
