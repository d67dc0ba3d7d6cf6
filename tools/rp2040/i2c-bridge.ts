/** I2C0 of the emulated RP2040 bridged to the simulator's bus: rp2040js's controller hooks, a burst at a time. */
import type { RP2040 } from "rp2040js";
import { I2CError } from "../../src/io/index.js";
import { FaultCode } from "../../simulator/faults.js";
import type { Simulation } from "../../simulator/simulation.js";

const I2C_TIMEOUT_MS = 25;
const CMD_STOP = 1 << 9;
const CMD_RESTART = 1 << 10;

interface FifoView {
  readonly items: number[];
}

/** I2C0 transactions handed to the simulator's bus, a whole burst at a time (the firmware queues up to a FIFO). */
export class I2CBridge {
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
