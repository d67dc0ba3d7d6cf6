/** The sensor gateway on a Moddable board: by default its real `device` (I2C sensors, ALERT and data-ready pins). */
import { Gateway, GatewayApi } from "../../src/app/index.js";
import type { DeviceProvider, TimerApi } from "../../src/io/index.js";
import config from "mc/config";
import { installModdableEngine, Timer } from "./engine.js";

export interface BoardGateway {
  readonly gateway: Gateway;
  readonly api: GatewayApi;
}

/** Installs the engine, starts sampling and reports sensors that did not start. */
export function startBoardGateway(board: DeviceProvider = device, timer: TimerApi = Timer,
  nowMs: () => number = Date.now): BoardGateway {
  installModdableEngine();
  const started = nowMs();
  const clock = { nowMs: () => nowMs() - started };
  const gateway = new Gateway({ device: board, timer, clock });
  const api = new GatewayApi(gateway, clock, { apiToken: config.apiToken ?? "" });
  gateway.start();
  for (const failure of gateway.startFailures) trace(`stillheap: sensor not started: ${failure}\n`);
  return { gateway, api };
}
