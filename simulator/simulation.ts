/**
 * One simulated board: virtual clock, pins, I2C buses, device models and the fault plan, and the `device` provider
 * firmware sees — the same shape as a Moddable board provider's `device`.
 */
import type { Board } from "../boards/index.js";
import type { DeviceProvider, I2CPins } from "../src/io/index.js";
import type { I2CBus, I2CTarget } from "./bus.js";
import { I2CBuses, type BusPins } from "./buses.js";
import { VirtualClock } from "./clock.js";
import { digitalClasses } from "./digital.js";
import { FaultCode, faultProblem, FaultPlan, type Fault, type FaultSpec } from "./faults.js";
import { i2cClasses } from "./i2c.js";
import { PinBank } from "./pins.js";
import { FaultableSignal } from "./signals.js";
import { useClock } from "./timer.js";

/** Most edges one interrupt-storm fault may schedule: a bound on simulation work, not on the storm's realism. */
export const MAX_STORM_EDGES = 200_000;

/** A fault as Simulation.inject takes it: its I2C bus by name or pins (default "default"), an out-of-range signal. */
export type SimulationFaultSpec = Omit<FaultSpec, "bus"> & { readonly bus?: string | BusPins; readonly signal?: string };

export class Simulation {
  readonly clock = new VirtualClock();
  readonly faults = new FaultPlan();
  readonly pins: PinBank;
  /** The board's I2C buses by name, as `device.I2C` lists them. */
  readonly buses: Readonly<Record<string, I2CBus>>;
  /** The default bus (`buses.default`). */
  readonly bus: I2CBus;
  readonly device: DeviceProvider;
  readonly #buses: I2CBuses;
  readonly #resetI2C: () => void;

  constructor(readonly board: Board) {
    this.pins = new PinBank(board.gpioCount, board.name);
    this.#buses = new I2CBuses(board, this.clock, this.faults, this.pins);
    this.buses = this.#buses.named;
    this.bus = this.#buses.default;
    const { I2C, SMBus, reset } = i2cClasses(this.#buses, this.pins);
    this.#resetI2C = reset;
    const { Digital, DigitalBank } = digitalClasses(this.pins, this.clock);
    // Each bus carries its IO class, as Moddable's providers give it: new device.I2C.default.io({...device.I2C.default, address}).
    const wiring: Record<string, I2CPins> = {};
    for (const [name, { data, clock, hz, port }] of Object.entries(board.i2c)) wiring[name] = Object.freeze({ io: I2C, data, clock, hz, port });
    const named = Object.freeze(wiring) as DeviceProvider["I2C"];
    this.device = Object.freeze({
      io: Object.freeze({ Digital, DigitalBank, I2C, SMBus }),
      I2C: named,
      i2c: named,
      pin: Object.freeze({ ...board.pins }),
    });
    useClock(this.clock);
  }

  /**
   * The MCU resets while the devices stay powered: every IO instance the firmware had open is gone (its pins and I2C
   * addresses free for new ones), and the device models keep their state.
   */
  resetMcu(): void {
    this.pins.releaseAll();
    this.#resetI2C();
  }

  /**
   * A board bus by name, or the bus on these pins (a bus of its own, nothing attached, for pins the board names no
   * bus on); throws a RangeError for a name the board has no bus by.
   */
  busOf(which: string | BusPins): I2CBus {
    return this.#buses.of(which);
  }

  /** Attaches a device model to a bus: a board bus by name or a bus by its pins. */
  attach<T extends I2CTarget>(device: T, bus: string | BusPins = "default"): T {
    this.#buses.of(bus).attach(device);
    return device;
  }

  /**
   * Adds a fault on its bus (by name or pins; the default bus unless given); the time-scheduled kinds (vanish,
   * out-of-range, storms, spurious edges) become clock events. Every kind is checked alike before anything is
   * scheduled: a RangeError names the field (a window that ends before it starts, an address with no device on that
   * bus, a pin nothing is wired to); FaultPlanFull when the plan holds all it may. A window leaves the plan when it ends.
   */
  inject(spec: SimulationFaultSpec): Fault {
    const { bus, signal, ...rest } = spec;
    const onBus = this.#buses.of(bus ?? "default");
    const problem = faultProblem(rest);
    if (problem !== undefined) throw new RangeError(problem);
    if (rest.kind === "interrupt-storm" || rest.kind === "spurious-edge") this.#checkWired(rest.pin ?? -1, rest.kind);
    else this.#checkDevice(onBus, rest.address ?? -1, rest.kind);
    if (rest.kind === "interrupt-storm") this.#checkStorm(rest.atMs ?? 0, rest.untilMs ?? Infinity, rest.edgesPerMs ?? 0);
    const added = this.faults.add({ ...rest, bus: onBus.id }, this.clock.now);
    const startIn = Math.max(0, added.atMs - this.clock.now);
    const endIn = added.untilMs === Infinity ? Infinity : Math.max(0, added.untilMs - this.clock.now);
    if (added.kind === "vanish") {
      const target = this.#target(added);
      this.#window(startIn, endIn, added, (on) => (target.present = !on));
    }
    else if (added.kind === "out-of-range") {
      const faulted = this.#signal(added, signal);
      this.#window(startIn, endIn, added, (on) => (faulted.override = on ? added.value : undefined));
    } else if (added.kind === "spurious-edge") {
      this.clock.at(startIn, () => {
        this.faults.count(FaultCode.spuriousEdge);
        this.pins.glitch(added.pin);
      });
    } else if (added.kind === "interrupt-storm") this.#storm(added, startIn, endIn);
    if (endIn !== Infinity) this.clock.at(endIn, this.#prune);
    return added;
  }

  readonly #prune = (): void => this.faults.prune(this.clock.now);

  /** An I2C fault strikes a device there, or (address -1) every device on a bus that has one. */
  #checkDevice(bus: I2CBus, address: number, kind: string): void {
    if (address >= 0 && bus.device(address) !== undefined) return;
    if (address < 0) for (let a = 0; a < 128; a++) if (bus.device(a) !== undefined) return;
    const where = address < 0 ? "every I2C address" : `I2C address 0x${address.toString(16)}`;
    throw new RangeError(`${kind} fault names ${where} on bus ${bus.name}, where no device is attached`);
  }

  #checkStorm(atMs: number, untilMs: number, edgesPerMs: number): void {
    const edges = Math.round((untilMs - Math.max(atMs, this.clock.now)) * edgesPerMs);
    if (edges > MAX_STORM_EDGES) throw new RangeError(`edgesPerMs: an interrupt storm of ${edges} edges exceeds ${MAX_STORM_EDGES}: shorten it`);
  }

