/**
 * TMP102 digital temperature sensor model (TI SBOS397, https://www.ti.com/lit/ds/symlink/tmp102.pdf): 16-bit
 * big-endian registers behind a pointer (§7.5.1), written a byte at a time; power-up configuration 0x60A0, limits
 * 75 °C / 80 °C (§7.5.3–7.5.4); 12-bit results, or 13-bit in extended mode (EM, §7.5.3.3), at 0.25, 1, 4 or 8 Hz
 * (CR, §7.5.3.4), each conversion taking 26 ms (§6.5); shutdown and one-shot (SD, OS, §7.5.3.1–7.5.3.2); and the
 * alert: a fault queue of 1, 2, 4 or 6 (§7.5.3.6), the AL bit (§7.5.3.7) and the ALERT pin in comparator or interrupt
 * mode, cleared in interrupt mode by reading any register (TM, POL, §7.5.3.5, §7.5.3.8).
 */
import type { SimTimer, VirtualClock } from "../clock.js";
import type { PinBank } from "../pins.js";
import { FaultableSignal, constant, type Signal } from "../signals.js";
import { RegisterDevice } from "./register-device.js";

export const TMP102_REGISTERS = Object.freeze({ temperature: 0x00, configuration: 0x01, lowLimit: 0x02, highLimit: 0x03 });
export const TMP102_CONFIG = Object.freeze({
  oneShot: 0x8000, resolution: 0x6000, faultQueue: 0x1800, polarity: 0x0400, interruptMode: 0x0200, shutdown: 0x0100,
  conversionRate: 0x00c0, alert: 0x0020, extended: 0x0010,
});
const C = TMP102_CONFIG;
export const TMP102_POWER_UP = 0x60a0;
export const TMP102_LSB_C = 0.0625;
export const TMP102_CONVERSION_MS = 26;
/** CR 0–3: 0.25, 1, 4, 8 Hz. */
const PERIOD_MS = Object.freeze([4000, 1000, 250, 125]);
/** F1 F0: consecutive faults before the alert changes. */
const FAULTS = Object.freeze([1, 2, 4, 6]);
/** Bits a write cannot change: the resolution reads 11, AL and bits 3:0 are the chip's. */
const READ_ONLY = C.resolution | C.alert | 0x000f;

export interface TMP102Options {
  readonly address?: 0x48 | 0x49 | 0x4a | 0x4b;
  readonly temperatureC?: Signal;
  /** The pin ALERT is wired to (open drain: driven when active, released otherwise). */
  readonly alertPin?: number;
}

export class TMP102Model extends RegisterDevice {
  readonly temperatureC: FaultableSignal;
  readonly alertPin: number;
  conversions = 0;
  readonly #conversion: SimTimer;
  /** The comparator's state, what the AL bit reports (§7.5.3.7), and the consecutive faults counted towards a change. */
  #active = false;
  #faults = 0;
  /** Interrupt mode: the pin latched until a register is read. */
  #latched = false;
  #oneShotDone = false;
  #converting = false;

  constructor(readonly clock: VirtualClock, readonly pins: PinBank | undefined, options: TMP102Options = {}) {
    super(options.address ?? 0x48);
    this.temperatureC = new FaultableSignal(options.temperatureC ?? constant(22));
    this.alertPin = options.alertPin ?? -1;
    this.#conversion = clock.hardwareTimer(() => this.#converted());
    this.#setWord(TMP102_REGISTERS.configuration, TMP102_POWER_UP);
    this.#setWord(TMP102_REGISTERS.lowLimit, 0x4b00);
    this.#setWord(TMP102_REGISTERS.highLimit, 0x5000);
    this.#start();
    this.#updatePin();
  }

