export { TMP102, TMP102Sample, TMP102_CONFIG, TMP102_REGISTERS, TMP102_SPEC, type TMP102Config, type TMP102Options } from "./tmp102.js";
