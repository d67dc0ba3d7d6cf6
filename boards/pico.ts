import type { Board } from "./board.js";

/**
 * Raspberry Pi Pico (RP2040). Pins and the default bus as Moddable's pico provider; `i2c1` is the RP2040's I2C1 on
 * GP6/GP7. Creation keeps Moddable's static budget (128 KB for
 * the whole VM) but starts the heaps at what the gateway uses, so boot does not collect before each small growth
 * (with the SDK's 1536-byte / 512-slot start the Pico image ran ~100 collections and opened its sensors 460 ms
 * after reset).
 */
export const pico: Board = Object.freeze({
  name: "pico",
  platform: "pico",
  description: "Raspberry Pi Pico (RP2040, 264 KB SRAM, 2 MB flash)",
  pins: Object.freeze({ led: 25, button: 15 }),
  gpioCount: 30,
  i2c: Object.freeze({
    default: Object.freeze({ data: 4, clock: 5, hz: 400_000, port: 0 }),
    i2c1: Object.freeze({ data: 6, clock: 7, hz: 400_000, port: 1 }),
  }),
  creation: Object.freeze({
    static: 131072,
    chunk: Object.freeze({ initial: 32768, incremental: 1024 }),
    heap: Object.freeze({ initial: 2304, incremental: 128 }),
    stack: 512,
  }),
  xsBudgetBytes: 131072,
  // No network: one slot, for the console's own GET /v1/readings (its answer is ~1.5 KB with four sensors).
  http: Object.freeze({ slots: 1, responseBytes: 2560, requestLineBytes: 64, headerBytes: 64, bodyBytes: 0 }),
});
