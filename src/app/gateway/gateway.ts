/**
 * The sensor gateway over a list of sensor channels: each declared sensor sampled on its period into windows, every
 * sample delivered or dropped with a counted reason, a sensor that does not open retried with a bounded backoff
 * until it answers, a watchdog fed by the sampling loop, and boot timing. The HTTP API (api.ts) reads from here.
 */
import type { DeviceProvider, TimerApi, TimerHandle } from "../../io/index.js";
import { MemoryStats } from "../../mem/stats.js";
import { BootTimer } from "../../services/boot.js";
import type { Clock } from "../../services/time.js";
import { Watchdog } from "../../services/watchdog.js";
import { DriverCounters } from "../../drivers/common/errors.js";
import { SensorChannel } from "./channel.js";
import type { DeclaredSensor } from "./declaration.js";

export interface GatewayOptions {
  readonly device: DeviceProvider;
  readonly timer: TimerApi;
  readonly clock: Clock;
  /** The validated declaration (readDeclaration). */
  readonly sensors: readonly DeclaredSensor[];
}

/** Per-sensor changes (config-body.ts): a period and settings, NaN where unchanged. */
export interface SensorChanges {
  readonly periodMs: Float64Array;
  readonly settings: readonly Float64Array[];
}

export class Gateway {
  readonly channels: readonly SensorChannel[];
  readonly boot: BootTimer;
  readonly memory = new MemoryStats();
  readonly watchdog: Watchdog;
  /** Sampling steps that threw, and the last error; the sensor then shows as stalled. */
  samplingFailures = 0;
  lastSamplingError: unknown = undefined;
  /** Rises with every change of settings (apply, resetSettings): what a keeper compares to know it must write. */
  settingsVersion = 0;
  /** Factory resets a sensor asked for (a button declared with `factoryResetMs`, held from boot). */
  factoryResets = 0;
  readonly #factoryReset = (): void => {
    this.factoryResets++;
    this.resetSettings();
  };
  readonly #samplers: Array<TimerHandle | undefined> = [];
  readonly #retriers: Array<TimerHandle | undefined> = [];
  /** Bound once per channel: its sampling step and its retry. */
  readonly #steps: Array<() => void> = [];
  /** Made at a channel's first failed open: most never need one. */
  readonly #retries: Array<(() => void) | undefined> = [];
  readonly #options: GatewayOptions;
  #loopId = -1;
  #started = false;

  constructor(options: GatewayOptions) {
    this.#options = options;
    const unopened = new DriverCounters();
    this.channels = Object.freeze(options.sensors.map((sensor) => new SensorChannel(sensor, unopened)));
    this.boot = new BootTimer(options.clock);
    this.watchdog = new Watchdog(options.clock, options.timer, { checkMs: 500 });
    for (let i = 0; i < this.channels.length; i++) {
      const channel = this.channels[i] as SensorChannel;
      this.#steps.push(() => this.#step(channel));
      this.#retries.push(undefined);
      this.#samplers.push(undefined);
      this.#retriers.push(undefined);
    }
  }

  /** Opens every sensor (one that does not answer is retried), then starts sampling; the first sample is now. */
  start(): void {
    this.#started = true;
    const gateway = this;
    this.#loopId = this.watchdog.watch({
      name: "sampling",
      // Any sensor's step feeds it, so it must outlast the shortest period — whatever the config says.
      get timeoutMs() {
        return gateway.#watchdogTimeoutMs();
      },
      restart: () => this.#restartSampling(),
    });
    for (let i = 0; i < this.channels.length; i++) this.#open(i);
    this.boot.mark("servicesStartedMs");
    this.watchdog.start();
  }

  #open(index: number): void {
    const channel = this.channels[index];
    if (channel === undefined || channel.open || !this.#started) return;
    const { device, timer } = this.#options;
    if (!channel.tryOpen({ device, timer, factoryReset: this.#factoryReset })) {
      const retry = this.#retries[index] ?? (this.#retries[index] = () => this.#open(index));
      this.#retriers[index] = timer.set(retry, channel.retryMs);
      return;
    }
    this.#retriers[index] = undefined;
    channel.lastDeliveredMs = this.#options.clock.nowMs();
    this.#schedule(index);
    this.#step(channel); // the first sample now, not one period later
  }

  #watchdogTimeoutMs(): number {
    let shortest = Infinity;
    for (let i = 0; i < this.channels.length; i++) shortest = Math.min(shortest, this.channels[i]?.periodMs ?? Infinity);
    return shortest === Infinity ? 5000 : Math.max(5000, 3 * shortest);
  }

  /**
   * True if the gateway does all it should: every required sensor open and delivering, the sampling loop watched.
   * An optional sensor that is absent or stalled is reported (health reasons, metrics) without degrading.
   */
  healthy(nowMs: number): boolean {
    if (this.watchdog.gaveUp > 0 || this.channels.length === 0) return false;
    for (let i = 0; i < this.channels.length; i++) {
      const channel = this.channels[i] as SensorChannel;
      if (channel.required && !channel.up(nowMs)) return false;
    }
    return true;
  }

  #schedule(index: number): void {
    const channel = this.channels[index];
    if (channel === undefined || !channel.open) return;
    this.#options.timer.clear(this.#samplers[index]);
    this.#samplers[index] = this.#options.timer.repeat(this.#steps[index] as () => void, channel.periodMs);
  }

  #step(channel: SensorChannel): void {
    const now = this.#options.clock.nowMs();
    try {
      channel.step(now);
    } catch (error: unknown) {
      // A step that throws (a driver bug, a sensor closed under it) must not stop the other sensors' timers.
      this.samplingFailures++;
      this.lastSamplingError = error;
    }
    if (this.boot.firstSampleMs < 0 && channel.delivered > 0) this.boot.mark("firstSampleMs"); // once: a literal allocates
    this.watchdog.feed(this.#loopId);
  }

  #restartSampling(): void {
    for (let i = 0; i < this.channels.length; i++) this.#schedule(i);
  }

  /** The channel whose name is bytes[start .. start + length), or undefined. */
  channelNamed(bytes: Uint8Array, start: number, length: number): SensorChannel | undefined {
    outer: for (let i = 0; i < this.channels.length; i++) {
      const channel = this.channels[i] as SensorChannel;
      if (channel.nameBytes.length !== length) continue;
      for (let b = 0; b < length; b++) if (channel.nameBytes[b] !== bytes[start + b]) continue outer;
      return channel;
    }
    return undefined;
  }

  /** Every sensor's period and settings back to the declaration's. */
  resetSettings(): void {
    for (let i = 0; i < this.channels.length; i++) {
      const channel = this.channels[i] as SensorChannel;
      const declared = channel.declared;
      channel.periodMs = declared.periodMs;
      this.#schedule(i);
      for (let s = 0; s < declared.settings.length; s++) channel.configure(s, declared.settings[s] ?? 0);
    }
    this.settingsVersion++;
  }

  /** Applies validated changes; periods take effect at once. */
  apply(changes: SensorChanges): void {
    this.settingsVersion++;
    for (let i = 0; i < this.channels.length; i++) {
      const channel = this.channels[i] as SensorChannel;
      const period = changes.periodMs[i] ?? Number.NaN;
      if (period === period) {
        channel.periodMs = period;
        this.#schedule(i);
      }
      const settings = changes.settings[i];
      if (settings === undefined) continue;
      for (let s = 0; s < settings.length; s++) {
        const value = settings[s] ?? Number.NaN;
        if (value === value) channel.configure(s, value);
      }
    }
  }

  stop(): void {
    this.#started = false;
    this.watchdog.stop();
    for (let i = 0; i < this.channels.length; i++) {
      this.#options.timer.clear(this.#samplers[i]);
      this.#options.timer.clear(this.#retriers[i]);
      this.channels[i]?.close();
    }
  }
}
