/**
 * MPU-6050 accelerometer and gyroscope (InvenSense PS-MPU-6000A-00 and register map RM-MPU-6000A-00,
 * https://invensense.tdk.com/wp-content/uploads/2015/02/MPU-6000-Register-Map1.pdf), in the ECMA-419 Sensor Class
 * Pattern. Three ways to read it: sample() reads the latest output registers; with INT wired, each data-ready
 * interrupt reads a frame into a record ring (drops counted) for next(); with the FIFO on, next() drains the chip's
 * 1024-byte FIFO into the ring on the main loop (the chip has no FIFO watermark interrupt). Frames are decoded only
 * when taken out. Nothing allocates per sample.
 */
import { RecordRing } from "../../mem/record-ring.js";
import { SampleStatus } from "../common/errors.js";
import type { InterruptLine } from "../common/interrupt.js";
import { OptionCheck } from "../common/options.js";
import { Accelerometer, Gyroscope, STANDARD_GRAVITY, Thermometer } from "../common/readings.js";
import { checkSensorOptions, I2CSensor, statusOf, type ChipSpec, type SensorOptions } from "../common/sensor.js";

/** Registers (register map §3) used here. */
export const MPU6050_REGISTERS = Object.freeze({
  smplrtDiv: 0x19, config: 0x1a, gyroConfig: 0x1b, accelConfig: 0x1c, fifoEn: 0x23, intPinCfg: 0x37, intEnable: 0x38,
  intStatus: 0x3a, accelXoutH: 0x3b, userCtrl: 0x6a, pwrMgmt1: 0x6b, fifoCountH: 0x72, fifoRW: 0x74, whoAmI: 0x75,
});
const R = MPU6050_REGISTERS;
/** Register fields (register map §4.3, §4.7, §4.14–4.16, §4.27–4.28). */
const DLPF_184_HZ = 0x01; // DLPF_CFG 1: 184 Hz accelerometer, 188 Hz gyroscope bandwidth, 1 kHz gyroscope rate
const FIFO_ALL = 0xf8; // TEMP, XG, YG, ZG and ACCEL into the FIFO: frames in register order
const USER_FIFO_EN = 0x40;
const USER_FIFO_RESET = 0x04;
const CLOCK_PLL_X_GYRO = 0x01; // CLKSEL 1, SLEEP 0: the gyroscope's clock, as §4.28 recommends
/** INT active low, open drain, latched until cleared; with data ready any read clears it (INT_RD_CLEAR). */
const INT_PIN_LATCHED_LOW = 0xe0;
const INT_RD_CLEAR = 0x10;
const DATA_RDY_EN = 0x01;
const FIFO_OFLOW = 0x10;
/** A frame: accelerometer X, Y, Z, temperature, gyroscope X, Y, Z, 16-bit big-endian (§4.17–4.19). */
const FRAME = 14;
/** Frames one drain reads at most (one bus transaction). */
const BURST_FRAMES = 16;
const DEFAULT_FRAMES = 32;
/** LSB per g by AFS_SEL and per °/s by FS_SEL (product specification §6.1–6.2). */
const ACCEL_LSB_PER_G = Object.freeze([16384, 8192, 4096, 2048]);
const GYRO_LSB_PER_DPS = Object.freeze([131, 65.5, 32.8, 16.4]);
const RANGES_G = Object.freeze([2, 4, 8, 16] as const);
const RANGES_DPS = Object.freeze([250, 500, 1000, 2000] as const);
/** Sample rates of a 1 kHz gyroscope rate: 1000 / (1 + SMPLRT_DIV) for whole dividers 0–255 (§4.2). */
const RATES_HZ = Object.freeze([1000, 500, 250, 200, 125, 100, 50, 40, 25, 20, 10, 8, 5, 4] as const);
const WHO_AM_I = 0x68;
/** AD0 low or high (§9.2 of the product specification); I2C up to 400 kHz (§6.4). (The gateway's sensor types read it.) */
export const MPU6050_SPEC: ChipSpec = Object.freeze({
  chip: "MPU6050", addresses: Object.freeze([0x68, 0x69]), maxHz: 400_000,
  options: Object.freeze(["dataReady", "onDataReady", "ring", "config"]),
});
/** The temperature sensor's range (§6.4): −40…85 °C. */
const MIN_C = -40;
const MAX_C = 85;

