export { LIS3DH, LIS3DHSample, LIS3DH_REGISTERS, LIS3DH_SPEC, type LIS3DHConfig, type LIS3DHOptions } from "./lis3dh.js";
