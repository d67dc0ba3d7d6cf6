/** stillheap/simulator: virtual time, ECMA-419 GPIO and I2C, virtual sensors, fault injection. */
export { VirtualClock, SimTimer, type InterruptSource, type TimerCallback } from "./clock.js";
export { default as Timer, useClock, timerApi, NoClockError } from "./timer.js";
export { PinBank, type PinOwner } from "./pins.js";
export { I2CBus, BusCounters, type I2CTarget } from "./bus.js";
export { I2CBuses, type BusPins } from "./buses.js";
export { FaultPlan, FAULT_KINDS, FaultCode, fault, type Fault, type FaultKind, type FaultSpec } from "./faults.js";
export { Simulation, MAX_STORM_EDGES, type SimulationFaultSpec } from "./simulation.js";
export { loadScenario, parseSignal, ScenarioError, DEVICE_TYPES } from "./scenario.js";
export { constant, ramp, sine, noise, series, FaultableSignal, type Signal } from "./signals.js";
export { crc8Sensirion } from "./crc8.js";
export { CRC8, CRC16 } from "./crc.js";
export { SHT3xModel, SHT3X_COMMANDS, type SHT3xOptions } from "./devices/sht3x.js";
export { BMP280Model, BMP280_REGISTERS, BMP280_CHIP_ID, BMP280_EXAMPLE_CALIBRATION, bmp280TFine, bmp280Pressure } from "./devices/bmp280.js";
export { TMP117Model, TMP117_REGISTERS, TMP117_DEVICE_ID, TMP117_LSB_C } from "./devices/tmp117.js";
export { LIS3DHModel, LIS3DH_REGISTERS, LIS3DH_WHO_AM_I } from "./devices/lis3dh.js";
export { ContactInput, type ContactOptions } from "./devices/contact.js";
export { RegisterDevice } from "./devices/register-device.js";