  #word(register: number): number {
    return ((this.registers[register * 2] ?? 0) << 8) | (this.registers[register * 2 + 1] ?? 0);
  }

  #setWord(register: number, value: number): void {
    this.registers[register * 2] = (value >> 8) & 0xff;
    this.registers[register * 2 + 1] = value & 0xff;
  }

  get #config(): number {
    return this.#word(TMP102_REGISTERS.configuration);
  }

  #start(): void {
    this.#converting = true;
    this.clock.scheduleHardware(this.#conversion, TMP102_CONVERSION_MS);
  }

  /** A conversion ends: the result lands; in continuous mode the next one ends a conversion period later. */
  #converted(): void {
    this.#converting = false;
    this.#convert();
    if ((this.#config & C.shutdown) !== 0) {
      this.#oneShotDone = true;
      this.#setWord(TMP102_REGISTERS.configuration, this.#config | C.oneShot);
      return;
    }
    this.#converting = true;
    this.clock.scheduleHardware(this.#conversion, PERIOD_MS[(this.#config >> 6) & 3] ?? 250);
  }

  #convert(): void {
    const config = this.#config;
    const extended = (config & C.extended) !== 0;
    const limit = extended ? 4095 : 2047;
    const raw = Math.max(-limit - 1, Math.min(limit, Math.round(this.temperatureC.valueAt(this.clock.now) / TMP102_LSB_C)));
    this.#setWord(TMP102_REGISTERS.temperature, extended ? ((raw << 3) | 1) & 0xffff : (raw << 4) & 0xffff);
    this.conversions++;
    this.#compare(raw, config, extended);
  }

  /** The comparator with its fault queue (§7.5.3.6): it changes after F consecutive faults. */
  #compare(raw: number, config: number, extended: boolean): void {
    const shift = extended ? 3 : 4;
    const high = ((this.#word(TMP102_REGISTERS.highLimit) << 16) >> 16) >> shift;
    const low = ((this.#word(TMP102_REGISTERS.lowLimit) << 16) >> 16) >> shift;
    const fault = this.#active ? raw < low : raw >= high;
    this.#faults = fault ? this.#faults + 1 : 0;
    if (this.#faults < (FAULTS[(config >> 11) & 3] ?? 1)) return this.#updateAl();
    this.#faults = 0;
    this.#active = !this.#active;
    if ((config & C.interruptMode) !== 0) this.#latched = true;
    this.#updateAl();
    this.#updatePin();
  }

  /** AL reads 0 while active when POL = 0, and the other way round with POL = 1 (§7.5.3.7). */
  #updateAl(): void {
    const config = this.#config;
    const polarity = (config & C.polarity) !== 0;
    const al = this.#active === polarity;
    this.#setWord(TMP102_REGISTERS.configuration, al ? config | C.alert : config & ~C.alert);
  }

  #updatePin(): void {
    if (this.pins === undefined || this.alertPin < 0) return;
    const config = this.#config;
    const asserted = (config & C.interruptMode) !== 0 ? this.#latched : this.#active;
    const activeHigh = (config & C.polarity) !== 0;
    if (asserted) this.pins.drive(this.alertPin, activeHigh ? 1 : 0);
    else this.pins.drive(this.alertPin, -1); // open drain: released to the pull-up
  }

  protected override selectRegister(byte: number): number {
    return (byte & 3) * 2;
  }

  protected override nextRegister(register: number): number {
    return register ^ 1; // within the selected word: MSB, LSB, MSB…
  }

  protected override writeRegister(register: number, value: number): void {
    const word = register >> 1;
    if (word === TMP102_REGISTERS.temperature) return; // read-only
    if (word !== TMP102_REGISTERS.configuration) {
      this.registers[register] = value;
      return;
    }
    const before = this.#config;
    const written = (register & 1) === 0 ? (value << 8) | (before & 0xff) : (before & 0xff00) | value;
    this.#setWord(TMP102_REGISTERS.configuration, (written & ~READ_ONLY & ~C.oneShot) | (before & READ_ONLY) |
      (this.#oneShotDone ? C.oneShot : 0));
    this.#configured(before, written);
  }

  /** SD stops conversions, clearing it starts them; OS with SD starts a single one (§7.5.3.1–7.5.3.2). */
  #configured(before: number, written: number): void {
    const shutdown = (written & C.shutdown) !== 0;
    if (shutdown && (written & C.oneShot) !== 0 && !this.#converting) {
      this.#oneShotDone = false;
      this.#setWord(TMP102_REGISTERS.configuration, this.#config & ~C.oneShot);
      this.#start();
    } else if (!shutdown && (before & C.shutdown) !== 0) {
      this.#start();
    } else if (shutdown && (before & C.shutdown) === 0) {
      this.clock.cancelHardware(this.#conversion);
      this.#converting = false;
    }
    if (((before ^ written) & (C.polarity | C.interruptMode)) !== 0) this.#latched = false;
    this.#updateAl();
    this.#updatePin();
  }

  /** Reading any register clears an interrupt-mode alert (§7.5.3.5). */
  protected override afterRead(): void {
    this.pointer &= ~1; // the pointer stays on its register
    if (!this.#latched) return;
    this.#latched = false;
    this.#updatePin();
  }

  /** Whether the comparator is active (what AL reports), for tests. */
  get comparatorActive(): boolean {
    return this.#active;
  }
}
