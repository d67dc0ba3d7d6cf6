/**
 * LIS3DH 3-axis accelerometer (ST DocID17530, https://www.st.com/resource/en/datasheet/lis3dh.pdf), in the ECMA-419
 * Sensor Class Pattern. INT1 is the interrupt: on data-ready (or the FIFO watermark) the handler burst-reads the
 * frames into preallocated bytes and queues them in a record ring, counting drops; next() decodes one frame on the
 * main loop.
 */
import { RecordRing } from "../../mem/record-ring.js";
import { SampleStatus } from "../common/errors.js";
import type { InterruptLine } from "../common/interrupt.js";
import { OptionCheck } from "../common/options.js";
import { STANDARD_GRAVITY } from "../common/readings.js";
import { checkSensorOptions, I2CSensor, statusOf, type ChipSpec, type SensorOptions } from "../common/sensor.js";

/** Registers (§7); bit 7 of the sub-address auto-increments (§6.1.1). */
export const LIS3DH_REGISTERS = Object.freeze({
  whoAmI: 0x0f, ctrlReg1: 0x20, ctrlReg3: 0x22, ctrlReg4: 0x23, ctrlReg5: 0x24, statusReg: 0x27, outXL: 0x28,
  fifoCtrlReg: 0x2e, fifoSrcReg: 0x2f,
});
const WHO_AM_I = 0x33;
const AUTO_INCREMENT = 0x80;
const FRAME = 6;
const FIFO_DEPTH = 32;
/** Frames the default ring holds: more than a full FIFO, so a drain never has to drop for want of room. */
const DEFAULT_FRAMES = 64;
/** mg per digit in high-resolution mode by range code (Table 4). */
const MG_PER_DIGIT = Object.freeze([1, 2, 4, 12]);
const RATES_HZ = Object.freeze([1, 10, 25, 50, 100, 200, 400] as const);
const RANGES_G = Object.freeze([2, 4, 8, 16] as const);
/** SA0 low or high (§6.1.1); fast mode up to 400 kHz (Table 7). (The gateway's sensor types read it.) */
export const LIS3DH_SPEC: ChipSpec = Object.freeze({
  chip: "LIS3DH", addresses: Object.freeze([0x18, 0x19]), maxHz: 400_000,
  options: Object.freeze(["dataReady", "onDataReady", "ring", "config"]),
});

export interface LIS3DHConfig {
  readonly rateHz?: 1 | 10 | 25 | 50 | 100 | 200 | 400;
  readonly rangeG?: 2 | 4 | 8 | 16;
  /** The FIFO: off (every sample raises data-ready) or stream mode with a watermark of 1–31 frames. */
  readonly fifoWatermark?: number | undefined;
}

/** A sample in the ECMA-419 Accelerometer shape `{x, y, z}` (m/s²), with `status` and `valid` alongside. */
export class LIS3DHSample {
  status: number = SampleStatus.notReady;
  valid = false;
  x = Number.NaN;
  y = Number.NaN;
  z = Number.NaN;
}

export interface LIS3DHOptions extends SensorOptions {
  /** INT1: `{io: device.io.Digital, pin: device.pin.dataReady}` (active high). */
  readonly dataReady?: InterruptLine;
  readonly onDataReady?: (sensor: LIS3DH) => void;
  /** Where frames go (6 bytes each: X, Y, Z as the chip sends them); by default a ring of its own for 64 frames. */
  readonly ring?: RecordRing;
  readonly config?: LIS3DHConfig;
}

function checkConfig(check: OptionCheck, option: string, value: unknown): LIS3DHConfig {
  const config = check.keys(option, value, ["rateHz", "rangeG", "fifoWatermark"]);
  // ODR (Table 31), full scale (Table 34), FIFO watermark FTH[4:0] (Table 41; 0 would never fire)
  if (config.rateHz !== undefined) check.oneOf(`${option}.rateHz`, config.rateHz, RATES_HZ);
  if (config.rangeG !== undefined) check.oneOf(`${option}.rangeG`, config.rangeG, RANGES_G);
  if (config.fifoWatermark !== undefined) check.whole(`${option}.fifoWatermark`, config.fifoWatermark, 1, 31);
  return config as LIS3DHConfig;
}

