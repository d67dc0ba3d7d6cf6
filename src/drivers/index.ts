/**
 * stillheap/drivers: typed, allocation-free sensor drivers in the ECMA-419 Sensor Class Pattern, and the kit they are
 * made of, for drivers of one's own (docs/drivers.md).
 */
export { SensorError, SensorFault, SampleStatus, SAMPLE_STATUS_NAMES, DriverCounters, type SensorErrorCode } from "./common/errors.js";
export { OptionCheck, SensorOptionError } from "./common/options.js";
export { Thermometer, Hygrometer, Barometer, Accelerometer, Gyroscope, STANDARD_GRAVITY } from "./common/readings.js";
export { I2CSensor, checkSensorOptions, statusOf, type ChipSpec, type SensorOptions, type SensorBusOptions } from "./common/sensor.js";
export { openInterruptLine, type InterruptLine, type LineEdge } from "./common/interrupt.js";
export { sensirionCrc8, sensirionCrc8Frame } from "./common/crc8.js";
export * from "./sht3x/index.js";
export * from "./shtc3/index.js";
export * from "./aht20/index.js";
export * from "./bmp280/index.js";
export * from "./tmp117/index.js";
export * from "./tmp102/index.js";
export * from "./lis3dh/index.js";
export * from "./mpu6050/index.js";
export * from "./button/index.js";
