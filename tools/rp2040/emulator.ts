/**
 * The RP2040 image in the rp2040js emulator, with the simulator's device models on the emulated I2C0 and pins and
 * a W25Q16 flash behind the QSPI interface (qspi.ts): the image is what the flash holds, erases and programs change
 * it, a power cut can stop the emulation in the middle of one, and `flash.snapshot()` boots another emulation from
 * what was left. Boot follows the bootrom: boot2's CRC is checked (a bad one is refused), boot2 is copied to SRAM and
 * entered with LR = 0. Images that call the bootrom's functions (pico-sdk's, and this project's settings writes) need
 * the real bootrom, given as `bootrom`. A SYSRESETREQ restarts the chip the same way, the flash as it is.
 * UART0 goes to `onUart` and takes `typeUart`'s text; the USB CDC console (Moddable's, on the Pico) goes to `onUsb`.
 */
import { ConsoleLogger, LogLevel, RP2040, USBCDC } from "rp2040js";
import type { Simulation } from "../../simulator/simulation.js";
import { I2CBridge } from "./i2c-bridge.js";
import { BOOT2_BYTES, boot2Refusal, ImageError } from "./image.js";
import { QspiFlash } from "./qspi.js";
import { W25Q16, type PowerCut } from "./w25q16.js";

const CPU_HZ = 125_000_000;
const NANOS_PER_CYCLE = 1e9 / CPU_HZ;
const BOOT2_SRAM = 0x20041f00;
/** The bootrom's stack ends where the boot2 copy begins (its initial SP): boot2's pushes must not overwrite it. */
const BOOTROM_STACK_TOP = BOOT2_SRAM;
const AIRCR = 0xd0c;
const SYSRESETREQ = 1 << 2;
/** Instructions between two advances of the simulator's clock (≈ 10 µs emulated). */
const SYNC_EVERY = 1024;
/** UART0 runs at 115200 8N1 (hosts/rp2040/uart.c): a byte every 10 bit times. */
const UART_BYTE_NANOS = 1e10 / 115200;
const UART_FIFO_BYTES = 32;

export type StopReason = "time" | "instruction budget" | "breakpoint" | "emulator error" | "power cut";

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
  /** Where the power fails: a byte of an erase or page program of the flash (counted from this power-on). */
  readonly powerCut?: PowerCut;
}

/**
 * A function of the image whose calls the emulation counts (`watch`): entered when the PC reaches its address, left
 * when the PC reaches the return address its caller left in LR with the stack back where it was. Its cycles include
 * its callees' and any interrupt taken meanwhile.
 */
export interface WatchedFunction {
  readonly name: string;
  readonly address: number;
  calls: number;
  cycles: number;
  longestCycles: number;
}

interface Watch extends WatchedFunction {
  inside: boolean;
  returnTo: number;
  stack: number;
  enteredAt: number;
}

interface SimulationClock {
  readonly nanos: number;
  readonly nanosToNextAlarm: number;
  tick(deltaNanos: number): void;
}

export class Emulation {
  readonly mcu = new RP2040();
  /** rp2040js's default clock is its SimulationClock; the package exports only the IClock interface. */
  readonly clock = this.mcu.clock as unknown as SimulationClock;
  /** The flash chip (contents, erase and program counts, operation log) and the QSPI interface in front of it. */
  readonly chip: W25Q16;
  readonly flash: QspiFlash;
  restarts = 0;
  /** Bytes typed into UART0 that found its 32-byte RX FIFO full and were lost (an overrun). */
  uartOverruns = 0;
  /** CPU cycles executed, not counting time asleep in WFI/WFE: the awake cycles since the first boot. */
  awakeCycles = 0;
  /** R0 when the last BKPT stopped the emulation: a mark's value (bench images pass one there). */
  breakValue = 0;
  /** The immediate of the last BKPT. */
  breakCode = -1;
  readonly #watches: Watch[] = [];
  #stopCode: number | undefined;
  #resetRequested = false;
  #powerLost = false;
  #xipRefusal: string | undefined;
  readonly #typed: number[] = [];
  readonly #typing: { schedule(nanos: number): void };
  /** 1 for each mirrored pin; undefined: the simulation's own `pins.wired`, which grows as the world drives pins. */
  readonly #mirrored: Uint8Array | undefined;
  readonly #levels: Int8Array;

