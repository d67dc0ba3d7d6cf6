/**
 * The RP2040 image in the rp2040js emulator, with the simulator's device models on the emulated I2C0 and pins.
 * Boot follows the bootrom: boot2's CRC is checked (a bad one is refused), boot2 is copied to SRAM and entered with
 * LR = 0. An image linked with pico-sdk (Moddable's Pico firmware) calls the bootrom's functions, so it runs on the
 * real bootrom, given as `bootrom`, entered at the start of flash. A SYSRESETREQ restarts the chip the same way.
 * UART0 goes to `onUart`; the USB CDC console (Moddable's, on the Pico) to `onUsb`, with a host attached.
 */
import { ConsoleLogger, LogLevel, RP2040, USBCDC } from "rp2040js";
import { I2CError } from "../../src/io/index.js";
import { FaultCode } from "../../simulator/faults.js";
import type { Simulation } from "../../simulator/simulation.js";
import { BOOT2_BYTES, boot2Refusal, FLASH_BASE, ImageError } from "./image.js";

const CPU_HZ = 125_000_000;
const NANOS_PER_CYCLE = 1e9 / CPU_HZ;
const BOOT2_SRAM = 0x20041f00;
const STACK_TOP = 0x20042000;
const AIRCR = 0xd0c;
const SYSRESETREQ = 1 << 2;
/** Instructions between two advances of the simulator's clock (≈ 10 µs emulated). */
const SYNC_EVERY = 1024;
const I2C_TIMEOUT_MS = 25;
const CMD_STOP = 1 << 9;
const CMD_RESTART = 1 << 10;

export type StopReason = "time" | "instruction budget" | "breakpoint" | "emulator error";

export interface EmulationResult {
  readonly reason: StopReason;
  readonly detail: string;
  readonly instructions: number;
  readonly emulatedMs: number;
  readonly wallMs: number;
  readonly restarts: number;
}

export interface EmulatorOptions {
  /** The flash contents from address 0x10000000 (see flashImage). */
  readonly image: Uint8Array;
  readonly sim: Simulation;
  readonly onUart: (text: string) => void;
  /** The RP2040 bootrom (16 KB), for images that call it. */
  readonly bootrom?: Uint8Array;
  /** Text the firmware writes to its USB CDC serial port. */
  readonly onUsb?: (text: string) => void;
  /** Pins whose simulated level is mirrored onto the emulated GPIO (default: every pin the simulated world drives). */
  readonly mirroredPins?: readonly number[];
}

interface SimulationClock {
  readonly nanos: number;
  readonly nanosToNextAlarm: number;
  tick(deltaNanos: number): void;
}

interface FifoView {
  readonly items: number[];
}

/** I2C0 transactions handed to the simulator's bus, a whole burst at a time (the firmware queues up to a FIFO). */
class I2CBridge {
  #address = 0;
  #read = false;
  #bytes = new Uint8Array(0);
  #index = 0;
  #count = 0;
  #nackAt = -1;
  #written: number[] = [];

  constructor(private readonly mcu: RP2040, private readonly sim: Simulation) {
    const i2c = mcu.i2c[0];
    if (i2c === undefined) throw new Error("rp2040js has no I2C0");
    i2c.onStart = () => i2c.completeStart();
    i2c.onConnect = (address, mode) => i2c.completeConnect(this.#connect(address, mode === 1));
    i2c.onWriteByte = (value) => i2c.completeWrite(this.#write(value));
    i2c.onReadByte = (ack) => i2c.completeRead(this.#readByte(ack));
    i2c.onStop = () => {
      this.#flushWrite(true);
      i2c.completeStop();
    };
  }

  /** The commands waiting in the TX FIFO, up to the next START or STOP boundary. */
  #burst(includeFirst: boolean): number[] {
    const fifo = (this.mcu.i2c[0] as unknown as { txFIFO: FifoView }).txFIFO.items;
    const burst: number[] = [];
    for (let i = 0; i < fifo.length; i++) {
      const command = fifo[i] ?? 0;
      if (i > 0 && (command & CMD_RESTART) !== 0) break;
      if (i === 0 && !includeFirst) continue;
      burst.push(command);
      if ((command & CMD_STOP) !== 0) break;
    }
    return burst;
  }

  #connect(address: number, read: boolean): boolean {
    this.#flushWrite(false);
    this.#address = address;
    this.#read = read;
    this.#index = 0;
    this.#count = 0;
    this.#nackAt = -1;
    const device = this.sim.bus.device(address);
    if (device === undefined || !device.present) return false;
    if (this.sim.faults.active(FaultCode.nackAddress, address, this.sim.clock.now) !== undefined) {
      this.sim.faults.count(FaultCode.nackAddress);
      return false;
    }
    if (read) return this.#fill(this.#burst(true));
    const nack = this.sim.faults.active(FaultCode.nackAfterBytes, address, this.sim.clock.now);
    if (nack !== undefined) this.#nackAt = nack.bytes;
    return true;
  }

  /** Reads a burst's worth of bytes from the device through the bus (faults, CRC corruption, NACK on busy). */
  #fill(burst: number[]): boolean {
    const length = Math.max(1, burst.length);
    const stop = burst.some((command) => (command & CMD_STOP) !== 0);
    this.#bytes = new Uint8Array(length);
    this.#index = 0;
    try {
      this.sim.bus.read(this.#address, this.#bytes, 0, length, stop, this.sim.bus.hz, I2C_TIMEOUT_MS);
      return true;
    } catch (error: unknown) {
      if (error instanceof I2CError) return false; // NACK (or a stuck bus, which the controller sees as no ACK)
      throw error;
    }
  }

  /** The next byte of the read; `ack` false marks the transaction's last byte (the controller sends STOP after it). */
  #readByte(ack: boolean): number {
    if (this.#index >= this.#bytes.length) {
      const queued = ack ? this.#burst(true) : []; // read commands the firmware queued after this byte's
      this.#more(1 + queued.length, !ack || queued.some((command) => (command & CMD_STOP) !== 0));
    }
    return this.#bytes[this.#index++] ?? 0xff;
  }

