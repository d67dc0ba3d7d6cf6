/**
 * A button or PIR sensor on a Digital edge, debounced: any edge restarts a quiet period, and the level counts only
 * once the line has been quiet for `debounceMs` — contact bounce never becomes an event. Events go into a bounded
 * queue (drops counted) for the main loop; onPress/onRelease are told as they settle.
 */
import type { Digital, DigitalConstructor, TimerApi, TimerHandle } from "../../io/index.js";
import { BoundedQueue } from "../../mem/index.js";
import { SensorError } from "../common/errors.js";
import { OptionCheck } from "../common/options.js";

export const ButtonEvent = Object.freeze({ none: -1, release: 0, press: 1 });

/** A sample in the ECMA-419 Switch shape `{position}`: 1 while the debounced input is pressed (or active), else 0. */
export class ButtonSample {
  position = 0;
}

export interface DebouncedButtonOptions {
  /** `{io: device.io.Digital, pin: device.pin.button}`. */
  readonly input: { readonly io: DigitalConstructor; readonly pin: number };
  /** The timer module (the debounce needs time). */
  readonly timer: TimerApi;
  /** A button to ground is active low (default, with the pull-up on); a PIR output is active high. */
  readonly activeLow?: boolean;
  readonly debounceMs?: number;
  readonly onPress?: (button: DebouncedButton) => void;
  readonly onRelease?: (button: DebouncedButton) => void;
  /** Where events go; by default a queue of 16. */
  readonly queue?: BoundedQueue;
  /** Kept as the instance's `target` (ECMA-419 §8). */
  readonly target?: unknown;
}

/** Settling takes a few ms for a contact; beyond a second a press would feel lost. */
const MAX_DEBOUNCE_MS = 1000;
const OPTIONS = Object.freeze(["input", "timer", "activeLow", "debounceMs", "onPress", "onRelease", "queue", "target"]);

function checkOptions(options: DebouncedButtonOptions): OptionCheck {
  const check = new OptionCheck("DebouncedButton");
  check.keys("", options, OPTIONS);
  if (options.input === undefined) check.refuse("input", undefined, "{io: device.io.Digital, pin}");
  check.pin("input", options.input);
  const timer = options.timer as Partial<TimerApi> | undefined;
  if (typeof timer?.repeat !== "function" || typeof timer.schedule !== "function" || typeof timer.clear !== "function") {
    check.refuse("timer", timer, "the timer module (Timer with repeat, schedule and clear)");
  }
  if (options.activeLow !== undefined) check.boolean("activeLow", options.activeLow);
  if (options.debounceMs !== undefined) check.number("debounceMs", options.debounceMs, 1, MAX_DEBOUNCE_MS, "ms");
  check.callback("onPress", options.onPress);
  check.callback("onRelease", options.onRelease);
  check.instance("queue", options.queue, BoundedQueue, "BoundedQueue");
  return check;
}

/** Long enough that the idle debounce timer never fires on its own during a run; edges reschedule it. */
const IDLE_MS = 24 * 3600 * 1000;

export class DebouncedButton {
  presses = 0;
  /** Whether the input was already pressed when the button opened (its initial position; no press counted). */
  readonly pressedAtStart: boolean;
  releases = 0;
  /** Edges seen, settled or not: edges − 2 × presses is roughly the bounce filtered out. */
  edges = 0;
  /** The constructor's `target` option (ECMA-419 §8). */
  readonly target: unknown;
  /** Options the constructor and configure() were given but do not recognise (ignored, as ECMA-419 §8 says). */
  readonly ignoredOptions: string[];
  readonly #input: Digital;
  readonly #timer: TimerApi;
  readonly #debounce: TimerHandle;
  readonly #activeLow: boolean;
  #debounceMs: number;
  readonly #queue: BoundedQueue;
  readonly #onPress: ((button: DebouncedButton) => void) | undefined;
  readonly #onRelease: ((button: DebouncedButton) => void) | undefined;
  #pressed = false;
  #closed = false;

  constructor(options: DebouncedButtonOptions) {
    this.ignoredOptions = checkOptions(options).ignored;
    this.target = options.target;
    const Digital = options.input.io;
    this.#activeLow = options.activeLow ?? true;
    this.#debounceMs = options.debounceMs ?? 20;
    this.#queue = options.queue ?? new BoundedQueue(16);
    this.#onPress = options.onPress;
    this.#onRelease = options.onRelease;
    this.#timer = options.timer;
    this.#input = new Digital({
      pin: options.input.pin, mode: this.#activeLow ? Digital.InputPullUp : Digital.InputPullDown,
      edge: Digital.Rising | Digital.Falling, target: this,
      onReadable: function (this: Digital) {
        (this.target as DebouncedButton).#edge();
      },
    });
    this.#debounce = options.timer.repeat(() => this.#settled(), IDLE_MS);
    // The level at start is the initial position, not a press: a contact closed at boot has no edge to count.
    this.#pressed = (this.#input.read() === 0) === this.#activeLow;
    this.pressedAtStart = this.#pressed;
  }

  /** Events refused because the queue was full. */
  get dropped(): number {
    return this.#queue.dropped;
  }

  get pressed(): boolean {
    return this.#pressed;
  }

  /** The settled position; fills `into` in place without allocating, or a new object per call without it. */
  sample(into: ButtonSample = new ButtonSample()): ButtonSample {
    this.#checkOpen();
    into.position = this.#pressed ? 1 : 0;
    return into;
  }

  /** Changes the debounce time (checked: a whole quiet period of 1–1000 ms). */
  configure(options: { readonly debounceMs?: number }): void {
    this.#checkOpen();
    const check = new OptionCheck("DebouncedButton", this.ignoredOptions);
    const config = check.keys("configure", options, ["debounceMs"]);
    if (config.debounceMs !== undefined) this.#debounceMs = check.number("configure.debounceMs", config.debounceMs, 1, MAX_DEBOUNCE_MS, "ms");
  }

  #checkOpen(): void {
    if (this.#closed) throw new SensorError("closed", -1, -1, "DebouncedButton used after close(): create a new instance");
  }

  /** The oldest queued event (ButtonEvent.press or .release), or ButtonEvent.none. */
  nextEvent(): number {
    this.#checkOpen();
    return this.#queue.length > 0 ? this.#queue.shift() : ButtonEvent.none;
  }

  #edge(): void {
    this.edges++;
    this.#timer.schedule(this.#debounce, this.#debounceMs, IDLE_MS);
  }

  #settled(): void {
    if (this.#closed) return;
    const pressed = (this.#input.read() === 0) === this.#activeLow;
    if (pressed === this.#pressed) return;
    this.#pressed = pressed;
    if (pressed) this.presses++;
    else this.releases++;
    this.#queue.tryPush(pressed ? ButtonEvent.press : ButtonEvent.release);
    if (pressed) this.#onPress?.(this);
    else this.#onRelease?.(this);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#timer.clear(this.#debounce);
    this.#input.close();
  }
}

export default DebouncedButton;
