/** The scenario of simulator/scenarios/all-faults.json as a module, so engines without a file system can load it. */
export const allFaultsScenario = {
  $schema: "../scenario.schema.json",
  description: "Every fault kind against one board: each should surface as the right error or status, counted.",
  board: "pico",
  devices: [
    { type: "sht3x", address: 68, temperatureC: { kind: "sine", mean: 22, amplitude: 3, periodMs: 60000 }, humidityRH: 45 },
    { type: "bmp280", address: 118, temperatureC: 21, pressurePa: { kind: "noise", mean: 101325, deviation: 20, seed: 3 } },
    { type: "tmp117", address: 72, temperatureC: { kind: "ramp", from: 20, to: 30, durationMs: 20000 }, alertPin: 16 },
    { type: "lis3dh", address: 24, zG: 1, int1Pin: 17 },
    { type: "button", pin: "button", bounceMs: 5, presses: [{ atMs: 500, holdMs: 200 }] },
  ],
  faults: [
    { kind: "nack-address", address: 68, atMs: 1000, untilMs: 1100 },
    { kind: "nack-after-bytes", address: 118, bytes: 1, atMs: 1200, untilMs: 1300 },
    { kind: "bus-stuck", atMs: 1400, untilMs: 1500 },
    { kind: "crc-corruption", address: 68, atMs: 1600, untilMs: 1700 },
    { kind: "out-of-range", address: 72, signal: "temperatureC", value: 300, atMs: 1800, untilMs: 2150 },
    { kind: "vanish", address: 118, atMs: 2000, untilMs: 2100 },
    { kind: "clock-stretch", address: 72, latencyMs: 40, atMs: 2200, untilMs: 2300 },
    { kind: "interrupt-storm", pin: 17, edgesPerMs: 20, atMs: 2400, untilMs: 2410 },
    { kind: "spurious-edge", pin: "button", atMs: 2600 },
  ],
};
