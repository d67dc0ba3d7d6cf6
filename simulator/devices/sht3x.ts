/**
 * SHT3x humidity and temperature sensor model (Sensirion SHT3x-DIS datasheet,
 * https://sensirion.com/media/documents/213E6A3B/63A5A569/Datasheet_SHT3x_DIS.pdf): 16-bit commands, single-shot
 * (with and without clock stretching) and periodic modes, fetch, status, soft reset, CRC-8 on every word, and the
 * measurement durations of Table 4. A read before a no-stretch measurement is done is NACKed, as on the chip; in
 * periodic mode only Fetch Data and Break are executed.
 */
import type { I2CTarget } from "../bus.js";
import type { VirtualClock } from "../clock.js";
import { crc8Sensirion } from "../crc8.js";
import { FaultableSignal, constant, type Signal } from "../signals.js";

/** Commands (datasheet §4.3–4.11). */
export const SHT3X_COMMANDS = Object.freeze({
  singleShotHighStretch: 0x2c06, singleShotMediumStretch: 0x2c0d, singleShotLowStretch: 0x2c10,
  singleShotHigh: 0x2400, singleShotMedium: 0x240b, singleShotLow: 0x2416,
  periodic1mpsHigh: 0x2130, periodic2mpsHigh: 0x2236, periodic10mpsHigh: 0x2737, periodicHalfMpsHigh: 0x2032,
  periodic4mpsHigh: 0x2334, fetchData: 0xe000, break: 0x3093, softReset: 0x30a2, readStatus: 0xf32d,
  clearStatus: 0x3041,
});

/** Maximum measurement duration by repeatability (Table 4): high 15 ms, medium 6 ms, low 4 ms. */
const DURATION_MS: Readonly<Record<number, number>> = { 0x06: 15, 0x0d: 6, 0x10: 4, 0x00: 15, 0x0b: 6, 0x16: 4 };
const PERIOD_MS: Readonly<Record<number, number>> = { 0x20: 2000, 0x21: 1000, 0x22: 500, 0x23: 250, 0x27: 100 };

export interface SHT3xOptions {
  readonly address?: 0x44 | 0x45;
  readonly temperatureC?: Signal;
  readonly humidityRH?: Signal;
}

export class SHT3xModel implements I2CTarget {
  present = true;
  readonly address: number;
  readonly temperatureC: FaultableSignal;
  readonly humidityRH: FaultableSignal;
  /** 0 idle, 1 single shot, 2 periodic. */
  mode = 0;
  status = 0x0010; // bit 4: reset detected since the last clear
  measurements = 0;
  /** Commands the chip did not execute because it was in periodic mode. */
  ignored = 0;
  readonly #out = new Uint8Array(6);
  #outLength = 0;
  /** Bytes of #out already clocked out in the read transaction under way (a controller may read them one by one). */
  #outIndex = 0;
  #readyAt = 0;
  #stretch = false;
  #periodMs = 0;
  #periodStart = 0;
  #fetched = -1;

  constructor(readonly clock: VirtualClock, options: SHT3xOptions = {}) {
    this.address = options.address ?? 0x44;
    this.temperatureC = new FaultableSignal(options.temperatureC ?? constant(21.5));
    this.humidityRH = new FaultableSignal(options.humidityRH ?? constant(45));
  }

  write(bytes: Uint8Array, offset: number, length: number): void {
    if (length < 2) return;
    this.#command(((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0));
  }

  #command(command: number): void {
    const msb = command >> 8;
    const lsb = command & 0xff;
    this.#outLength = 0;
    this.#outIndex = 0;
    if (this.mode === 2 && command !== SHT3X_COMMANDS.fetchData && command !== SHT3X_COMMANDS.break) {
      // Periodic mode takes only Fetch Data and Break (§4.11): anything else is ignored, so a read after it is NACKed.
      this.ignored++;
      return;
    }
    if (msb === 0x2c || msb === 0x24) {
      this.mode = 1;
      this.#stretch = msb === 0x2c;
      this.#readyAt = this.clock.now + (DURATION_MS[lsb] ?? 15);
      this.#measureInto(this.#readyAt);
    } else if (PERIOD_MS[msb] !== undefined) {
      this.mode = 2;
      this.#periodMs = PERIOD_MS[msb] ?? 1000;
      this.#periodStart = this.clock.now;
      this.#fetched = -1;
    } else if (command === SHT3X_COMMANDS.fetchData && this.mode === 2) {
      const index = Math.floor((this.clock.now - this.#periodStart - 15) / this.#periodMs);
      if (index >= 0 && index !== this.#fetched) {
        this.#fetched = index;
        this.#measureInto(this.clock.now);
        this.#readyAt = this.clock.now;
      }
    } else if (command === SHT3X_COMMANDS.break) {
      this.mode = 0;
    } else if (command === SHT3X_COMMANDS.softReset) {
      this.mode = 0;
      this.status = 0x0010;
    } else if (command === SHT3X_COMMANDS.readStatus) {
      this.#word(0, this.status);
      this.#outLength = 3;
      this.#readyAt = this.clock.now;
    } else if (command === SHT3X_COMMANDS.clearStatus) {
      this.status = 0;
    } else {
      this.status |= 0x0002; // command error: last command not processed
    }
  }

  #word(at: number, value: number): void {
    this.#out[at] = value >> 8;
    this.#out[at + 1] = value & 0xff;
    this.#out[at + 2] = crc8Sensirion(this.#out, at, 2);
  }

  #measureInto(atMs: number): void {
    const t = this.temperatureC.valueAt(atMs);
    const rh = this.humidityRH.valueAt(atMs);
    // §4.13: T = -45 + 175 · S_T / (2^16 − 1); RH = 100 · S_RH / (2^16 − 1)
    this.#word(0, Math.min(65535, Math.max(0, Math.round(((t + 45) / 175) * 65535))));
    this.#word(3, Math.min(65535, Math.max(0, Math.round((rh / 100) * 65535))));
    this.#outLength = 6;
    this.measurements++;
  }

  /**
   * The controller reads `length` bytes of the transaction under way; with `stop` the transaction ends and the
   * result is gone (a new read header is NACKed until the next measurement).
   */
  read(into: Uint8Array, offset: number, length: number, stop = true): boolean {
    if (this.#outIndex === 0) {
      if (this.#outLength === 0) return false;
      const wait = this.#readyAt - this.clock.now;
      if (wait > 0) {
        if (!this.#stretch) return false; // no clock stretching: NACK until the measurement is done (§4.3)
        this.clock.busy(wait);
      }
    }
    for (let i = 0; i < length; i++, this.#outIndex++) {
      into[offset + i] = this.#outIndex < this.#outLength ? this.#out[this.#outIndex] ?? 0 : 0xff;
    }
    if (stop) {
      this.#outLength = 0;
      this.#outIndex = 0;
      if (this.mode === 1) this.mode = 0;
    }
    return true;
  }
}
