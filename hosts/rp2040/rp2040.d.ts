/** The native `rp2040` global of the bare-metal RP2040 host (hosts/rp2040/functions.c). */
interface Rp2040Global {
  /** Writes `text` and a newline to UART0. */
  print(text: string): void;
  /** Writes bytes [offset, offset + length) of `buffer` to UART0 ("\n" as "\r\n"), allocating nothing. */
  write(buffer: ArrayBuffer, offset: number, length: number): void;
  /** The 64-bit hardware timer, in microseconds since reset. */
  nowMicros(): number;
  /** Writes eleven float64 in src/engine's MemoryField order into `buffer` (≥ 88 bytes) without allocating. */
  memoryInto(buffer: ArrayBuffer): void;
  collect(): void;
  /** mode: 0 input, 1 pull-up, 2 pull-down, 8 output; edges: 1 rising, 2 falling, 3 both. */
  gpioConfigure(pin: number, mode: number, edges: number): void;
  gpioRead(pin: number): number;
  gpioWrite(pin: number, value: number): void;
  /** Edge interrupts taken since reset, and those that found their pin's flag still set. */
  gpioEdges(): number;
  gpioCoalesced(): number;
  i2cInit(dataPin: number, clockPin: number, hz: number): void;
  /** 0 ok, 1 address NACK, 2 data NACK, 3 timeout. */
  i2cTransfer(read: boolean, address: number, buffer: ArrayBuffer, offset: number, length: number, stop: boolean,
    timeoutMicros: number): number;
  /** Copies up to `length` received console bytes into `buffer` at `offset`; returns how many (0: none waiting). */
  uartRead(buffer: ArrayBuffer, offset: number, length: number): number;
  /** Console bytes lost since reset: the receive ring was full, or a line error. */
  uartDropped(): number;
  /** The flash offset of the two settings sectors (the last two 4 KB sectors of the 2 MB flash). */
  settingsFlash(): number;
  /** Erases the 4 KB sector at `offset` (a settings sector; RangeError otherwise) through the bootrom, from RAM. */
  flashErase(offset: number): void;
  /** Programs buffer[start .. start + length) at `offset`, within one 256-byte page of the settings sectors. */
  flashProgram(offset: number, buffer: ArrayBuffer, start: number, length: number): void;
  /** Reads flash [offset, offset + length) through XIP into buffer at `start`. */
  flashRead(offset: number, buffer: ArrayBuffer, start: number, length: number): void;
  restart(): never;
}

declare var rp2040: Rp2040Global;
/**
 * Set by the firmware entry: the main loop calls it with the pins whose edges fired and the console bytes waiting;
 * it returns the next deadline.
 */
declare var rp2040Service: ((edges: number, received: number) => number) | undefined;
/**
 * The sensor declaration the image was built with (`stillheap build --target rp2040 --sensors FILE`, default
 * DEFAULT_SENSORS), as JSON: the build validates it and defines it here (tools/rp2040/sensors.ts).
 */
declare const STILLHEAP_SENSORS: unknown;
/** The bearer token of the console's config commands (`stillheap build --target rp2040 --token T`); empty: none. */
declare const STILLHEAP_CONSOLE_TOKEN: string;
