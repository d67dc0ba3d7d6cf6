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
  read(): 0 | 1;
  write(value: 0 | 1 | number): void;
  close(): void;
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
  /** Reads `count` bytes into a new ArrayBuffer, or fills `buffer` (no allocation) and returns undefined. */
  read(countOrBuffer: number | Buffer419, stop?: boolean): ArrayBuffer | undefined;
  write(buffer: Buffer419, stop?: boolean): void;
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
  };
  /** The board's I2C buses by name (`default` always); a Moddable provider may list only `default`. */
  readonly I2C: { readonly default: I2CPins } & Readonly<Record<string, I2CPins | undefined>>;
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

/** Why an I2C transaction failed. */
export type I2CErrorCode = "nack-address" | "nack-data" | "timeout" | "closed";

/** Thrown by I2C/SMBus transactions (the ECMA-419 implementations throw on a failed transaction). */
export class I2CError extends Error {
  override name = "I2CError";
  constructor(
    readonly code: I2CErrorCode,
    readonly address: number,
    message: string,
  ) {
    super(message);
  }
}

export type IOErrorCode = "unknown-pin" | "pin-busy" | "closed" | "bad-option" | "unknown-address";

/** Setup and lifecycle misuse of an IO instance. */
export class IOError extends Error {
  override name = "IOError";
  constructor(readonly code: IOErrorCode, message: string) {
    super(message);
  }
}
