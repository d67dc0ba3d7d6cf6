/** Reads POST /v1/config: a flat JSON object of known numeric settings, each checked against its range. */
import { asText } from "../../net/ascii.js";
import type { GatewayConfig } from "./gateway.js";

const RANGES: Readonly<Record<keyof GatewayConfig, readonly [number, number]>> = Object.freeze({
  sht3xPeriodMs: Object.freeze([100, 3_600_000] as const), bmp280PeriodMs: Object.freeze([100, 3_600_000] as const),
  tmp117PeriodMs: Object.freeze([100, 3_600_000] as const), lis3dhPeriodMs: Object.freeze([20, 60_000] as const),
  tmp117HighLimitC: Object.freeze([-55, 150] as const),
});

/** The settings in the body, or a message naming what is wrong (for a 400). */
export function readConfigBody(bytes: Uint8Array, start: number, length: number): Partial<GatewayConfig> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(asText(bytes, start, length));
  } catch (error: unknown) {
    return `the body is not JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return "the body must be a JSON object of settings";
  const settings: Partial<GatewayConfig> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const range = RANGES[key as keyof GatewayConfig] as readonly [number, number] | undefined;
    if (range === undefined) return `unknown setting "${key}"; known: ${Object.keys(RANGES).join(", ")}`;
    if (typeof value !== "number" || !(value >= range[0] && value <= range[1])) {
      return `setting "${key}" must be a number from ${range[0]} to ${range[1]}`;
    }
    settings[key as keyof GatewayConfig] = value;
  }
  return settings;
}
