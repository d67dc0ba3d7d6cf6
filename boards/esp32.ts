import type { Board } from "./board.js";

/**
 * ESP32 DevKitC / NodeMCU-32S class board. Pins as Moddable's esp32/nodemcu provider (I2C 21/22, LED 2, button 0).
 * Creation is mcconfig's esp32 fallback (static 0: the heaps grow from the system heap). The chip has no fixed VM
 * budget, so the host enforces a chosen ceiling of 128 KiB, the same as the Pico's: the initial reservation alone
 * is 32768 + 2048 × 16 = 64 KiB, and an ESP32 with Wi-Fi up keeps roughly that much again free for the VM to grow.
 */
export const esp32: Board = Object.freeze({
  name: "esp32",
  platform: "esp32/nodemcu",
  description: "ESP32 DevKitC / NodeMCU-32S (520 KB SRAM, 4 MB flash)",
  pins: Object.freeze({ led: 2, button: 0 }),
  gpioCount: 40,
  i2c: Object.freeze({ default: Object.freeze({ data: 21, clock: 22, hz: 400_000, port: 0 }) }),
  creation: Object.freeze({
    static: 0,
    chunk: Object.freeze({ initial: 32768, incremental: 1024 }),
    heap: Object.freeze({ initial: 2048, incremental: 64 }),
    stack: 384,
  }),
  xsBudgetBytes: 131072,
  // Wi-Fi: four connections, each with room for /metrics at its largest (every sensor dropping for every reason).
  http: Object.freeze({ slots: 4, responseBytes: 8192, requestLineBytes: 256, headerBytes: 1024, bodyBytes: 512 }),
});
