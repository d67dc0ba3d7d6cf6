/**
 * What the Moddable entries share: the board's `device` as the drivers see it, the `timer` module behind src/io's
 * TimerApi, the API token, and the sensor declaration checked against the board. Each entry (entries/*.ts) is the
 * composition root that builds the gateway from these.
 */
import type { Board, BoardBus } from "../../boards/board.js";
import { SENSOR_TYPES } from "../../src/app/gateway/catalogue.js";
import { boardFacts, DeclarationError, readDeclaration, type DeclaredSensor } from "../../src/app/gateway/declaration.js";
import type { Gateway } from "../../src/app/gateway/gateway.js";
import type { DeviceProvider, I2CPins, TimerApi, TimerHandle } from "../../src/io/types.js";
import config from "mc/config";
import Timer from "timer";

/** An I2C bus as a Moddable provider lists it: the SDK's providers give pins, not a speed. */
interface ProvidedBus {
  readonly data: number;
  readonly clock: number;
  readonly hz?: number;
  readonly port?: number;
}

/** A bus's speed where neither the provider nor the board file gives one: I2C standard mode, ECMA-419's default. */
const STANDARD_HZ = 100_000;

function wiring(provided: ProvidedBus | undefined, board: BoardBus | undefined): I2CPins {
  const data = provided?.data ?? board?.data ?? -1;
  const clock = provided?.clock ?? board?.clock ?? -1;
  const port = provided?.port ?? board?.port;
  return Object.freeze({ data, clock, hz: provided?.hz ?? board?.hz ?? STANDARD_HZ, ...(port === undefined ? {} : { port }) });
}

/**
 * The board's own `device` as the drivers see it: the provider's IO classes and pins, and its I2C buses completed
 * from the board file (boards/*.ts) — the SDK's providers list `default` with pins but no `hz`, which the IO
 * constructors require, and the board file names the controller's other buses (the Pico's `i2c1`). The SDK's
 * declarations of its IO classes omit close() and type read(buffer) as returning a count; the implementations
 * (modules/io) match src/io's shapes, which the drivers use.
 */
export function boardDevice(board: Board): DeviceProvider {
  const provider = device as unknown as { readonly io: DeviceProvider["io"]; readonly I2C: Readonly<Record<string, ProvidedBus | undefined>>;
    readonly pin?: Readonly<Record<string, number>> };
  const buses: Record<string, I2CPins> = {};
  for (const name of Object.keys(board.i2c)) buses[name] = wiring(provider.I2C[name], board.i2c[name]);
  for (const name of Object.keys(provider.I2C)) buses[name] ??= wiring(provider.I2C[name], undefined);
  return Object.freeze({ io: provider.io, I2C: Object.freeze(buses) as DeviceProvider["I2C"], pin: provider.pin ?? Object.freeze({}) });
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

/** The flat per-sensor keys of the first release (`sht3xPeriodMs=500`): a sensor's name, then a setting's. */
const RETIRED_SUFFIXES = Object.freeze(["PeriodMs", "HighLimitC", "RateHz", "DebounceMs"]);

/** Checked by hand, not by a module-level RegExp: XS 8.2.3 crashes matching a preloaded one. */
function isRetiredKey(key: string): boolean {
  const suffix = RETIRED_SUFFIXES.find((candidate) => key.endsWith(candidate));
  if (suffix === undefined || key.length === suffix.length) return false;
  for (let i = 0; i < key.length - suffix.length; i++) {
    const c = key.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39))) return false;
  }
  return true;
}

/**
 * Traces each flat per-sensor key the manifest's config still carries (`mcconfig … sht3xPeriodMs=500`): they are
 * no longer read, and a setting that silently did nothing would mislead.
 */
function traceRetiredKeys(): void {
  for (const key of Object.keys(config)) {
    if (isRetiredKey(key)) trace(`stillheap: config.${key} is no longer read: set periodMs and settings per sensor in config.sensors\n`);
  }
}

/**
 * The sensor declaration (`path` says where it came from, e.g. "config.sensors") checked against the board before
 * anything opens. A refused declaration is traced with the DeclarationError's message, which names the entry and
 * what to change, and undefined returned: the entry then opens nothing. Flat per-sensor keys the config still
 * carries are traced as no longer read.
 */
export function declaredSensors(value: unknown, board: DeviceProvider, gpioCount: number, path: string): readonly DeclaredSensor[] | undefined {
  traceRetiredKeys();
  try {
    return readDeclaration(value, boardFacts(board, gpioCount), SENSOR_TYPES, path);
  } catch (error: unknown) {
    if (!(error instanceof DeclarationError)) throw error;
    trace(`stillheap: sensor declaration refused, nothing opened: ${error.message}\n`);
    return undefined;
  }
}

/** Traces each sensor that did not answer at start: the gateway retries it with a backoff. */
export function traceUnopened(gateway: Gateway): void {
  for (const channel of gateway.channels) if (!channel.open) trace(`stillheap: sensor not open yet (retrying): ${channel.openReason}\n`);
}