  /**
   * More bytes of the read under way, once the firmware queued more read commands (pico-sdk's I2C queues one at a
   * time and waits for each byte): the same transaction, continued, so a device that streams a result keeps going.
   */
  #more(count: number, stop: boolean): void {
    this.#bytes = new Uint8Array(count);
    this.#index = 0;
    try {
      this.sim.bus.continueRead(this.#address, this.#bytes, 0, count, stop, this.sim.bus.hz);
    } catch (error: unknown) {
      if (!(error instanceof I2CError)) throw error;
      this.#bytes.fill(0xff); // the device left mid-read: the bus floats high
    }
  }

  #write(value: number): boolean {
    if (this.#nackAt >= 0 && this.#count >= this.#nackAt) {
      this.sim.faults.count(FaultCode.nackAfterBytes);
      this.#written = [];
      return false;
    }
    this.#count++;
    this.#written.push(value);
    return true;
  }

  #flushWrite(stop: boolean): void {
    if (this.#read || this.#written.length === 0) {
      this.#written = [];
      return;
    }
    const bytes = Uint8Array.from(this.#written);
    this.#written = [];
    const device = this.sim.bus.device(this.#address);
    device?.write(bytes, 0, bytes.length, stop);
  }
}

export class Emulation {
  readonly mcu = new RP2040();
  /** rp2040js's default clock is its SimulationClock; the package exports only the IClock interface. */
  readonly clock = this.mcu.clock as unknown as SimulationClock;
  restarts = 0;
  #stopCode: number | undefined;
  #resetRequested = false;
  /** 1 for each mirrored pin; undefined: the simulation's own `pins.wired`, which grows as the world drives pins. */
  readonly #mirrored: Uint8Array | undefined;
  readonly #levels: Int8Array;

  constructor(readonly options: EmulatorOptions) {
    const refusal = boot2Refusal(options.image);
    if (refusal !== undefined) throw new ImageError(refusal);
    this.mcu.logger = new ConsoleLogger(LogLevel.Error); // rp2040js warns about every unmodelled register
    this.mcu.flash.set(options.image, 0);
    this.mcu.uart[0]!.onByte = (byte) => { if (byte !== 13) options.onUart(String.fromCharCode(byte)); };
    this.mcu.onBreak = (code) => (this.#stopCode = code);
    const ppb = this.mcu.ppb;
    const write = ppb.writeUint32.bind(ppb);
    ppb.writeUint32 = (offset: number, value: number) => {
      if (offset === AIRCR && (value >>> 16) === 0x05fa && (value & SYSRESETREQ) !== 0) this.#resetRequested = true;
      else write(offset, value);
    };
    new I2CBridge(this.mcu, options.sim);
    if (options.onUsb !== undefined) this.attachUsbHost(options.onUsb);
    const mirrored = options.mirroredPins === undefined ? undefined : new Uint8Array(30);
    for (const pin of options.mirroredPins ?? []) (mirrored as Uint8Array)[pin] = 1;
    this.#mirrored = mirrored;
    this.#levels = new Int8Array(30).fill(-1);
    this.#boot();
  }

  /**
   * Plugs in a USB host with a CDC driver: what the firmware's console writes arrives as text. At boot (the
   * `onUsb` option) it enumerates the device as soon as the firmware enables USB; later, it resets the bus first, as
   * plugging a cable into a running board does. A host attached during boot costs the firmware its USB interrupts.
   */
  attachUsbHost(onUsb: (text: string) => void): void {
    const cdc = new USBCDC(this.mcu.usbCtrl);
    const decoder = new TextDecoder("utf-8");
    cdc.onSerialData = (bytes) => onUsb(decoder.decode(bytes, { stream: true }).replaceAll("\r", ""));
    if (this.nowMs > 0) this.mcu.usbCtrl.resetDevice();
  }

  /** What the bootrom does: boot2 to SRAM, entered with LR = 0 and the stack at the top of SCRATCH_Y. */
  #boot(): void {
    const core = this.mcu.core;
    const bootrom = this.options.bootrom;
    if (bootrom !== undefined) {
      // The real bootrom is there for the image's calls into it; boot2 at the start of flash runs as it would after it.
      this.mcu.loadBootrom(new Uint32Array(bootrom.buffer, bootrom.byteOffset, bootrom.byteLength >>> 2));
      this.mcu.flash.set(this.options.image, 0); // loadBootrom resets the chip, which in rp2040js blanks the flash
      core.PC = FLASH_BASE;
      return;
    }
    this.mcu.sram.set(this.options.image.subarray(0, BOOT2_BYTES), BOOT2_SRAM - 0x20000000);
    core.SP = STACK_TOP;
    core.LR = 0;
    core.PC = BOOT2_SRAM;
  }

