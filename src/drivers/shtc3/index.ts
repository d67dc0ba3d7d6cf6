export { SHTC3, SHTC3Sample, SHTC3_COMMANDS, SHTC3_SPEC, type SHTC3Config, type SHTC3Options } from "./shtc3.js";
