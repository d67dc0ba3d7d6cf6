/** The gateway's MPU6050 (acceleration, rotation, temperature), frames by interrupt or polled. */
import { STANDARD_GRAVITY } from "../../../drivers/common/readings.js";
import { MPU6050, MPU6050Sample, MPU6050_SPEC } from "../../../drivers/mpu6050/mpu6050.js";
import { Framed } from "../opened.js";
import { i2cType, line, magnitude, optionalPin, period, readings, sensorBus } from "./kit.js";
import type { SensorType } from "../sensor-type.js";

const MPU6050_RATES = Object.freeze([4, 5, 8, 10, 20, 25, 40, 50, 100, 125, 200, 250, 500, 1000]);

/** As the LIS3DH, INT (active low) for data ready; the magnitudes of acceleration and rotation, and the die's temperature. */
export const MPU6050_TYPE: SensorType = i2cType(MPU6050_SPEC, {
  type: "mpu6050", pins: optionalPin("int"), period: period(200, 20, 60_000), readings: readings("accelerationG", "rotationDps", "temperatureC"),
  settings: Object.freeze([Object.freeze({ key: "rateHz", low: 4, high: 1000, fallback: 10, choices: MPU6050_RATES })]),
  open: (parts) => {
    const dataReady = line(parts, "int");
    return new Framed<MPU6050Sample, MPU6050>(new MPU6050({ sensor: sensorBus(parts), config: { rateHz: (parts.settings[0] ?? 10) as 10 },
      ...(dataReady === undefined ? {} : { dataReady }) }), new MPU6050Sample(),
    [(s) => magnitude(s.accelerometer.x, s.accelerometer.y, s.accelerometer.z) / STANDARD_GRAVITY,
      (s) => magnitude(s.gyroscope.x, s.gyroscope.y, s.gyroscope.z), (s) => s.thermometer.temperature], dataReady !== undefined,
    (driver, index, value) => index === 0 && driver.configure({ rateHz: value as 10 }));
  },
});