export interface MPU6050Config {
  readonly rateHz?: (typeof RATES_HZ)[number];
  readonly accelRangeG?: 2 | 4 | 8 | 16;
  readonly gyroRangeDps?: 250 | 500 | 1000 | 2000;
  /** Collect frames in the chip's FIFO, drained by next(); off by default. */
  readonly fifo?: boolean;
}

/**
 * A sample in the compound shape Moddable's MPU6050 driver uses, `{accelerometer: {x, y, z}, gyroscope: {x, y, z}}`
 * (m/s², °/s), with `thermometer: {temperature}` (°C), `status` and `valid` alongside.
 */
export class MPU6050Sample {
  status: number = SampleStatus.notReady;
  valid = false;
  readonly accelerometer = new Accelerometer();
  readonly gyroscope = new Gyroscope();
  readonly thermometer = new Thermometer();
}

export interface MPU6050Options extends SensorOptions {
  /** INT: `{io: device.io.Digital, pin}`, configured active low, open drain, latched. */
  readonly dataReady?: InterruptLine;
  readonly onDataReady?: (sensor: MPU6050) => void;
  /** Where frames go (14 bytes each, as the chip sends them); by default a ring of its own for 32 frames. */
  readonly ring?: RecordRing;
  readonly config?: MPU6050Config;
}

const FIFO_WITH_INT = "false with dataReady: the MPU-6050 has no FIFO watermark interrupt, so drain the FIFO with next() " +
  "and leave dataReady out";

function checkConfig(check: OptionCheck, option: string, value: unknown): MPU6050Config {
  const config = check.keys(option, value, ["rateHz", "accelRangeG", "gyroRangeDps", "fifo"]);
  // SMPLRT_DIV (§4.2), AFS_SEL (§4.5), FS_SEL (§4.4)
  if (config.rateHz !== undefined) check.oneOf(`${option}.rateHz`, config.rateHz, RATES_HZ);
  if (config.accelRangeG !== undefined) check.oneOf(`${option}.accelRangeG`, config.accelRangeG, RANGES_G);
  if (config.gyroRangeDps !== undefined) check.oneOf(`${option}.gyroRangeDps`, config.gyroRangeDps, RANGES_DPS);
  if (config.fifo !== undefined) check.boolean(`${option}.fifo`, config.fifo);
  return config as MPU6050Config;
}

function checkOptions(options: MPU6050Options): OptionCheck {
  const check = checkSensorOptions(MPU6050_SPEC, options);
  check.pin("dataReady", options.dataReady);
  check.callback("onDataReady", options.onDataReady);
  check.ring("ring", options.ring, FRAME);
  if (options.config !== undefined) checkConfig(check, "config", options.config);
  if (options.config?.fifo === true && options.dataReady !== undefined) {
    check.refuse("config.fifo", true, FIFO_WITH_INT);
  }
  return check;
}

export class MPU6050 extends I2CSensor {
  readonly #frame = new Uint8Array(FRAME);
  readonly #burst = new Uint8Array(BURST_FRAMES * FRAME);
  /** One view per frame count, made once: a view per drain would allocate. */
  readonly #views: Uint8Array[] = [];
  readonly #ring: RecordRing;
  readonly #onDataReady: ((sensor: MPU6050) => void) | undefined;
  readonly #interrupts: boolean;
  #fifo = false;
  #accelRange = 0;
  #gyroRange = 0;
  /** An interrupt read failed: INT stays latched, so no new edge comes; next() reads again. */
  #missed = false;

