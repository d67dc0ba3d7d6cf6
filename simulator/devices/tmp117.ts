/**
 * TMP117 digital temperature sensor model (TI SNOSD82, https://www.ti.com/lit/ds/symlink/tmp117.pdf): 16-bit
 * big-endian registers behind a pointer, device ID 0x0117, continuous conversions on the cycle of Table 7-7,
 * high/low limits with alert and therm modes (§7.4.4), and the ALERT pin (open drain, active low by default) on a
 * Digital line.
 */
import type { SimTimer, VirtualClock } from "../clock.js";
import type { PinBank } from "../pins.js";
import { FaultableSignal, constant, type Signal } from "../signals.js";
import { RegisterDevice } from "./register-device.js";

export const TMP117_REGISTERS = Object.freeze({ temperature: 0x00, configuration: 0x01, highLimit: 0x02, lowLimit: 0x03, deviceId: 0x0f });
export const TMP117_DEVICE_ID = 0x0117;
/** One LSB of the temperature register: 7.8125 m°C (§7.3.1). */
export const TMP117_LSB_C = 0.0078125;
const CONFIG = Object.freeze({ highAlert: 0x8000, lowAlert: 0x4000, dataReady: 0x2000, therm: 0x0010, polarity: 0x0008, drAlert: 0x0004, reset: 0x0002 });
/** What every read looks at, as plain numbers: a property lookup in XS scans the object's properties. */
const TEMPERATURE = 0x00;
const CONFIGURATION = 0x01;
const DATA_READY = 0x2000;
const THERM = 0x0010;
const ALERT_FLAGS = 0xc000;
const ONE_SHOT_AVERAGES = Object.freeze([1, 8, 32, 64]);
/** Conversion cycle in ms by CONV (row) and AVG (column), Table 7-7. */
const CYCLE_MS = [
  [15.5, 125, 500, 1000], [125, 125, 500, 1000], [250, 250, 500, 1000], [500, 500, 500, 1000],
  [1000, 1000, 1000, 1000], [4000, 4000, 4000, 4000], [8000, 8000, 8000, 8000], [16000, 16000, 16000, 16000],
];

export interface TMP117Options {
  readonly address?: 0x48 | 0x49 | 0x4a | 0x4b;
  readonly temperatureC?: Signal;
  /** The pin ALERT is wired to (driven low when asserted, released otherwise). */
  readonly alertPin?: number;
}

export class TMP117Model extends RegisterDevice {
  readonly temperatureC: FaultableSignal;
  readonly alertPin: number;
  conversions = 0;
  readonly #conversion: SimTimer;
  #selected = 0;

  constructor(readonly clock: VirtualClock, readonly pins: PinBank | undefined, options: TMP117Options = {}) {
    super(options.address ?? 0x48);
    this.temperatureC = new FaultableSignal(options.temperatureC ?? constant(22));
    this.alertPin = options.alertPin ?? -1;
    this.#conversion = clock.hardwareTimer(() => this.#converted());
    this.#reset();
  }

