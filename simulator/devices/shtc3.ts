/**
 * SHTC3 humidity and temperature sensor model (Sensirion SHTC3 datasheet, version 4,
 * https://sensirion.com/media/documents/643F9C8E/63A5A436/Datasheet_SHTC3.pdf): address 0x70; sleep and wake-up
 * (§5.2: asleep, only the wake-up command is executed; waking takes up to 240 µs, tPU of Table 5, during which it
 * answers nothing); measurements in normal and low-power mode, with or without clock stretching, temperature or
 * humidity first (Table 9), their durations (12.1 ms and 0.8 ms maximum, Table 5); the ID register (§5.9); CRC-8 on
 * every word (§5.10); soft reset (§5.7). Its soft-reset time is not modelled: Moddable's driver reads the ID at once.
 */
import type { I2CTarget } from "../bus.js";
import type { VirtualClock } from "../clock.js";
import { crc8Sensirion } from "../crc8.js";
import { FaultableSignal, constant, type Signal } from "../signals.js";

export const SHTC3_COMMANDS = Object.freeze({
  wake: 0x3517, sleep: 0xb098, softReset: 0x805d, readId: 0xefc8,
  normalStretchTFirst: 0x7ca2, normalStretchRhFirst: 0x5c24, normalTFirst: 0x7866, normalRhFirst: 0x58e0,
  lowPowerStretchTFirst: 0x6458, lowPowerStretchRhFirst: 0x44de, lowPowerTFirst: 0x609c, lowPowerRhFirst: 0x401a,
});
/** Bits 11 and 5:0 are the SHTC3's product code (§5.9); the rest vary by part. */
export const SHTC3_ID = 0x0887;
export const SHTC3_WAKE_MS = 0.24;
/** [normal, low power] maximum measurement duration (Table 5). */
const MEASURE_MS = Object.freeze([12.1, 0.8]);

/** Per measurement command: low power (1) or not, stretch (1) or not, humidity first (1) or not. */
const MEASUREMENTS: Readonly<Record<number, readonly [number, number, number]>> = Object.freeze({
  [SHTC3_COMMANDS.normalStretchTFirst]: [0, 1, 0], [SHTC3_COMMANDS.normalStretchRhFirst]: [0, 1, 1],
  [SHTC3_COMMANDS.normalTFirst]: [0, 0, 0], [SHTC3_COMMANDS.normalRhFirst]: [0, 0, 1],
  [SHTC3_COMMANDS.lowPowerStretchTFirst]: [1, 1, 0], [SHTC3_COMMANDS.lowPowerStretchRhFirst]: [1, 1, 1],
  [SHTC3_COMMANDS.lowPowerTFirst]: [1, 0, 0], [SHTC3_COMMANDS.lowPowerRhFirst]: [1, 0, 1],
});

export interface SHTC3Options {
  readonly temperatureC?: Signal;
  readonly humidityRH?: Signal;
  /** Start asleep, as a chip that a previous run put to sleep (default: idle, as after power-up). */
  readonly asleep?: boolean;
}

export class SHTC3Model implements I2CTarget {
  readonly address = 0x70;
  readonly temperatureC: FaultableSignal;
  readonly humidityRH: FaultableSignal;
  measurements = 0;
  /** Commands sent while asleep, which it does not execute. */
  ignored = 0;
  asleep: boolean;
  #present = true;
  /** Until then it is waking up and answers nothing. */
  #awakeAt = 0;
  readonly #out = new Uint8Array(6);
  #outLength = 0;
  #outIndex = 0;
  #readyAt = 0;
  #stretch = false;

  constructor(readonly clock: VirtualClock, options: SHTC3Options = {}) {
    this.temperatureC = new FaultableSignal(options.temperatureC ?? constant(21));
    this.humidityRH = new FaultableSignal(options.humidityRH ?? constant(45));
    this.asleep = options.asleep === true;
  }

  /** Absent (the vanish fault) or waking up: either way its address is NACKed. */
  get present(): boolean {
    return this.#present && this.clock.now >= this.#awakeAt;
  }

  set present(present: boolean) {
    this.#present = present;
  }

  write(bytes: Uint8Array, offset: number, length: number): void {
    if (length < 2) return;
    const command = ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
    if (this.asleep) {
      if (command !== SHTC3_COMMANDS.wake) {
        this.ignored++;
        return;
      }
      this.asleep = false;
      this.#awakeAt = this.clock.now + SHTC3_WAKE_MS;
      return;
    }
    this.#command(command);
  }

  #command(command: number): void {
    this.#outLength = 0;
    this.#outIndex = 0;
    const measurement = MEASUREMENTS[command];
    if (measurement !== undefined) {
      // Indexed, not destructured: destructuring an array makes an iterator on XS, and this runs every measurement.
      this.#readyAt = this.clock.now + (MEASURE_MS[measurement[0]] ?? 12.1);
      this.#stretch = measurement[1] === 1;
      this.#measure(this.#readyAt, measurement[2] === 1);
    } else if (command === SHTC3_COMMANDS.sleep) {
      this.asleep = true;
    } else if (command === SHTC3_COMMANDS.readId) {
      this.#word(0, SHTC3_ID);
      this.#outLength = 3;
      this.#readyAt = this.clock.now;
    }
    // wake while awake and soft reset leave it idle, which it already is
  }

  #word(at: number, value: number): void {
    this.#out[at] = value >> 8;
    this.#out[at + 1] = value & 0xff;
    this.#out[at + 2] = crc8Sensirion(this.#out, at, 2);
  }

  #measure(atMs: number, humidityFirst: boolean): void {
    // §5.11: T = −45 + 175 · S_T / 2^16, RH = 100 · S_RH / 2^16
    const t = Math.min(65535, Math.max(0, Math.round(((this.temperatureC.valueAt(atMs) + 45) / 175) * 65536)));
    const rh = Math.min(65535, Math.max(0, Math.round((this.humidityRH.valueAt(atMs) / 100) * 65536)));
    this.#word(humidityFirst ? 3 : 0, t);
    this.#word(humidityFirst ? 0 : 3, rh);
    this.#outLength = 6;
    this.measurements++;
  }

  /** A read before a measurement is done is stretched, or NACKed without stretching; asleep, every read is NACKed. */
  read(into: Uint8Array, offset: number, length: number, stop = true): boolean {
    if (this.asleep) return false;
    if (this.#outIndex === 0) {
      if (this.#outLength === 0) return false;
      const wait = this.#readyAt - this.clock.now;
      if (wait > 0) {
        if (!this.#stretch) return false;
        this.clock.busy(wait);
      }
    }
    for (let i = 0; i < length; i++, this.#outIndex++) {
      into[offset + i] = this.#outIndex < this.#outLength ? this.#out[this.#outIndex] ?? 0 : 0xff;
    }
    if (stop) {
      this.#outLength = 0;
      this.#outIndex = 0;
    }
    return true;
  }
}