function checkOptions(options: LIS3DHOptions): OptionCheck {
  const check = checkSensorOptions(LIS3DH_SPEC, options);
  check.pin("dataReady", options.dataReady);
  check.callback("onDataReady", options.onDataReady);
  check.ring("ring", options.ring, FRAME);
  if (options.config !== undefined) checkConfig(check, "config", options.config);
  return check;
}

export class LIS3DH extends I2CSensor {
  readonly #burst = new Uint8Array(FIFO_DEPTH * FRAME);
  /** One view per frame count, made once: a view per read would allocate. */
  readonly #views: Uint8Array[] = [];
  readonly #frame = new Uint8Array(FRAME);
  readonly #ring: RecordRing;
  readonly #onDataReady: ((sensor: LIS3DH) => void) | undefined;
  /**
   * An interrupt read failed: INT1 stays high until the data is read, so no new edge will come. next() reads again
   * (once per call, counted like any fault) until it succeeds — the recovery from a transient bus fault.
   */
  #missed = false;
  #fifo = false;
  #perDigit = (0.001 / 16) * STANDARD_GRAVITY;

  constructor(options: LIS3DHOptions) {
    super(options, LIS3DH_SPEC, checkOptions(options));
    let id = -1;
    try {
      id = this.io.readUint8(LIS3DH_REGISTERS.whoAmI);
    } catch (error: unknown) {
      this.refuse("no-answer", LIS3DH_REGISTERS.whoAmI, `no LIS3DH answered at 0x${this.address.toString(16)}: check ` +
        `wiring and SA0 (0x18 low, 0x19 high) (${error instanceof Error ? error.message : String(error)})`);
    }
    if (id !== WHO_AM_I) {
      this.refuse("wrong-chip", LIS3DH_REGISTERS.whoAmI, `the device at 0x${this.address.toString(16)} answers WHO_AM_I ` +
        `0x${id.toString(16)}, not the LIS3DH's 0x33`);
    }
    for (let n = 0; n <= FIFO_DEPTH; n++) this.#views.push(new Uint8Array(this.#burst.buffer, 0, n * FRAME));
    this.#ring = options.ring ?? new RecordRing(DEFAULT_FRAMES, FRAME);
    this.#onDataReady = options.onDataReady;
    this.configure({ rateHz: 100, rangeG: 2, ...options.config });
    if (options.dataReady !== undefined) this.openLine(options.dataReady, "rising", (sensor) => sensor.#interrupt());
  }

  /** Changes only the options given; each is checked first, and nothing is written unless all are allowed. */
  configure(options: LIS3DHConfig): void {
    this.checkOpen();
    const config = checkConfig(this.optionCheck(), "configure", options);
    if (config.rangeG !== undefined) {
      const range = RANGES_G.indexOf(config.rangeG);
      this.io.writeUint8(LIS3DH_REGISTERS.ctrlReg4, 0x80 | (range << 4) | 0x08); // BDU, range, high resolution
      // 12-bit data left-justified in 16 bits; the Accelerometer class reports m/s²
      this.#perDigit = ((MG_PER_DIGIT[range] ?? 1) / 1000 / 16) * STANDARD_GRAVITY;
    }
    if ("fifoWatermark" in config) {
      const watermark = config.fifoWatermark;
      this.#fifo = watermark !== undefined;
      this.io.writeUint8(LIS3DH_REGISTERS.ctrlReg5, this.#fifo ? 0x40 : 0);
      this.io.writeUint8(LIS3DH_REGISTERS.fifoCtrlReg, this.#fifo ? (2 << 6) | (watermark ?? 1) : 0);
      this.io.writeUint8(LIS3DH_REGISTERS.ctrlReg3, this.#fifo ? 0x04 : 0x10); // I1_WTM or I1_ZYXDA
    } else if (config.rateHz !== undefined) {
      this.io.writeUint8(LIS3DH_REGISTERS.ctrlReg3, this.#fifo ? 0x04 : 0x10);
    }
    if (config.rateHz !== undefined) this.io.writeUint8(LIS3DH_REGISTERS.ctrlReg1, ((RATES_HZ.indexOf(config.rateHz) + 1) << 4) | 0x07);
  }

  /**
   * Reads the current output registers. Fills `into` in place without allocating; without `into`, a new object each
   * call (as ECMA-419 asks). The LIS3DH always has a latest value, so this never returns undefined.
   */
  sample(into: LIS3DHSample = new LIS3DHSample()): LIS3DHSample {
    this.checkOpen();
    const frame = this.#frame;
    try {
      this.io.readBuffer(LIS3DH_REGISTERS.outXL | AUTO_INCREMENT, frame);
    } catch (error: unknown) {
      this.counters.attempts++;
      this.#invalid(into, this.fault(statusOf(error), LIS3DH_REGISTERS.outXL, error));
      return into;
    }
    this.#decode(frame, 0, into);
    return into;
  }

  /** Decodes the oldest queued frame into `into`; false when none is queued. */
  next(into: LIS3DHSample): boolean {
    this.checkOpen();
    let at = this.#ring.oldest;
    if (at < 0 && this.#missed) {
      this.#interrupt();
      at = this.#ring.oldest;
    }
    if (at < 0) return false;
    this.#decode(this.#ring.bytes, at, into);
    this.#ring.release(at);
    return true;
  }

  get pendingFrames(): number {
    return this.#ring.count;
  }

  /** The interrupt path: burst-read what is ready, queue each frame, count what does not fit. */
  #interrupt(): void {
    this.counters.interrupts++;
    this.#missed = false;
    let frames = 1;
    try {
      if (this.#fifo) {
        const source = this.io.readUint8(LIS3DH_REGISTERS.fifoSrcReg);
        frames = source & 0x40 ? FIFO_DEPTH : source & 0x1f; // OVRN: all 32 levels are full
      }
      if (frames === 0) return;
      this.io.readBuffer(LIS3DH_REGISTERS.outXL | AUTO_INCREMENT, this.#views[frames] ?? this.#burst);
    } catch (error: unknown) {
      this.#missed = true;
      this.fault(statusOf(error), LIS3DH_REGISTERS.outXL, error);
      return;
    }
    this.#queue(frames);
    this.#onDataReady?.(this);
  }

  #queue(frames: number): void {
    const ring = this.#ring;
    for (let f = 0; f < frames; f++) {
      if (ring.tryPush(this.#burst, f * FRAME)) continue;
      this.counters.dropped++;
      this.fault(SampleStatus.dropped, LIS3DH_REGISTERS.outXL, undefined);
    }
  }

  #decode(bytes: Uint8Array, at: number, into: LIS3DHSample): void {
    this.counters.attempts++;
    into.x = this.#axis(bytes, at);
    into.y = this.#axis(bytes, at + 2);
    into.z = this.#axis(bytes, at + 4);
    into.status = SampleStatus.ok;
    into.valid = true;
    this.counters.valid++;
  }

  /** A little-endian signed 16-bit output, in m/s². */
  #axis(bytes: Uint8Array, at: number): number {
    return ((((bytes[at + 1] ?? 0) << 24) >> 16) | (bytes[at] ?? 0)) * this.#perDigit;
  }

  #invalid(into: LIS3DHSample, status: number): void {
    into.status = status;
    into.valid = false;
    into.x = Number.NaN;
    into.y = Number.NaN;
    into.z = Number.NaN;
  }
}

export default LIS3DH;
