/**
 * The MCP9808 as a simulated device: a register file (RegisterDevice) of 16-bit big-endian registers behind a pointer,
 * converting every 250 ms (tCONV at the default resolution, §1), its temperature a FaultableSignal so the simulator's
 * out-of-range fault can override it. The bus-level faults (NACK, a stuck bus, clock stretching, corruption, vanish)
 * need nothing here: the simulated bus applies them to any device. `mcp9808Model` names it in scenario files.
 */
import { FaultableSignal, RegisterDevice, type DeviceModel, type Signal, type SimTimer, type VirtualClock } from "stillheap/simulator";

const AMBIENT = 0x05;
const CONVERSION_MS = 250;

export class MCP9808Model extends RegisterDevice {
  readonly temperatureC: FaultableSignal;
  conversions = 0;
  readonly #conversion: SimTimer;

  constructor(readonly clock: VirtualClock, temperatureC: Signal, address = 0x18) {
    super(address);
    this.temperatureC = new FaultableSignal(temperatureC);
    this.#word(0x06, 0x0054); // manufacturer ID (§5.1.4)
    this.#word(0x07, 0x0400); // device ID 0x04, revision 0 (§5.1.5)
    this.#conversion = clock.hardwareTimer(() => this.#convert());
    clock.scheduleHardware(this.#conversion, CONVERSION_MS);
  }

  #word(register: number, value: number): void {
    this.registers[register * 2] = (value >> 8) & 0xff;
    this.registers[register * 2 + 1] = value & 0xff;
  }

  #convert(): void {
    const sixteenths = Math.round(this.temperatureC.valueAt(this.clock.now) * 16);
    const clamped = Math.max(-4096, Math.min(4095, sixteenths)); // 13 bits, sign included (§5.1.3)
    this.#word(AMBIENT, clamped < 0 ? 0x1000 | (clamped + 4096) : clamped);
    this.conversions++;
    this.clock.scheduleHardware(this.#conversion, CONVERSION_MS);
  }

  /** A pointer byte selects a 16-bit register; reads stream its two bytes. */
  protected override selectRegister(byte: number): number {
    return (byte & 0x0f) * 2;
  }
}

/** Scenario files name it `"type": "mcp9808"` once it is passed to loadScenario with deviceModels(mcp9808Model). */
export const mcp9808Model: DeviceModel = Object.freeze<DeviceModel>({
  type: "mcp9808",
  keys: Object.freeze(["bus", "address", "temperatureC"]),
  create(device) {
    device.attach(new MCP9808Model(device.sim.clock, device.signal("temperatureC", 21), device.address(0x18)));
  },
});