  constructor(readonly options: EmulatorOptions) {
    const refusal = boot2Refusal(options.image);
    if (refusal !== undefined) throw new ImageError(refusal);
    this.mcu.logger = new ConsoleLogger(LogLevel.Error); // rp2040js warns about every unmodelled register
    const bootrom = options.bootrom;
    if (bootrom !== undefined) this.mcu.loadBootrom(new Uint32Array(bootrom.buffer, bootrom.byteOffset, bootrom.byteLength >>> 2));
    this.chip = new W25Q16(() => this.clock.nanos, options.image);
    this.chip.powerCut = options.powerCut;
    this.chip.onPowerLost = () => (this.#powerLost = true);
    this.flash = new QspiFlash(this.mcu, this.chip);
    this.mcu.uart[0]!.onByte = (byte) => { if (byte !== 13) options.onUart(String.fromCharCode(byte)); };
    this.#typing = this.mcu.clock.createAlarm(() => this.#typeNext());
    this.mcu.onBreak = (code) => {
      this.#xipRefusal = this.flash.refusal(code, this.mcu.core.PC - 2); // the PC is past the 16-bit UDF/BKPT
      this.#stopCode = code;
      this.breakCode = code;
      this.breakValue = this.mcu.core.registers[0] ?? 0;
    };
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
   * Types `text` into UART0's RX line at 115200 baud, one byte per 10 bit times of emulated time after what is still
   * being typed; a byte that finds the RX FIFO full is lost, as on the chip, and counted in `uartOverruns`.
   */
  typeUart(text: string): void {
    const idle = this.#typed.length === 0;
    for (const byte of new TextEncoder().encode(text)) this.#typed.push(byte);
    if (idle && this.#typed.length > 0) this.#typing.schedule(UART_BYTE_NANOS);
  }

  #typeNext(): void {
    const uart = this.mcu.uart[0] as unknown as { rxFIFO: { itemCount: number }; feedByte(value: number): void };
    const byte = this.#typed.shift();
    if (byte === undefined) return;
    if (uart.rxFIFO.itemCount >= UART_FIFO_BYTES) this.uartOverruns++;
    else uart.feedByte(byte);
    if (this.#typed.length > 0) this.#typing.schedule(UART_BYTE_NANOS);
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

  /** What the bootrom does: boot2 to SRAM, entered with LR = 0 and the stack just below it. */
  #boot(): void {
    const core = this.mcu.core;
    this.flash.reset(); // the XIP view reloaded from the chip: rp2040js's reset blanks it, a real one keeps the flash
    this.mcu.sram.set(this.chip.bytes.subarray(0, BOOT2_BYTES), BOOT2_SRAM - 0x20000000);
    core.SP = BOOTROM_STACK_TOP;
    core.LR = 0;
    core.PC = BOOT2_SRAM;
  }

  #restart(): void {
    this.restarts++;
    this.#resetRequested = false;
    this.flash.openWindow();
    this.mcu.reset();
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

  /** Counts the calls of the function at `address` (a Thumb symbol's value; its low bit is ignored) and their cycles. */
  watch(name: string, address: number): WatchedFunction {
    const watch: Watch = { name, address: address & ~1, calls: 0, cycles: 0, longestCycles: 0, inside: false, returnTo: 0, stack: 0, enteredAt: 0 };
    this.#watches.push(watch);
    return watch;
  }

  #checkWatches(): void {
    const core = this.mcu.core;
    const pc = core.PC;
    for (const watch of this.#watches) {
      if (!watch.inside) {
        if (pc !== watch.address) continue;
        watch.inside = true;
        watch.returnTo = core.LR & ~1;
        watch.stack = core.SP;
        watch.enteredAt = this.awakeCycles;
        watch.calls++;
      } else if (pc === watch.returnTo && core.SP >= watch.stack) {
        watch.inside = false;
        const cycles = this.awakeCycles - watch.enteredAt;
        watch.cycles += cycles;
        if (cycles > watch.longestCycles) watch.longestCycles = cycles;
      }
    }
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

  /**
   * Runs until `untilMs` of emulated time, the instruction budget, a breakpoint, an emulator error or a power cut.
   * After a breakpoint it goes on from the instruction after it.
   */
  run(untilMs: number, maxInstructions: number, stopWhen?: () => boolean): EmulationResult {
    const started = performance.now();
    this.#stopCode = undefined;
    this.#xipRefusal = undefined;
    const { core } = this.mcu;
    const clock = this.clock;
    let instructions = 0;
    let reason: StopReason = "time";
    let detail = "";
    this.#syncSimulation();
    while (this.nowMs < untilMs && !this.#powerLost) {
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
      const watching = this.#watches.length > 0;
      for (let i = 0; i < SYNC_EVERY && !core.waiting; i++) {
        try {
          const cycles = core.executeInstruction();
          this.awakeCycles += cycles;
          clock.tick(cycles * NANOS_PER_CYCLE);
          if (watching) this.#checkWatches();
        } catch (error: unknown) {
          reason = "emulator error";
          detail = `${error instanceof Error ? error.message : String(error)} at PC=0x${core.PC.toString(16)}`;
          break;
        }
        instructions++;
        if (this.#stopCode !== undefined || this.#resetRequested || this.#powerLost) break;
      }
      if (reason === "emulator error") break;
      if (this.#powerLost) break;
      if (this.#stopCode !== undefined) {
        reason = this.#xipRefusal === undefined ? "breakpoint" : "emulator error";
        detail = this.#xipRefusal ?? `bkpt #${this.#stopCode} at PC=0x${core.PC.toString(16)}`;
        break;
      }
      if (this.#resetRequested) this.#restart();
      this.#syncSimulation();
      if (stopWhen?.() === true) break;
    }
    if (this.#powerLost) {
      reason = "power cut";
      detail = this.#cutDetail();
    }
    return { reason, detail, instructions, emulatedMs: this.nowMs, wallMs: performance.now() - started, restarts: this.restarts };
  }

  #cutDetail(): string {
    const cut = this.chip.powerCut;
    const operation = this.chip.operations[cut?.operation ?? -1];
    return `power cut at byte ${cut?.byte ?? 0} of flash operation ${cut?.operation ?? 0}` +
      (operation === undefined ? "" : ` (${operation.kind} of ${operation.bytes} bytes at 0x${operation.address.toString(16)})`);
  }
}
