/**
 * The minimal app: blinks the LED, counts button presses (through the debounced button driver), and reports uptime
 * and memory once a second. It reaches hardware only through the `device` provider and time only through the Timer API it is given,
 * so the same code runs in the simulator and on a board. The sensor gateway replaces it.
 */
import { DebouncedButton } from "../drivers/index.js";
import type { DeviceProvider, Digital, TimerApi, TimerHandle } from "../io/index.js";
import { MemoryStats } from "../mem/index.js";

export interface HeartbeatOptions {
  readonly device: DeviceProvider;
  readonly timer: TimerApi;
  /** Where report lines go (the host's console or UART). */
  readonly report: (line: string) => void;
  readonly blinkMs?: number;
  readonly reportMs?: number;
  /** How long the button line must be quiet before its level counts. */
  readonly debounceMs?: number;
  /** Current time in ms, for the uptime; the host passes its clock. */
  readonly nowMs: () => number;
}

export class Heartbeat {
  blinks = 0;
  reports = 0;
  readonly #options: HeartbeatOptions;
  readonly #memory = new MemoryStats();
  #led: Digital | undefined;
  #button: DebouncedButton | undefined;
  #blinkTimer: TimerHandle | undefined;
  #reportTimer: TimerHandle | undefined;
  #ledOn = 0;
  #startedMs = 0;
  #lastPresses = 0;

  constructor(options: HeartbeatOptions) {
    this.#options = options;
  }

  start(): void {
    const { device, timer } = this.#options;
    const { Digital } = device.io;
    this.#startedMs = this.#options.nowMs();
    this.#led = new Digital({ pin: device.pin["led"] ?? 25, mode: Digital.Output });
    this.#button = new DebouncedButton({
      input: { io: Digital, pin: device.pin["button"] ?? 0 }, timer, debounceMs: this.#options.debounceMs ?? 20,
    });
    this.#blinkTimer = timer.repeat(() => this.#blink(), this.#options.blinkMs ?? 500);
    this.#reportTimer = timer.repeat(() => this.#report(), this.#options.reportMs ?? 1000);
  }

  get presses(): number {
    return this.#button?.presses ?? this.#lastPresses;
  }

  #blink(): void {
    this.#ledOn ^= 1;
    this.#led?.write(this.#ledOn);
    this.blinks++;
  }

  #report(): void {
    const memory = this.#memory.read();
    const uptime = ((this.#options.nowMs() - this.#startedMs) / 1000).toFixed(1);
    this.reports++;
    this.#options.report(`uptime ${uptime} s  led blinks ${this.blinks}  button presses ${this.presses}  ` +
      `heap ${memory.chunkBytesUsed} bytes in use (${memory.source})`);
  }

  /** Stops timers and closes pins; safe to call twice. */
  stop(): void {
    this.#options.timer.clear(this.#blinkTimer);
    this.#options.timer.clear(this.#reportTimer);
    this.#blinkTimer = undefined;
    this.#reportTimer = undefined;
    this.#led?.write(0);
    this.#led?.close();
    this.#lastPresses = this.presses;
    this.#button?.close();
    this.#led = undefined;
    this.#button = undefined;
  }
}
