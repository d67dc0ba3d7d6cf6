/**
 * The sensor declaration an RP2040 image is built with: read from a file (`--sensors FILE`: a JSON array of sensors,
 * or an object with a `sensors` array, as a scenario file carries) or DEFAULT_SENSORS, and checked here on Node,
 * before anything is compiled, by the gateway's own readDeclaration against the board facts the image's `device`
 * offers — then the host's own: this image drives one I2C controller, and UART0 is its console. A bad file is
 * refused with its JSON path; a good one is compiled in as JSON (the STILLHEAP_SENSORS the firmware reads).
 */
import { pico } from "../../boards/pico.js";
import { SENSOR_TYPES } from "../../src/app/gateway/catalogue.js";
import { boardFacts, DeclarationError, readDeclaration, type DeclaredSensor } from "../../src/app/gateway/declaration.js";
import { DEFAULT_SENSORS } from "../../src/app/gateway/default-sensors.js";
import { rp2040Device } from "../../hosts/rp2040/device.js";
import { UsageError } from "../cli/command.js";
import { readJson } from "../cli/scenario-file.js";

/** A declaration the image cannot be built with; `message` names the file and the JSON path. A usage error: exit 2. */
export class SensorsFileError extends UsageError {
  override name = "SensorsFileError";
  constructor(readonly file: string, readonly jsonPath: string, problem: string) {
    super(`${file}: ${jsonPath}: ${problem}`);
  }
}

/** GPIOs the image keeps for itself: UART0 is the console (hosts/rp2040/uart.c). */
const RESERVED_PINS: Readonly<Record<number, string>> = Object.freeze({ 0: "UART0 TX, the console", 1: "UART0 RX, the console" });

export interface SensorsDeclaration {
  /** Where it came from: the file, or "DEFAULT_SENSORS". */
  readonly source: string;
  /** The declaration as JSON text, compiled into the image. */
  readonly json: string;
  readonly sensors: readonly DeclaredSensor[];
}

/** The checks readDeclaration cannot make: what this host's own C drives. */
function checkHost(sensors: readonly DeclaredSensor[], root: string): void {
  const bus = pico.i2c.default;
  let hz = 0;
  sensors.forEach((sensor, i) => {
    const path = `${root}[${i}]`;
    const on = sensor.bus;
    if (on !== undefined) {
      if (on.data !== bus.data || on.clock !== bus.clock || (on.port ?? bus.port) !== bus.port) {
        throw new DeclarationError(`${path}.bus`, `this image drives one I2C bus, I2C0 on GP${bus.data}/GP${bus.clock} ` +
          `("default"; hosts/rp2040/i2c.c): put the sensor there, or leave "bus" out`);
      }
      if (hz !== 0 && on.hz !== hz) {
        throw new DeclarationError(`${path}.hz`, `the one I2C bus runs at one speed: the sensors before this one at ${hz} Hz, ` +
          `this one at ${on.hz} Hz; give them the same hz`);
      }
      hz = on.hz;
    }
    for (const [role, pin] of Object.entries(sensor.pins)) {
      const reserved = RESERVED_PINS[pin];
      if (reserved !== undefined) throw new DeclarationError(`${path}.pins.${role}`, `GPIO ${pin} is ${reserved}: choose another pin`);
    }
  });
}

/** A bus the Pico has but this image does not drive (I2C1), named before readDeclaration says only "no such bus". */
function checkUndrivenBus(value: unknown, root: string, driven: Readonly<Record<string, unknown>>): void {
  if (!Array.isArray(value)) return;
  value.forEach((sensor: unknown, i) => {
    const bus = typeof sensor === "object" && sensor !== null ? (sensor as Record<string, unknown>)["bus"] : undefined;
    if (typeof bus !== "string" || driven[bus] !== undefined || !Object.hasOwn(pico.i2c, bus)) return;
    const wires = pico.i2c[bus];
    throw new DeclarationError(`${root}[${i}].bus`, `the Pico's "${bus}" (I2C${wires?.port}, GP${wires?.data}/GP${wires?.clock}) is not ` +
      `driven by this image, which runs I2C0 only ("default", GP${pico.i2c.default.data}/GP${pico.i2c.default.clock}): put the sensor there`);
  });
}

/** Checks a parsed declaration as the image will read it; throws DeclarationError naming the JSON path. */
export function checkDeclaration(value: unknown, root = "$"): readonly DeclaredSensor[] {
  const device = rp2040Device(pico);
  checkUndrivenBus(value, root, device.I2C);
  const sensors = readDeclaration(value, boardFacts(device, pico.gpioCount), SENSOR_TYPES, root);
  checkHost(sensors, root);
  return sensors;
}

/** The declaration in a file: the array, or an object with it under "sensors" (a scenario file works as one). */
function parse(file: string): { value: unknown; root: string } {
  const parsed = readJson(file, "sensor declaration"); // a UsageError naming the file when unreadable or not JSON
  if (Array.isArray(parsed)) return { value: parsed, root: "$" };
  if (typeof parsed === "object" && parsed !== null && "sensors" in parsed) return { value: parsed.sensors, root: "$.sensors" };
  throw new SensorsFileError(file, "$", "expected an array of sensors, or an object with a \"sensors\" array (a scenario file)");
}

/**
 * The declaration in `file` (default: DEFAULT_SENSORS), checked; throws SensorsFileError for a declaration refused,
 * a UsageError for a file unreadable or not JSON.
 */
export function readSensorsFile(file?: string): SensorsDeclaration {
  if (file === undefined) return { source: "DEFAULT_SENSORS", json: JSON.stringify(DEFAULT_SENSORS), sensors: checkDeclaration(DEFAULT_SENSORS, "DEFAULT_SENSORS") };
  const { value, root } = parse(file);
  try {
    return { source: file, json: JSON.stringify(value), sensors: checkDeclaration(value, root) };
  } catch (error: unknown) {
    if (!(error instanceof DeclarationError)) throw error;
    throw new SensorsFileError(file, error.path, error.message.slice(error.path.length + 2));
  }
}

/** One line per build: which sensors, where. */
export function describeSensors(declaration: SensorsDeclaration): string {
  const hex = (n: number): string => `0x${n.toString(16)}`;
  const each = declaration.sensors.map((sensor) => {
    const where = [sensor.bus === undefined ? "" : `at ${hex(sensor.bus.address)}`,
      ...Object.entries(sensor.pins).map(([role, pin]) => `${role} GP${pin}`)].filter((part) => part !== "");
    return `${sensor.name} (${sensor.type.type}${where.length === 0 ? "" : ` ${where.join(", ")}`})`;
  });
  return `${declaration.sensors.length} sensors from ${declaration.source}: ${each.join(", ")}`;
}
