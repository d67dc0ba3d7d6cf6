/**
 * The sensor gateway: drivers sampled on their periods into windows, with every sample delivered or dropped with a
 * counted reason, a watchdog fed by the sampling loop, and boot timing. The HTTP API (api.ts) reads from here.
 */
import type { SensorBusOptions } from "../../drivers/index.js";
import type { DeviceProvider, TimerApi, TimerHandle } from "../../io/index.js";
import { MemoryStats } from "../../mem/stats.js";
import { BootTimer } from "../../services/boot.js";
import type { Clock } from "../../services/time.js";
import { Watchdog } from "../../services/watchdog.js";
import { BMP280Sensor, LIS3DHSensor, SHT3xSensor, TMP117Sensor } from "./chips.js";
import type { GatewaySensor } from "./sensors.js";

export interface GatewayConfig {
  sht3xPeriodMs: number;
  bmp280PeriodMs: number;
  tmp117PeriodMs: number;
  lis3dhPeriodMs: number;
  tmp117HighLimitC: number;
}

export const DEFAULT_GATEWAY_CONFIG: Readonly<GatewayConfig> = Object.freeze({
  sht3xPeriodMs: 1000, bmp280PeriodMs: 1000, tmp117PeriodMs: 1000, lis3dhPeriodMs: 200, tmp117HighLimitC: 30,
});

export interface GatewayOptions {
  readonly device: DeviceProvider;
  readonly timer: TimerApi;
  readonly clock: Clock;
  readonly config?: Partial<GatewayConfig>;
}

export class Gateway {
  readonly sensors: GatewaySensor[] = [];
  readonly config: GatewayConfig;
  readonly boot: BootTimer;
  readonly memory = new MemoryStats();
  readonly watchdog: Watchdog;
  /** Sensors that failed to start (missing or wrong chip): reported, the rest run. */
  readonly startFailures: string[] = [];
  /** Sampling steps that threw, and the last error; the sensor then shows as stalled. */
  samplingFailures = 0;
  lastSamplingError: unknown = undefined;
  readonly #timers: Array<TimerHandle | undefined> = [];
  readonly #options: GatewayOptions;
  #loopId = -1;

  constructor(options: GatewayOptions) {
    this.#options = options;
    this.config = { ...DEFAULT_GATEWAY_CONFIG, ...options.config };
    this.boot = new BootTimer(options.clock);
    this.watchdog = new Watchdog(options.clock, options.timer, { checkMs: 500 });
  }

  /** Opens each sensor (a missing one is reported and skipped), then starts sampling. */
  start(): void {
    const { device } = this.#options;
    const bus: SensorBusOptions = { ...device.I2C.default, io: device.io.SMBus };
    const pin = (name: string, fallback: number): number => device.pin[name] ?? fallback;
    this.#open("sht3x", () => new SHT3xSensor(bus, this.config.sht3xPeriodMs));
    this.#open("bmp280", () => new BMP280Sensor(bus, this.config.bmp280PeriodMs));
    this.#open("tmp117", () => new TMP117Sensor(bus, { io: device.io.Digital, pin: pin("alert", 16) }, this.config.tmp117PeriodMs, this.config.tmp117HighLimitC));
    this.#open("lis3dh", () => new LIS3DHSensor(bus, { io: device.io.Digital, pin: pin("dataReady", 17) }, this.config.lis3dhPeriodMs));
    this.boot.mark("servicesStartedMs");
    const now = this.#options.clock.nowMs();
    for (let i = 0; i < this.sensors.length; i++) {
      const sensor = this.sensors[i];
      if (sensor !== undefined) sensor.lastDeliveredMs = now;
      this.#schedule(i);
    }
    const gateway = this;
    this.#loopId = this.watchdog.watch({
      name: "sampling",
      // Any sensor's step feeds it, so it must outlast the shortest period — whatever the config says.
      get timeoutMs() {
        return gateway.#watchdogTimeoutMs();
      },
      restart: () => this.#restartSampling(),
    });
    this.watchdog.start();
    // The first sample now, not one period after boot.
    for (let i = 0; i < this.sensors.length; i++) {
      const sensor = this.sensors[i];
      if (sensor !== undefined) this.#step(sensor);
    }
  }

  #watchdogTimeoutMs(): number {
    let shortest = Infinity;
    for (let i = 0; i < this.sensors.length; i++) shortest = Math.min(shortest, this.sensors[i]?.periodMs ?? Infinity);
    return shortest === Infinity ? 5000 : Math.max(5000, 3 * shortest);
  }

  /** True if the gateway does all it should: every sensor started and delivering, the sampling loop watched. */
  healthy(nowMs: number): boolean {
    if (this.startFailures.length > 0 || this.watchdog.gaveUp > 0 || this.sensors.length === 0) return false;
    for (let i = 0; i < this.sensors.length; i++) if (this.sensors[i]?.stalled(nowMs) === true) return false;
    return true;
  }

  #open(name: string, make: () => GatewaySensor): void {
    try {
      this.sensors.push(make());
    } catch (error: unknown) {
      this.startFailures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  #schedule(index: number): void {
    const sensor = this.sensors[index];
    if (sensor === undefined) return;
    this.#options.timer.clear(this.#timers[index]);
    this.#timers[index] = this.#options.timer.repeat(() => this.#step(sensor), sensor.periodMs);
  }

  #step(sensor: GatewaySensor): void {
    const now = this.#options.clock.nowMs();
    try {
      sensor.step(now);
    } catch (error: unknown) {
      // A step that throws (a driver bug, a sensor closed under it) must not stop the other sensors' timers.
      this.samplingFailures++;
      this.lastSamplingError = error;
    }
    if (this.boot.firstSampleMs < 0 && sensor.delivered > 0) this.boot.mark("firstSampleMs"); // once: a literal allocates
    this.watchdog.feed(this.#loopId);
  }

  #restartSampling(): void {
    for (let i = 0; i < this.sensors.length; i++) this.#schedule(i);
  }

  sensorNamed(bytes: Uint8Array, start: number, length: number): GatewaySensor | undefined {
    outer: for (let i = 0; i < this.sensors.length; i++) {
      const sensor = this.sensors[i];
      if (sensor === undefined || sensor.nameBytes.length !== length) continue;
      for (let b = 0; b < length; b++) if (sensor.nameBytes[b] !== bytes[start + b]) continue outer;
      return sensor;
    }
    return undefined;
  }

  /** Applies new settings; periods take effect at once. */
  apply(config: Partial<GatewayConfig>): void {
    Object.assign(this.config, config);
    for (let i = 0; i < this.sensors.length; i++) {
      const sensor = this.sensors[i];
      if (sensor === undefined) continue;
      const key = `${sensor.name}PeriodMs` as keyof GatewayConfig;
      if (config[key] !== undefined && key in this.config) {
        sensor.periodMs = this.config[key];
        this.#schedule(i);
      }
      if (sensor instanceof TMP117Sensor && config.tmp117HighLimitC !== undefined) sensor.highLimitC = config.tmp117HighLimitC;
    }
  }

  stop(): void {
    this.watchdog.stop();
    for (let i = 0; i < this.#timers.length; i++) this.#options.timer.clear(this.#timers[i]);
    for (const sensor of this.sensors) sensor.close();
  }
}
