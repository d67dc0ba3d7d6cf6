/**
 * AHT20 humidity and temperature sensor model (Aosong AHT20 datasheet V1.1,
 * http://www.aosong.com/userfiles/files/media/Data%20Sheet%20AHT20.pdf): address 0x38; a status byte first in every
 * read (bit 7 busy, bit 3 calibration enabled, Table 10; power-up status 0x18, §5.4 step 1); initialisation 0xBE 0x08
 * 0x00 (§5.4 step 1); the trigger 0xAC 0x33 0x00 and its 80 ms measurement (§5.4 steps 2–3); 20-bit humidity and
 * temperature (§6.1–6.2) followed by a CRC-8 (polynomial 0x31, initial 0xFF, §5.4 step 4); soft reset 0xBA (§5.5).
 *
 * Where the datasheet is silent the model chooses, and says so: a read during a measurement returns the busy status
 * and the previous measurement's data, a trigger while busy is ignored; the AHT10's initialisation 0xE1 (which the AHT20 datasheet does not list) is
 * taken as 0xBE, so Moddable's AHT10 driver can set the chip up.
 */
import type { I2CTarget } from "../bus.js";
import type { VirtualClock } from "../clock.js";
import { crc8Sensirion } from "../crc8.js";
import { FaultableSignal, constant, type Signal } from "../signals.js";

export const AHT20_COMMANDS = Object.freeze({ status: 0x71, initialise: 0xbe, initialiseAht10: 0xe1, trigger: 0xac, softReset: 0xba });
export const AHT20_STATUS = Object.freeze({ busy: 0x80, calibrated: 0x08, powerUp: 0x18 });
/** §5.4 step 3: wait 80 ms for the measurement; §5.5: a soft reset takes under 20 ms. */
export const AHT20_MEASURE_MS = 80;
const RESET_MS = 20;
const FULL_SCALE = 1 << 20;

export interface AHT20Options {
  readonly temperatureC?: Signal;
  readonly humidityRH?: Signal;
  /** Power up without the calibration bit, as a part that needs 0xBE does (default: calibrated, status 0x18). */
  readonly uncalibrated?: boolean;
}

export class AHT20Model implements I2CTarget {
  readonly address = 0x38;
  present = true;
  readonly temperatureC: FaultableSignal;
  readonly humidityRH: FaultableSignal;
  measurements = 0;
  /** Commands it did not recognise or took while busy (ACKed and ignored). */
  ignored = 0;
  status: number;
  /** Status, 5 data bytes, CRC: what a read clocks out. */
  readonly #frame = new Uint8Array(7);
  #busyUntil = 0;
  /** A measurement under way: its raw values land in the frame when it ends. */
  #measuring = false;
  #rawHumidity = 0;
  #rawTemperature = 0;

  constructor(readonly clock: VirtualClock, options: AHT20Options = {}) {
    this.temperatureC = new FaultableSignal(options.temperatureC ?? constant(21));
    this.humidityRH = new FaultableSignal(options.humidityRH ?? constant(45));
    this.status = options.uncalibrated === true ? AHT20_STATUS.powerUp & ~AHT20_STATUS.calibrated : AHT20_STATUS.powerUp;
  }

  write(bytes: Uint8Array, offset: number, length: number): void {
    if (length === 0) return;
    const command = bytes[offset] ?? 0;
    if (command === AHT20_COMMANDS.trigger && length >= 3 && bytes[offset + 1] === 0x33 && bytes[offset + 2] === 0x00) this.#trigger();
    else if (command === AHT20_COMMANDS.initialise || command === AHT20_COMMANDS.initialiseAht10) this.#initialise();
    else if (command === AHT20_COMMANDS.softReset) this.#softReset();
    else if (command !== AHT20_COMMANDS.status) this.ignored++; // 0x71 only asks for the status byte a read gives anyway
  }

  #trigger(): void {
    this.#settle();
    if (this.clock.now < this.#busyUntil) {
      this.ignored++; // busy: the model takes no new measurement until this one is done
      return;
    }
    this.#busyUntil = this.clock.now + AHT20_MEASURE_MS;
    const at = this.#busyUntil;
    // §6.1: RH = S_RH / 2^20 · 100 %; §6.2: T = S_T / 2^20 · 200 − 50 °C
    this.#rawHumidity = clampRaw((this.humidityRH.valueAt(at) / 100) * FULL_SCALE);
    this.#rawTemperature = clampRaw(((this.temperatureC.valueAt(at) + 50) / 200) * FULL_SCALE);
    this.#measuring = true;
  }

  /** The 10 ms §5.4 asks to wait after it are not modelled as busy: a trigger right after is taken. */
  #initialise(): void {
    this.status |= AHT20_STATUS.calibrated;
  }

  #softReset(): void {
    this.#measuring = false;
    this.#frame.fill(0);
    this.status = AHT20_STATUS.powerUp;
    this.#busyUntil = this.clock.now + RESET_MS;
  }

  /** A measurement whose time is up lands in the frame. */
  #settle(): void {
    if (!this.#measuring || this.clock.now < this.#busyUntil) return;
    this.#measuring = false;
    const frame = this.#frame;
    const h = this.#rawHumidity;
    const t = this.#rawTemperature;
    frame[1] = (h >> 12) & 0xff;
    frame[2] = (h >> 4) & 0xff;
    frame[3] = ((h & 0x0f) << 4) | ((t >> 16) & 0x0f);
    frame[4] = (t >> 8) & 0xff;
    frame[5] = t & 0xff;
    this.measurements++;
  }

  read(into: Uint8Array, offset: number, length: number): boolean {
    this.#settle();
    const frame = this.#frame;
    const busy = this.clock.now < this.#busyUntil;
    frame[0] = busy ? this.status | AHT20_STATUS.busy : this.status & ~AHT20_STATUS.busy;
    frame[6] = crc8Sensirion(frame, 0, 6);
    for (let i = 0; i < length; i++) into[offset + i] = i < 7 ? frame[i] ?? 0 : 0xff;
    return true;
  }
}

function clampRaw(value: number): number {
  return Math.min(FULL_SCALE - 1, Math.max(0, Math.round(value)));
}
