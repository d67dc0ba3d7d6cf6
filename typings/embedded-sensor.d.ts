/**
 * Types for the `embedded:sensor/…` specifiers manifest.json maps to stillheap's drivers, so a Moddable project's
 * `import SHT3x from "embedded:sensor/Humidity-Temperature/SHT3x"` is typed. Add this file to the project's
 * tsconfig "files" (or a manifest "typescript" include) next to a dependency on stillheap.
 *
 * Samples have the ECMA-419 sensor classes' shapes (SHT3x `{thermometer: {temperature}, hygrometer: {humidity}}`,
 * BMP280 `{barometer: {pressure}, thermometer: {temperature}}`, TMP117 `{temperature, alert}`, LIS3DH `{x, y, z}` in
 * m/s²; `status` and `valid` alongside; the button the Switch class's `{position}`). `sample()` returns a new object
 * per call; `sample(into)` fills `into` in place and allocates nothing, so copy what you keep. A sensor's `sample()`
 * returns undefined when there is nothing to report yet.
 */
declare module "embedded:sensor/Humidity-Temperature/SHT3x" {
  export { SHT3x as default, SHT3xSample, type SHT3xConfig, type SHT3xOptions } from "stillheap/drivers";
}
declare module "embedded:sensor/Barometer-Temperature/BMP280" {
  export { BMP280 as default, BMP280Sample, type BMP280Config, type BMP280Options } from "stillheap/drivers";
}
declare module "embedded:sensor/Temperature/TMP117" {
  export { TMP117 as default, TMP117Sample, type TMP117Config, type TMP117Options } from "stillheap/drivers";
}
declare module "embedded:sensor/Accelerometer/LIS3DH" {
  export { LIS3DH as default, LIS3DHSample, type LIS3DHConfig, type LIS3DHOptions } from "stillheap/drivers";
}
declare module "embedded:sensor/Button/Debounced" {
  export { DebouncedButton as default, ButtonEvent, ButtonSample, type DebouncedButtonOptions } from "stillheap/drivers";
}
