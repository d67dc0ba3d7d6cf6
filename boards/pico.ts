import type { Board } from "./board.js";

/** Raspberry Pi Pico (RP2040). Pins as Moddable's pico provider; creation as build/devices/pico/manifest. */
export const pico: Board = Object.freeze({
  name: "pico",
  platform: "pico",
  description: "Raspberry Pi Pico (RP2040, 264 KB SRAM, 2 MB flash)",
  pins: Object.freeze({ i2cData: 4, i2cClock: 5, led: 25, button: 15, alert: 16, dataReady: 17 }),
  gpioCount: 30,
  i2cHz: 400_000,
  creation: Object.freeze({
    static: 131072,
    chunk: Object.freeze({ initial: 1536, incremental: 512 }),
    heap: Object.freeze({ initial: 512, incremental: 64 }),
    stack: 512,
  }),
  xsBudgetBytes: 131072,
});
