/**
 * The shape every board file fills: its named pins and I2C buses (as its Moddable provider offers them) and the XS
 * memory budget, one source of truth for manifest.json. Which chip sits on which bus or pin is the application's.
 */

/** XS `creation` block as Moddable's manifest.json spells it (sizes in bytes, slots of 16 bytes on device). */
export interface Creation {
  /** Whole-VM byte budget; 0 means the heaps grow from the system heap. */
  readonly static: number;
  readonly chunk: { readonly initial: number; readonly incremental: number };
  readonly heap: { readonly initial: number; readonly incremental: number };
  readonly stack: number;
}

/** Pins the board itself names, as Moddable's `device.pin`: parts soldered to the board. */
export interface BoardPins {
  readonly led: number;
  readonly button: number;
}

/** One I2C controller's wiring as the provider offers it (`device.I2C.<name>`). */
export interface BoardBus {
  readonly data: number;
  readonly clock: number;
  readonly hz: number;
  /** The MCU's I2C controller (RP2040 I2C0/I2C1, ESP32 port 0/1). */
  readonly port: number;
}

export interface Board {
  readonly name: string;
  /** Moddable platform string for `mcconfig -p`. */
  readonly platform: string;
  readonly description: string;
  readonly pins: BoardPins;
  /** GPIO numbers run 0 .. gpioCount − 1. */
  readonly gpioCount: number;
  /** I2C buses by name, as the board's provider offers them (`device.I2C.<name>`); `default` is device.I2C.default. */
  readonly i2c: Readonly<Record<string, BoardBus>> & { readonly default: BoardBus };
  readonly creation: Creation;
  /**
   * Bytes the XS host lets the VM reserve (chunks + slots at 16 bytes + stack): `creation.static` where the board
   * has one, otherwise the free heap the board leaves the VM (stated per board).
   */
  readonly xsBudgetBytes: number;
  /** The gateway's HTTP service sized for the board: connection slots, each with its request and response buffers. */
  readonly http: BoardHttp;
}

export interface BoardHttp {
  readonly slots: number;
  readonly responseBytes: number;
  /** Request line, headers and body, each bounded; the request buffer is their sum. */
  readonly requestLineBytes: number;
  readonly headerBytes: number;
  readonly bodyBytes: number;
}

/** Bytes of one XS slot on the 32-bit targets; the host counts slots at this size against the budget. */
export const DEVICE_SLOT_BYTES = 16;
