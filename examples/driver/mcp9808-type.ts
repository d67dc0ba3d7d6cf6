/**
 * The MCP9808 as a gateway sensor type: a table, not a subclass — its bus facts from the driver, a period, no
 * settings, one reading with its unit in the name, and which field of the sample feeds it. A composition root passes
 * `[...SENSOR_TYPES, mcp9808Type]` to readDeclaration, and declarations may then say `"type": "mcp9808"`.
 */
import { i2cType, period, Polled, sensorBus, type SensorType } from "stillheap/app";
import { MCP9808, MCP9808Sample, MCP9808_SPEC } from "./mcp9808.js";

export const mcp9808Type: SensorType = i2cType(MCP9808_SPEC, {
  type: "mcp9808", pins: Object.freeze([]), period: period(1000), settings: Object.freeze([]),
  readings: Object.freeze(["temperatureC"]),
  open: (parts) => new Polled<MCP9808Sample>(new MCP9808({ sensor: sensorBus(parts) }), new MCP9808Sample(), [(s) => s.temperature]),
});