  #restart(): void {
    this.restarts++;
    this.#resetRequested = false;
    this.mcu.reset(); // the core (rp2040js also blanks the flash, which a real reset keeps)
    this.mcu.flash.set(this.options.image, 0);
    this.#boot();
  }

  /**
   * Toggles an input pin `count` times, one edge every `periodNanos` of emulated time from now, on the emulator's own
   * clock (exact, unlike the simulator's pins, which are mirrored every few microseconds). Leave the pin out of
   * mirroredPins.
   */
  toggle(pin: number, periodNanos: number, count: number): void {
    const gpio = this.mcu.gpio[pin];
    if (gpio === undefined) throw new RangeError(`GPIO ${pin} does not exist`);
    let level = gpio.inputValue; // start from the level the chip sees now, so the first toggle is the first edge
    let left = count;
    const alarm = this.mcu.clock.createAlarm(() => {
      level = !level;
      gpio.setInputValue(level);
      if (--left > 0) alarm.schedule(periodNanos);
    });
    alarm.schedule(periodNanos);
  }

  /** Emulated time in milliseconds since the first boot. */
  get nowMs(): number {
    return this.clock.nanos / 1e6;
  }

  #syncSimulation(): void {
    const sim = this.options.sim;
    const delta = this.nowMs - sim.clock.now;
    if (delta > 0) sim.clock.advance(delta);
    const mirrored = this.#mirrored ?? sim.pins.wired;
    for (let pin = 0; pin < mirrored.length; pin++) {
      if (mirrored[pin] !== 1) continue;
      const level = sim.pins.level(pin);
      if (level === this.#levels[pin]) continue;
      this.#levels[pin] = level;
      this.mcu.gpio[pin]?.setInputValue(level === 1);
    }
  }

  /** Runs until `untilMs` of emulated time, the instruction budget, a breakpoint or an emulator error. */
  run(untilMs: number, maxInstructions: number, stopWhen?: () => boolean): EmulationResult {
    const started = performance.now();
    const { core } = this.mcu;
    const clock = this.clock;
    let instructions = 0;
    let reason: StopReason = "time";
    let detail = "";
    this.#syncSimulation();
    while (this.nowMs < untilMs) {
      if (instructions >= maxInstructions) {
        reason = "instruction budget";
        detail = `${maxInstructions} instructions without reaching ${untilMs} ms: a hang?`;
        break;
      }
      if (core.waiting) {
        const skip = Math.min(clock.nanosToNextAlarm, (untilMs - this.nowMs) * 1e6, SYNC_EVERY * NANOS_PER_CYCLE * 8);
        clock.tick(Math.max(skip, NANOS_PER_CYCLE));
        this.#syncSimulation();
        continue;
      }
      for (let i = 0; i < SYNC_EVERY && !core.waiting; i++) {
        try {
          clock.tick(core.executeInstruction() * NANOS_PER_CYCLE);
        } catch (error: unknown) {
          reason = "emulator error";
          detail = `${error instanceof Error ? error.message : String(error)} at PC=0x${core.PC.toString(16)}`;
          break;
        }
        instructions++;
        if (this.#stopCode !== undefined || this.#resetRequested) break;
      }
      if (reason === "emulator error") break;
      if (this.#stopCode !== undefined) {
        reason = "breakpoint";
        detail = `bkpt #${this.#stopCode} at PC=0x${core.PC.toString(16)}`;
        break;
      }
      if (this.#resetRequested) this.#restart();
      this.#syncSimulation();
      if (stopWhen?.() === true) break;
    }
    return { reason, detail, instructions, emulatedMs: this.nowMs, wallMs: performance.now() - started, restarts: this.restarts };
  }
}
