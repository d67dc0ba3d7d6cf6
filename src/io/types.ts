/**
 * ECMA-419 IO shapes as Moddable exposes them (embedded:io/digital, i2c, smbus; the `device` provider), typed where
 * Moddable's own declarations omit things (close()). Drivers program against these; hosts and the simulator
 * implement them.
 */

export type Buffer419 = ArrayBuffer | ArrayBufferView;

export interface DigitalOptions {
  readonly pin: number;
  /** One of the Digital.* mode constants. */
  readonly mode: number;
  /** Digital.Rising, Digital.Falling or both ORed; required with onReadable. */
  readonly edge?: number;
  /**
   * Called on the JS thread after an edge; coalesced like an ISR flag. `this` is the Digital instance, as Moddable's
   * IO calls it (modules/io/digital/pico/digitalbank.c): reach your own object through `this.target`.
   */
  readonly onReadable?: (this: Digital) => void;
  /** Stored as the instance's `target` property. */
  readonly target?: unknown;
}

export interface Digital {
  /** The constructor's `target` option (Moddable's IO sets it as a property of the instance). */
  readonly target?: unknown;
  /** Always "number"; setting anything else throws a RangeError (an IO that predates it may lack it). */
  format?: string;
  /** The pin's level; throws on an output (Moddable's "can't read output"). */
  read(): 0 | 1;
  /** Drives the pin: `Number(value)` non-zero is 1 (so `{}` and "error" are 0); throws on an input. */
  write(value: 0 | 1 | number): void;
  close(): void;
}

export interface DigitalBankOptions {
  /** A bit mask of the pins (bit n = GPIO n); at least one. */
  readonly pins: number;
  readonly mode: number;
  /** Masks of the pins whose rising / falling edges call onReadable; one of them non-zero with onReadable. */
  readonly rises?: number;
  readonly falls?: number;
  /** Called on the JS thread with the mask of the pins that triggered since the last call. */
  readonly onReadable?: (this: DigitalBank, triggered: number) => void;
  readonly target?: unknown;
}

export interface DigitalBank {
  readonly target?: unknown;
  format: string;
  /** The levels of the bank's pins as a mask; throws on an output bank. */
  read(): number;
  /** Drives the bank's pins to the bits of `value` (other bits are ignored); throws on an input bank. */
  write(value: number): void;
  close(): void;
}

export interface DigitalBankConstructor {
  new (options: DigitalBankOptions): DigitalBank;
  readonly Input: 0;
  readonly InputPullUp: 1;
  readonly InputPullDown: 2;
  readonly InputPullUpDown: 3;
  readonly Output: 8;
  readonly OutputOpenDrain: 9;
}

export interface DigitalConstructor {
  new (options: DigitalOptions): Digital;
  readonly Input: 0;
  readonly InputPullUp: 1;
  readonly InputPullDown: 2;
  readonly InputPullUpDown: 3;
  readonly Output: 8;
  readonly OutputOpenDrain: 9;
  readonly Rising: 1;
  readonly Falling: 2;
}

export interface I2COptions {
  readonly data: number;
  readonly clock: number;
  readonly hz: number;
  readonly address: number;
  readonly port?: number;
  /** Milliseconds a transaction may take (clock stretching, a stuck bus) before it fails with a timeout. */
  readonly timeout?: number;
}

export interface I2C {
  /** Always "buffer"; setting anything else throws a RangeError. */
  format?: string;
  /**
   * Reads `count` bytes into a new ArrayBuffer, or fills `buffer` (no allocation) and returns the count read, as
   * Moddable's I2C does (an IO that predates that may return undefined).
   */
  read(countOrBuffer: number | Buffer419, stop?: boolean): ArrayBuffer | number | undefined;
  write(buffer: Buffer419, stop?: boolean): void;
  /** Moddable's extension: writes `buffer`, then reads after a repeated start (as read()). */
  writeRead?(buffer: Buffer419, countOrBuffer: number | Buffer419, stop?: boolean): ArrayBuffer | number | undefined;
  close(): void;
}

export interface I2CConstructor {
  new (options: I2COptions): I2C;
}

export interface SMBus extends I2C {
  readUint8(register: number): number;
  writeUint8(register: number, value: number): void;
  readUint16(register: number, bigEndian?: boolean): number;
  writeUint16(register: number, value: number, bigEndian?: boolean): void;
  /** Reads `count` bytes from `register` into a new ArrayBuffer, or fills `buffer` and returns undefined. */
  readBuffer(register: number, countOrBuffer: number | Buffer419): ArrayBuffer | undefined;
  writeBuffer(register: number, buffer: Buffer419): void;
}

export interface SMBusConstructor {
  new (options: I2COptions): SMBus;
}