  #word(register: number): number {
    return ((this.registers[register * 2] ?? 0) << 8) | (this.registers[register * 2 + 1] ?? 0);
  }

  #setWord(register: number, value: number): void {
    this.registers[register * 2] = (value >> 8) & 0xff;
    this.registers[register * 2 + 1] = value & 0xff;
  }

  #reset(): void {
    this.#setWord(TMP117_REGISTERS.temperature, 0x8000);
    this.#setWord(TMP117_REGISTERS.configuration, 0x0220);
    this.#setWord(TMP117_REGISTERS.highLimit, 0x6000);
    this.#setWord(TMP117_REGISTERS.lowLimit, 0x8000);
    this.#setWord(TMP117_REGISTERS.deviceId, TMP117_DEVICE_ID);
    this.#updatePin();
    this.#schedule(15.5); // the first conversion after power-up/reset
  }

  #cycleMs(config: number): number {
    return CYCLE_MS[(config >> 7) & 7]?.[(config >> 5) & 3] ?? 1000;
  }

  /** A one-shot is 1, 8, 32 or 64 conversions of 15.5 ms back to back, as AVG says (§7.3.2, §7.4.2.3). */
  #oneShotMs(config: number): number {
    return 15.5 * (ONE_SHOT_AVERAGES[(config >> 5) & 3] ?? 1);
  }

  #schedule(inMs: number): void {
    this.clock.scheduleHardware(this.#conversion, inMs);
  }

  #converted(): void {
    this.#convert();
    const config = this.#word(TMP117_REGISTERS.configuration);
    const mode = (config >> 10) & 3;
    if (mode === 0 || mode === 2) this.#schedule(this.#cycleMs(config));
    // A one-shot ends in shutdown (§7.4.2.3); the model shows it in MOD, which then reads 01.
    else if (mode === 3) this.#setWord(TMP117_REGISTERS.configuration, (config & ~0x0c00) | 0x0400);
  }

  #convert(): void {
    const raw = Math.round(this.temperatureC.valueAt(this.clock.now) / TMP117_LSB_C);
    const value = Math.max(-32768, Math.min(32767, raw));
    this.#setWord(TMP117_REGISTERS.temperature, value & 0xffff);
    this.conversions++;
    let config = this.#word(TMP117_REGISTERS.configuration) | CONFIG.dataReady;
    const high = (this.#word(TMP117_REGISTERS.highLimit) << 16) >> 16;
    const low = (this.#word(TMP117_REGISTERS.lowLimit) << 16) >> 16;
    if (config & CONFIG.therm) {
      if (value > high) config |= CONFIG.highAlert;
      else if (value < low) config &= ~CONFIG.highAlert;
    } else {
      if (value > high) config |= CONFIG.highAlert;
      if (value < low) config |= CONFIG.lowAlert;
    }
    this.#setWord(TMP117_REGISTERS.configuration, config);
    this.#updatePin();
  }

  #updatePin(): void {
    if (this.pins === undefined || this.alertPin < 0) return;
    const config = this.#word(TMP117_REGISTERS.configuration);
    const asserted = config & CONFIG.drAlert ? (config & CONFIG.dataReady) !== 0 : (config & (CONFIG.highAlert | CONFIG.lowAlert)) !== 0;
    const activeHigh = (config & CONFIG.polarity) !== 0;
    this.pins.drive(this.alertPin, asserted === activeHigh ? 1 : 0);
  }

  protected override selectRegister(byte: number): number {
    this.#selected = byte & 0x0f;
    return this.#selected * 2;
  }

  protected override writeRegister(register: number, value: number): void {
    const word = register >> 1;
    if (word === TMP117_REGISTERS.temperature || word === TMP117_REGISTERS.deviceId) return; // read-only
    this.registers[register] = value;
    if (word === TMP117_REGISTERS.configuration && (register & 1) === 1) this.#configured();
  }

  #configured(): void {
    const config = this.#word(TMP117_REGISTERS.configuration);
    if (config & CONFIG.reset) {
      this.#reset();
      return;
    }
    const mode = (config >> 10) & 3;
    if (mode === 1) this.clock.cancelHardware(this.#conversion); // shutdown
    else this.#schedule(mode === 3 ? this.#oneShotMs(config) : this.#cycleMs(config));
    this.#updatePin();
  }

  protected override afterRead(): void {
    // Reading the configuration clears the flags in alert mode; reading the result clears Data_Ready (§7.4.4).
    const register = this.#selected;
    this.pointer = register * 2; // the pointer stays on its register between reads
    if (register !== CONFIGURATION && register !== TEMPERATURE) return;
    const registers = this.registers;
    const config = ((registers[2] ?? 0) << 8) | (registers[3] ?? 0); // #word(CONFIGURATION), inlined: every read comes here
    let cleared = config & ~DATA_READY;
    if (register === CONFIGURATION && !(config & THERM)) cleared &= ~ALERT_FLAGS;
    if (cleared === config) return; // no flag changed, so neither can the pin
    this.#setWord(CONFIGURATION, cleared);
    this.#updatePin();
  }

  /** A pointer write (the usual case) selects without the base class's per-byte calls. */
  override write(bytes: Uint8Array, offset: number, length: number, stop: boolean): void {
    if (length !== 1) {
      super.write(bytes, offset, length, stop);
      return;
    }
    this.writes++;
    this.#selected = (bytes[offset] ?? 0) & 0x0f;
    this.pointer = this.#selected * 2;
  }

  /** Words stream from the pointer, wrapping after the last register (0x0F); what nextRegister() does, inlined. */
  override read(into: Uint8Array, offset: number, length: number, stop: boolean): boolean {
    this.reads++;
    const registers = this.registers;
    let at = this.pointer;
    for (let i = 0; i < length; i++) {
      into[offset + i] = registers[at] ?? 0;
      at = at === 0x1f ? 0 : at + 1;
    }
    this.pointer = at;
    if (stop) this.afterRead();
    return true;
  }

  protected override nextRegister(register: number): number {
    return register === 0x1f ? 0 : register + 1;
  }
}
