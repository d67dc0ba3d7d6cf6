/** stillheap/drivers: typed, allocation-free sensor drivers in the ECMA-419 Sensor Class Pattern. */
export { SensorError, SensorFault, SampleStatus, SAMPLE_STATUS_NAMES, DriverCounters, type SensorErrorCode } from "./common/errors.js";
export { SensorOptionError } from "./common/options.js";
export { Thermometer, Hygrometer, Barometer, STANDARD_GRAVITY } from "./common/readings.js";
export { I2CSensor, type SensorOptions, type SensorBusOptions } from "./common/sensor.js";
export * from "./sht3x/index.js";
export * from "./bmp280/index.js";
export * from "./tmp117/index.js";
export * from "./lis3dh/index.js";
export * from "./button/index.js";
