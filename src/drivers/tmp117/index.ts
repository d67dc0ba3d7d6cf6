export { TMP117, TMP117Sample, TMP117_CONFIG, TMP117_REGISTERS, TMP117_SPEC, type TMP117Config, type TMP117Options } from "./tmp117.js";
