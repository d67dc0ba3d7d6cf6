/**
 * What a sensor type is to the gateway: the bus addresses and pins it needs, its period and settings with their
 * ranges, the readings it feeds, and how to open its driver. A declaration is validated against these tables, and a
 * type a user adds is one more table (docs: README "Your own board").
 */
import type { DriverCounters } from "../../drivers/common/errors.js";
import type { SensorBusOptions } from "../../drivers/common/sensor.js";
import type { DeviceProvider, TimerApi } from "../../io/index.js";

/** A numeric setting: its key, range, default, and (optionally) the only values allowed. */
export interface SettingSpec {
  readonly key: string;
  readonly low: number;
  readonly high: number;
  readonly fallback: number;
  /** Only these values (e.g. a chip's data rates); otherwise any number in [low, high]. */
  readonly choices?: readonly number[];
  /** A whole number. */
  readonly whole?: boolean;
  /** Taken when the sensor opens, so set in the declaration only (POST /v1/config refuses it). */
  readonly fixed?: boolean;
}

/** A pin a type uses, by role (`alert`, `int1`, `input`). */
export interface PinRole {
  readonly role: string;
  readonly required: boolean;
}

/** Where an opened sensor puts its samples: the channel it feeds (channel.ts). */
export interface SampleSink {
  /** One value per reading of the type, written before take(). */
  readonly values: Float64Array;
  /** One sample attempt: delivered (status ok, `values` hold it) or dropped with its SampleStatus. */
  take(status: number, nowMs: number): void;
  /** `count` samples the driver lost (a full ring, a failed interrupt read), dropped with `status`. */
  lose(status: number, count: number): void;
}

/** A type's driver, open, as the channel drives it. */
export interface OpenedSensor {
  /** Takes this period's sample(s) into `sink`: each ends in take() or lose(). */
  step(sink: SampleSink, nowMs: number): void;
  /** Applies setting number `index` (in the type's `settings` order). */
  configure(index: number, value: number): void;
  readonly counters: DriverCounters;
  close(): void;
}

/** What opening a sensor gets from the composition root. */
export interface SensorParts {
  readonly device: DeviceProvider;
  readonly timer: TimerApi;
  /** The bus, address included (`sensor` of the Sensor Class Pattern); undefined for a type without one. */
  readonly bus: SensorBusOptions | undefined;
  /** GPIO numbers by role, for the roles declared. */
  readonly pins: Readonly<Record<string, number | undefined>>;
  /** The current settings, in the type's `settings` order. */
  readonly settings: Float64Array;
  /** Asks the gateway for a factory reset: every setting back to the declaration's (a button held from boot). */
  readonly factoryReset?: () => void;
}

export interface SensorType {
  readonly type: string;
  /** The I2C addresses its address pins select, the default first; empty for a sensor on no bus. */
  readonly addresses: readonly number[];
  /** The fastest I2C clock it takes, in Hz (0 without a bus). */
  readonly maxHz: number;
  readonly pins: readonly PinRole[];
  /** periodMs: how often it is sampled (or drained). */
  readonly period: SettingSpec;
  readonly settings: readonly SettingSpec[];
  /** The readings it feeds, in `values` order: names with their unit (`temperatureC`). */
  readonly readings: readonly string[];
  /** Opens the driver; throws (a SensorError, an IOError) when the sensor does not answer — the gateway retries. */
  open(parts: SensorParts): OpenedSensor;
}
