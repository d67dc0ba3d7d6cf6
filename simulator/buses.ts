/**
 * The simulated board's I2C buses: one I2CBus per bus the board names, numbered from 0 (the default bus), and one
 * more for each other pair of pins a controller is opened on. The pins decide the wires, as on hardware.
 */
import type { Board, BoardBus } from "../boards/index.js";
import { IOError } from "../src/io/index.js";
import { I2CBus } from "./bus.js";
import type { VirtualClock } from "./clock.js";
import type { FaultPlan } from "./faults.js";
import type { PinBank } from "./pins.js";

/** A bus given by its pins rather than its name. */
export interface BusPins {
  readonly data: number;
  readonly clock: number;
}

/** Speed of a bus on pins the board does not name: I2C standard mode, what ECMA-419 I2C defaults to. */
const AD_HOC_HZ = 100_000;

export class I2CBuses {
  /** The board's buses by name, as `device.I2C` lists them. */
  readonly named: Readonly<Record<string, I2CBus>>;
  /** Every bus by its id, and its pins. */
  readonly #all: I2CBus[] = [];
  readonly #wiring: BusPins[] = [];
  /** The board's `port` of each named bus, by id (buses on other pins have none). */
  readonly #ports: number[] = [];

  constructor(readonly board: Board, readonly clock: VirtualClock, readonly faults: FaultPlan, readonly pins: PinBank) {
    const named: Record<string, I2CBus> = {};
    const names = ["default", ...Object.keys(board.i2c).filter((name) => name !== "default")];
    for (const name of names) {
      const wiring = board.i2c[name] as BoardBus;
      named[name] = this.#add(wiring, wiring.hz, name);
      this.#ports.push(wiring.port);
    }
    this.named = Object.freeze(named);
  }

  get default(): I2CBus {
    return this.#all[0] as I2CBus;
  }

  /** The bus with this id (Fault.bus), or undefined. */
  byId(id: number): I2CBus | undefined {
    return this.#all[id];
  }

  /** A board bus by name, or a bus by its pins; throws a RangeError naming the board's buses for an unknown name. */
  of(which: string | BusPins): I2CBus {
    if (typeof which !== "string") return this.on(which.data, which.clock, undefined);
    const bus = Object.hasOwn(this.named, which) ? this.named[which] : undefined;
    if (bus === undefined) {
      throw new RangeError(`board ${this.board.name} has no I2C bus "${which}" (${Object.keys(this.named).join(", ")})`);
    }
    return bus;
  }

  /**
   * The bus wired to these pins. Pins the board names no bus on get a bus of their own on first use, with nothing
   * attached (every address NACKs): on hardware any free pin pair can carry I2C (the ESP32's GPIO matrix, the RP2040's
   * pin functions), so refusing would be less faithful than a bus where nobody answers. Pins that mix two buses, or
   * name a bus's pins swapped, are refused: that wiring has no working bus. `port`, when given, must be the named bus's.
   */
  on(data: number, clock: number, port: number | undefined): I2CBus {
    this.pins.check(data);
    this.pins.check(clock);
    for (let id = 0; id < this.#all.length; id++) {
      const wiring = this.#wiring[id] as BusPins;
      if (wiring.data === data && wiring.clock === clock) return this.#checkPort(id, port);
      if (wiring.data === data || wiring.clock === clock || wiring.data === clock || wiring.clock === data) {
        const bus = this.#all[id] as I2CBus;
        throw new IOError("bad-option", `I2C pins data=${data} clock=${clock} overlap bus ${bus.name} (data=${wiring.data} clock=${wiring.clock}): use its pins as they are (not swapped) or two free pins`);
      }
    }
    if (data === clock) throw new IOError("bad-option", `I2C data and clock are both pin ${data}: give two pins`);
    return this.#add({ data, clock }, AD_HOC_HZ, `data=${data} clock=${clock}`);
  }

  #checkPort(id: number, port: number | undefined): I2CBus {
    const bus = this.#all[id] as I2CBus;
    const expected = this.#ports[id];
    if (port !== undefined && expected !== undefined && port !== expected) {
      throw new IOError("bad-option", `I2C port ${port} does not match bus ${bus.name}, which is port ${expected} on pins data=${(this.#wiring[id] as BusPins).data} clock=${(this.#wiring[id] as BusPins).clock}`);
    }
    return bus;
  }

  #add(wiring: BusPins, hz: number, name: string): I2CBus {
    const bus = new I2CBus(this.clock, this.faults, hz, this.#all.length, name);
    this.#all.push(bus);
    this.#wiring.push(Object.freeze({ data: wiring.data, clock: wiring.clock }));
    return bus;
  }
}
