export { AHT20, AHT20Sample, AHT20_COMMANDS, AHT20_SPEC, type AHT20Options } from "./aht20.js";
