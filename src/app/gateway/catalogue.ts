/**
 * The sensor types the gateway knows, one module each in types/: a table of its bus, pins, period, settings and
 * readings, and which fields of its driver's sample feed which reading (the shapes are in opened.ts). SENSOR_TYPES
 * lists them; a firmware adds its own beside them (docs/drivers.md), or imports only those it declares (a device
 * that is not preloaded pays RAM for every module it loads).
 */
import type { SensorType } from "./sensor-type.js";
import { AHT20_TYPE } from "./types/aht20.js";
import { BMP280_TYPE } from "./types/bmp280.js";
import { BUTTON_TYPE } from "./types/button.js";
import { LIS3DH_TYPE } from "./types/lis3dh.js";
import { MPU6050_TYPE } from "./types/mpu6050.js";
import { SHT3X_TYPE } from "./types/sht3x.js";
import { SHTC3_TYPE } from "./types/shtc3.js";
import { TMP102_TYPE } from "./types/tmp102.js";
import { TMP117_TYPE } from "./types/tmp117.js";

export { i2cType, period, sensorBus } from "./types/kit.js";

/** The built-in sensor types. */
export const SENSOR_TYPES: readonly SensorType[] = Object.freeze([SHT3X_TYPE, SHTC3_TYPE, AHT20_TYPE, BMP280_TYPE, TMP117_TYPE,
  TMP102_TYPE, LIS3DH_TYPE, MPU6050_TYPE, BUTTON_TYPE]);
