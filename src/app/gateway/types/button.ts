/** The gateway's button: a contact, PIR or any digital input, debounced. */
import { ButtonEvent, ButtonSample, DebouncedButton } from "../../../drivers/button/button.js";
import { DriverCounters, SampleStatus } from "../../../drivers/common/errors.js";
import type { OpenedSensor, SampleSink, SensorParts, SensorType } from "../sensor-type.js";
import { NO_ADDRESSES, period, readings } from "./kit.js";

/**
 * A button, PIR or any contact on a digital input, debounced: each period the settled state (1 pressed, 0 not) and
 * the presses so far feed the readings; the events queued since the last period are drained. Declared with
 * `factoryResetMs`, a button held from the moment it opens (boot) for that long asks for a factory reset.
 */
class ButtonOpened implements OpenedSensor {
  readonly driver: DebouncedButton;
  readonly #sample = new ButtonSample();
  readonly counters = new DriverCounters();
  #seenDropped = 0;
  /** The hold that asks for a factory reset, until the button is seen released (0: off, or done). */
  #resetHoldMs: number;
  #openedAtMs = -1;
  readonly #factoryReset: (() => void) | undefined;

  constructor(parts: SensorParts) {
    const input = parts.pins["input"];
    if (input === undefined) throw new RangeError("a button needs its input pin");
    this.driver = new DebouncedButton({ input: { io: parts.device.io.Digital, pin: input }, timer: parts.timer,
      debounceMs: parts.settings[0] ?? 20, activeLow: parts.settings[1] !== 0 });
    this.#resetHoldMs = parts.settings[2] ?? 0;
    this.#factoryReset = parts.factoryReset;
  }

  step(sink: SampleSink, nowMs: number): void {
    while (this.driver.nextEvent() !== ButtonEvent.none); // the counts and the state below say what happened
    const lost = this.driver.dropped - this.#seenDropped;
    this.#seenDropped += lost;
    if (lost > 0) sink.lose(SampleStatus.dropped, lost);
    this.driver.sample(this.#sample);
    if (this.#resetHoldMs > 0) this.#watchHold(nowMs);
    sink.values[0] = this.#sample.position;
    sink.values[1] = this.driver.presses;
    this.counters.attempts++;
    this.counters.valid++;
    sink.take(SampleStatus.ok, nowMs);
  }

  /** Pressed when it opened and never let go since: once held that long, the factory reset. */
  #watchHold(nowMs: number): void {
    if (this.#openedAtMs < 0) this.#openedAtMs = nowMs;
    if (!this.driver.pressedAtStart || this.#sample.position !== 1 || this.driver.releases !== 0) {
      this.#resetHoldMs = 0; // not held from boot, or let go: any later hold is an ordinary press
      return;
    }
    if (nowMs - this.#openedAtMs < this.#resetHoldMs) return;
    this.#resetHoldMs = 0;
    this.#factoryReset?.();
  }

  configure(index: number, value: number): void {
    if (index === 0) this.driver.configure({ debounceMs: value });
  }

  close(): void {
    this.driver.close();
  }
}

export const BUTTON_TYPE: SensorType = Object.freeze({
  type: "button", addresses: NO_ADDRESSES, maxHz: 0, pins: Object.freeze([Object.freeze({ role: "input", required: true })]),
  period: period(1000, 20),
  settings: Object.freeze([Object.freeze({ key: "debounceMs", low: 1, high: 1000, fallback: 20 }),
    Object.freeze({ key: "activeLow", low: 0, high: 1, fallback: 1, choices: Object.freeze([0, 1]), fixed: true }),
    // Off by default; held from boot for this long, the button resets every setting to the declaration's.
    Object.freeze({ key: "factoryResetMs", low: 0, high: 60_000, fallback: 0, whole: true, fixed: true })]),
  readings: readings("pressed", "presses"), open: (parts: SensorParts) => new ButtonOpened(parts),
});
