export { MPU6050, MPU6050Sample, MPU6050_REGISTERS, MPU6050_SPEC, type MPU6050Config, type MPU6050Options } from "./mpu6050.js";