  /** A pin fault strikes a line something is wired to: a contact, or a device model's interrupt line (its …Pin field). */
  #checkWired(pin: number, kind: string): void {
    this.pins.check(pin);
    if (this.pins.wired[pin] === 1) return;
    for (let id = 0, bus = this.#buses.byId(0); bus !== undefined; bus = this.#buses.byId(++id)) {
      for (let a = 0; a < 128; a++) {
        const device = bus.device(a) as unknown as Record<string, unknown> | undefined;
        if (device !== undefined && Object.keys(device).some((key) => key.endsWith("Pin") && device[key] === pin)) return;
      }
    }
    throw new RangeError(`${kind} fault names pin ${pin}, which nothing is wired to (no contact, no device's interrupt line)`);
  }

  #window(startIn: number, endIn: number, fault: Fault, apply: (on: boolean) => void): void {
    this.clock.at(startIn, () => {
      this.faults.count(fault.code);
      apply(true);
    });
    if (endIn !== Infinity) this.clock.at(endIn, () => apply(false));
  }

  #target(fault: Fault): I2CTarget {
    const bus = this.#buses.byId(fault.bus);
    const device = bus?.device(fault.address);
    if (device === undefined) {
      throw new RangeError(`${fault.kind} fault names I2C address 0x${fault.address.toString(16)} on bus ${bus?.name ?? "?"}, where no device is attached`);
    }
    return device;
  }

  #signal(fault: Fault, name: string | undefined): FaultableSignal {
    const device = this.#target(fault) as unknown as Record<string, unknown>;
    const key = name ?? Object.keys(device).find((k) => device[k] instanceof FaultableSignal);
    const signal = key === undefined ? undefined : device[key];
    if (!(signal instanceof FaultableSignal)) {
      throw new RangeError(`out-of-range fault: the device at 0x${fault.address.toString(16)} has no signal "${name ?? "?"}"`);
    }
    return signal;
  }

  /**
   * One hardware timer that drives the next edge and re-arms itself: the clock holds one pending event per storm,
   * not one per edge, so a storm costs time linear in its edges.
   */
  #storm(fault: Fault, startIn: number, endIn: number): void {
    const edges = Math.round((endIn - startIn) * fault.edgesPerMs);
    const startAt = this.clock.now + startIn;
    const endAt = this.clock.now + endIn;
    this.clock.at(startIn, () => this.faults.count(FaultCode.interruptStorm));
    let edge = 0;
    const timer = this.clock.hardwareTimer(() => {
      if (edge === edges) {
        this.pins.drive(fault.pin, -1); // released to its pull
        return;
      }
      this.pins.drive(fault.pin, edge % 2);
      edge++;
      const nextAt = edge === edges ? endAt : startAt + edge / fault.edgesPerMs;
      this.clock.scheduleHardware(timer, Math.max(0, nextAt - this.clock.now));
    });
    this.clock.scheduleHardware(timer, edges === 0 ? endIn : startIn);
  }

}