  constructor(options: MPU6050Options) {
    super(options, MPU6050_SPEC, checkOptions(options));
    let id = -1;
    try {
      id = this.io.readUint8(R.whoAmI);
    } catch (error: unknown) {
      this.refuse("no-answer", R.whoAmI, `no MPU6050 answered at 0x${this.address.toString(16)}: check wiring and AD0 ` +
        `(0x68 low, 0x69 high) (${error instanceof Error ? error.message : String(error)})`);
    }
    if ((id & 0x7e) !== WHO_AM_I) { // bits 6:1 hold the address's upper six bits, whatever AD0 is (§4.32)
      this.refuse("wrong-chip", R.whoAmI, `the device at 0x${this.address.toString(16)} answers WHO_AM_I 0x${id.toString(16)}, ` +
        "not the MPU-6050's 0x68");
    }
    for (let n = 0; n <= BURST_FRAMES; n++) this.#views.push(new Uint8Array(this.#burst.buffer, 0, n * FRAME));
    this.#ring = options.ring ?? new RecordRing(DEFAULT_FRAMES, FRAME);
    this.#onDataReady = options.onDataReady;
    this.#interrupts = options.dataReady !== undefined;
    this.io.writeUint8(R.pwrMgmt1, CLOCK_PLL_X_GYRO);
    this.io.writeUint8(R.config, DLPF_184_HZ);
    this.io.writeUint8(R.intPinCfg, INT_PIN_LATCHED_LOW | (this.#interrupts ? INT_RD_CLEAR : 0));
    this.configure({ rateHz: 100, accelRangeG: 2, gyroRangeDps: 250, fifo: false, ...options.config });
    if (options.dataReady !== undefined) this.openLine(options.dataReady, "falling", (sensor) => sensor.#interrupt());
  }

  /**
   * Changes only the options given; each is checked first, and nothing is written unless all are allowed. Frames
   * queued under other ranges are dropped (counted): they cannot be decoded with the new ones.
   */
  configure(options: MPU6050Config): void {
    this.checkOpen();
    const config = checkConfig(this.optionCheck(), "configure", options);
    if (config.fifo === true && this.#interrupts) new OptionCheck(this.chip).refuse("configure.fifo", true, FIFO_WITH_INT);
    const io = this.io;
    if (config.rateHz !== undefined) io.writeUint8(R.smplrtDiv, Math.round(1000 / config.rateHz) - 1);
    if (config.accelRangeG !== undefined) this.#accelRange = RANGES_G.indexOf(config.accelRangeG);
    if (config.gyroRangeDps !== undefined) this.#gyroRange = RANGES_DPS.indexOf(config.gyroRangeDps);
    if (config.accelRangeG !== undefined || config.gyroRangeDps !== undefined) {
      io.writeUint8(R.accelConfig, this.#accelRange << 3);
      io.writeUint8(R.gyroConfig, this.#gyroRange << 3);
      this.#dropQueued();
    }
    if (config.fifo !== undefined) {
      this.#fifo = config.fifo;
      io.writeUint8(R.fifoEn, this.#fifo ? FIFO_ALL : 0);
      io.writeUint8(R.userCtrl, (this.#fifo ? USER_FIFO_EN : 0) | USER_FIFO_RESET);
      io.writeUint8(R.intEnable, this.#interrupts && !this.#fifo ? DATA_RDY_EN : 0);
    }
  }

  #dropQueued(): void {
    const lost = this.#ring.count;
    this.#ring.clear();
    this.counters.dropped += lost;
    for (let i = 0; i < lost; i++) this.fault(SampleStatus.dropped, R.accelXoutH, undefined);
  }

  /**
   * Reads the current output registers. Fills `into` in place without allocating; without `into`, a new object each
   * call (as ECMA-419 asks). The MPU-6050 always has a latest value, so this never returns undefined.
   */
  sample(into: MPU6050Sample = new MPU6050Sample()): MPU6050Sample {
    this.checkOpen();
    const frame = this.#frame;
    try {
      this.io.readBuffer(R.accelXoutH, frame);
    } catch (error: unknown) {
      this.counters.attempts++;
      MPU6050.#invalid(into, this.fault(statusOf(error), R.accelXoutH, error));
      return into;
    }
    this.#decode(frame, 0, into);
    return into;
  }

  /** Decodes the oldest queued frame into `into` (draining the FIFO first when it is on); false when none is queued. */
  next(into: MPU6050Sample): boolean {
    this.checkOpen();
    const ring = this.#ring;
    if (ring.oldest < 0) {
      if (this.#fifo) this.#drain();
      else if (this.#missed) this.#interrupt();
    }
    const at = ring.oldest;
    if (at < 0) return false;
    this.#decode(ring.bytes, at, into);
    ring.release(at);
    return true;
  }

  get pendingFrames(): number {
    return this.#ring.count;
  }

  /** The interrupt path: read the frame, queue it, count what does not fit. */
  #interrupt(): void {
    this.counters.interrupts++;
    this.#missed = false;
    try {
      this.io.readBuffer(R.accelXoutH, this.#frame); // with INT_RD_CLEAR this read also releases INT
    } catch (error: unknown) {
      this.#missed = true;
      this.fault(statusOf(error), R.accelXoutH, error);
      return;
    }
    if (!this.#ring.tryPush(this.#frame, 0)) {
      this.counters.dropped++;
      this.fault(SampleStatus.dropped, R.accelXoutH, undefined);
      return;
    }
    this.#onDataReady?.(this);
  }

  /** Moves whole frames from the FIFO into the ring; an overflow (frames lost, alignment gone) resets the FIFO. */
  #drain(): void {
    const io = this.io;
    try {
      if ((io.readUint8(R.intStatus) & FIFO_OFLOW) !== 0) {
        io.writeUint8(R.userCtrl, USER_FIFO_EN | USER_FIFO_RESET);
        this.counters.dropped++;
        this.fault(SampleStatus.dropped, R.fifoRW, undefined); // at least one frame lost; the chip does not say how many
        return;
      }
      const available = Math.floor(io.readUint16(R.fifoCountH, true) / FRAME);
      const frames = Math.min(available, this.#ring.free, BURST_FRAMES);
      if (frames === 0) return;
      io.readBuffer(R.fifoRW, this.#views[frames] ?? this.#burst);
      for (let f = 0; f < frames; f++) this.#ring.tryPush(this.#burst, f * FRAME);
    } catch (error: unknown) {
      this.fault(statusOf(error), R.fifoRW, error);
    }
  }

  #decode(bytes: Uint8Array, at: number, into: MPU6050Sample): void {
    this.counters.attempts++;
    const perG = STANDARD_GRAVITY / (ACCEL_LSB_PER_G[this.#accelRange] ?? 16384);
    const perDps = 1 / (GYRO_LSB_PER_DPS[this.#gyroRange] ?? 131);
    let saturated = false;
    for (let axis = 0; axis < 3; axis++) {
      const a = MPU6050.#word(bytes, at + axis * 2);
      const g = MPU6050.#word(bytes, at + 8 + axis * 2);
      saturated = saturated || a === 32767 || a === -32768 || g === 32767 || g === -32768;
    }
    const temperature = MPU6050.#word(bytes, at + 6) / 340 + 36.53; // register map §4.18
    if (saturated || temperature < MIN_C || temperature > MAX_C) {
      // A full-scale output means the true value is beyond the range: not a measurement
      MPU6050.#invalid(into, this.fault(SampleStatus.outOfRange, R.accelXoutH, undefined));
      return;
    }
    const a = into.accelerometer;
    a.x = MPU6050.#word(bytes, at) * perG;
    a.y = MPU6050.#word(bytes, at + 2) * perG;
    a.z = MPU6050.#word(bytes, at + 4) * perG;
    const g = into.gyroscope;
    g.x = MPU6050.#word(bytes, at + 8) * perDps;
    g.y = MPU6050.#word(bytes, at + 10) * perDps;
    g.z = MPU6050.#word(bytes, at + 12) * perDps;
    into.thermometer.temperature = temperature;
    into.status = SampleStatus.ok;
    into.valid = true;
    this.counters.valid++;
  }

  /** A big-endian signed 16-bit output. */
  static #word(bytes: Uint8Array, at: number): number {
    return (((bytes[at] ?? 0) << 24) >> 16) | (bytes[at + 1] ?? 0);
  }

  static #invalid(into: MPU6050Sample, status: number): void {
    into.status = status;
    into.valid = false;
    const a = into.accelerometer;
    const g = into.gyroscope;
    a.x = a.y = a.z = Number.NaN;
    g.x = g.y = g.z = Number.NaN;
    into.thermometer.temperature = Number.NaN;
  }
}

export default MPU6050;
