export { SHT3x, SHT3xSample, SHT3X, SHT3X_SPEC, type SHT3xConfig, type SHT3xOptions, type Repeatability, type SHT3xPeriodMs } from "./sht3x.js";
