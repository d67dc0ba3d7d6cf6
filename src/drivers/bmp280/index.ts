export { BMP280, BMP280_REGISTERS, BMP280Sample, type BMP280Config, type Oversampling } from "./bmp280.js";
