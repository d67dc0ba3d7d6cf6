/**
 * The sensor gateway on a Moddable board: the engine installed, sampling started on the board's `device` (or the
 * simulator's), and the sensors that did not start reported.
 */
import { DEFAULT_GATEWAY_CONFIG, Gateway, type GatewayConfig } from "../../src/app/gateway/gateway.js";
import { GatewayApi } from "../../src/app/gateway/api.js";
import type { DeviceProvider, TimerApi, TimerHandle } from "../../src/io/types.js";
import type { Clock } from "../../src/services/time.js";
import { hasEngine } from "../../src/engine/index.js";
import config from "mc/config";
import Timer from "timer";
import { installModdableEngine } from "./engine.js";

export interface BoardGateway {
  readonly gateway: Gateway;
  readonly api: GatewayApi;
}

export interface BoardGatewayOptions {
  readonly device: DeviceProvider;
  readonly timer: TimerApi;
  /** The gateway's clock in ms; its boot milestones (first sample) are read against its origin, best the reset. */
  readonly nowMs: () => number;
}

/**
 * The board's own `device` as the drivers see it. The SDK's declarations of its IO classes omit close() and type
 * read(buffer) as returning a count; the implementations (modules/io) match src/io's shapes, which the drivers use.
 */
export function boardDevice(): DeviceProvider {
  return device as unknown as DeviceProvider;
}

/** The `timer` module behind src/io's TimerApi: the SDK brands its Timer, ours are opaque handles it gave out. */
export const moddableTimer: TimerApi = Object.freeze({
  set: (callback: (timer: TimerHandle) => void, ms?: number, repeatMs?: number): TimerHandle => Timer.set(callback, ms, repeatMs),
  repeat: (callback: (timer: TimerHandle) => void, ms: number): TimerHandle => Timer.repeat(callback, ms),
  schedule: (timer: TimerHandle, ms?: number, repeatMs?: number): void => Timer.schedule(timer as Timer, ms, repeatMs),
  clear: (timer: TimerHandle | undefined): void => Timer.clear(timer as Timer | undefined),
  delay: (ms: number): void => Timer.delay(ms),
});

/** The API token from the manifest's config (`mcconfig … apiToken=…`); empty disables POST /v1/config. */
export function apiToken(): string {
  return String(config.apiToken ?? "");
}

/** Gateway settings from the manifest's config (`mcconfig … sht3xPeriodMs=500`); the rest keep their defaults. */
export function gatewayConfig(): Partial<GatewayConfig> {
  const chosen: Partial<GatewayConfig> = {};
  for (const key of Object.keys(DEFAULT_GATEWAY_CONFIG) as Array<keyof GatewayConfig>) {
    const value = config[key] as unknown;
    if (value === undefined) continue;
    const number = Number(value);
    if (!Number.isFinite(number)) throw new RangeError(`config.${key} is "${String(value)}": expected a number`);
    chosen[key] = number;
  }
  return chosen;
}

export function startBoardGateway(options: BoardGatewayOptions): BoardGateway {
  if (!hasEngine()) installModdableEngine();
  const clock: Clock = { nowMs: options.nowMs };
  const gateway = new Gateway({ device: options.device, timer: options.timer, clock, config: gatewayConfig() });
  const api = new GatewayApi(gateway, clock, { apiToken: apiToken() });
  gateway.start();
  for (const failure of gateway.startFailures) trace(`stillheap: sensor not started: ${failure}\n`);
  return { gateway, api };
}
