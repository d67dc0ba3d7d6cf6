export { BMP280, BMP280_REGISTERS, BMP280_SPEC, BMP280Sample, type BMP280Config, type BMP280Options, type Oversampling } from "./bmp280.js";