export interface I2CPins {
  /** The bus's IO class, as Moddable's providers give it: `new device.I2C.default.io({...device.I2C.default, address})`. */
  readonly io?: I2CConstructor;
  readonly data: number;
  readonly clock: number;
  readonly hz: number;
  readonly port?: number;
}

/** The `device` global of a Moddable board provider (embedded:provider/builtin). */
export interface DeviceProvider {
  readonly io: {
    readonly Digital: DigitalConstructor;
    readonly I2C: I2CConstructor;
    readonly SMBus: SMBusConstructor;
    readonly DigitalBank?: DigitalBankConstructor;
  };
  /** The board's I2C buses by name (`default` always); a Moddable provider may list only `default`. */
  readonly I2C: { readonly default: I2CPins } & Readonly<Record<string, I2CPins | undefined>>;
  /** ECMA-419's name for the same buses. */
  readonly i2c?: { readonly default: I2CPins } & Readonly<Record<string, I2CPins | undefined>>;
  readonly pin: Readonly<Record<string, number>>;
}

/** A timer handle of the `timer` module: opaque to callers. */
export type TimerHandle = object;

/** The `timer` module's Timer (Moddable modules/base/timer). */
export interface TimerApi {
  set(callback: (timer: TimerHandle) => void, milliseconds?: number, repeatMilliseconds?: number): TimerHandle;
  repeat(callback: (timer: TimerHandle) => void, milliseconds: number): TimerHandle;
  schedule(timer: TimerHandle, milliseconds?: number, repeatMilliseconds?: number): void;
  clear(timer: TimerHandle | undefined): void;
  /** Blocks the JS thread for `milliseconds`. */
  delay(milliseconds: number): void;
}

/** The standard classes Moddable's IO throws (never classes of its own): code written for it catches the same. */
export type StandardErrorClass = ErrorConstructor | RangeErrorConstructor | SyntaxErrorConstructor | TypeErrorConstructor;

/** Why an I2C transaction failed. */
export type I2CErrorCode = "nack-address" | "nack-data" | "timeout" | "closed";

/** Marks the errors I2CError makes: `instanceof` then compares no strings (a string comparison allocates on XS). */
const I2C_FAILURE: unique symbol = Symbol("I2CError");

/**
 * A failed I2C transaction. `new I2CError(...)` makes a plain Error, as Moddable's I2C throws ("write failed"), with
 * `code` and `address` added; `instanceof I2CError` recognises the errors it made.
 */
export class I2CError {
  declare readonly name: string;
  declare readonly message: string;
  declare readonly stack?: string;
  declare readonly code: I2CErrorCode;
  declare readonly address: number;
  constructor(code: I2CErrorCode, address: number, message: string) {
    // Fields set one by one: no temporary object on this fault path.
    const error = new Error(message) as Error & { code: I2CErrorCode; address: number; [I2C_FAILURE]: boolean };
    error.code = code;
    error.address = address;
    error[I2C_FAILURE] = true;
    return error;
  }

  static [Symbol.hasInstance](value: unknown): value is I2CError {
    return value instanceof Error && (value as { [I2C_FAILURE]?: unknown })[I2C_FAILURE] === true;
  }
}

export type IOErrorCode = "unknown-pin" | "pin-busy" | "address-busy" | "closed" | "bad-option" | "unknown-address";

/** Marks the errors IOError makes (as I2C_FAILURE does). */
const IO_FAILURE: unique symbol = Symbol("IOError");

/** The class Moddable's IO throws for each misuse: use after close is a SyntaxError, a bad option a RangeError. */
function classFor(code: IOErrorCode): StandardErrorClass {
  if (code === "closed") return SyntaxError;
  if (code === "bad-option") return RangeError;
  return Error;
}

/**
 * Setup and lifecycle misuse of an IO instance. `new IOError(code, message, Class?)` makes an instance of the standard
 * class Moddable throws there (by default: SyntaxError after close, RangeError for a bad option, Error otherwise) with
 * `code` added; `instanceof IOError` recognises the errors it made.
 */
export class IOError {
  declare readonly name: string;
  declare readonly message: string;
  declare readonly stack?: string;
  declare readonly code: IOErrorCode;
  constructor(code: IOErrorCode, message: string, kind: StandardErrorClass = classFor(code)) {
    const error = new kind(message) as Error & { code: IOErrorCode; [IO_FAILURE]: boolean };
    error.code = code;
    error[IO_FAILURE] = true;
    return error;
  }

  static [Symbol.hasInstance](value: unknown): value is IOError {
    return value instanceof Error && (value as { [IO_FAILURE]?: unknown })[IO_FAILURE] === true;
  }
}
