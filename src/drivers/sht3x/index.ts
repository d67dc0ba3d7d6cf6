export { SHT3x, SHT3xSample, SHT3X, type SHT3xConfig, type SHT3xOptions, type Repeatability, type SHT3xPeriodMs } from "./sht3x.js";
