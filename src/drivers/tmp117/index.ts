export { TMP117, TMP117Sample, TMP117_REGISTERS, type TMP117Config, type TMP117Options } from "./tmp117.js";
