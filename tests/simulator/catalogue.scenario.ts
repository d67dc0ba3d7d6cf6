/**
 * The scenario of simulator/scenarios/catalogue.json as a module: the four chips added with the driver kit (AHT20,
 * SHTC3, MPU6050, TMP102) on one board, and every fault kind against them.
 */
export const catalogueScenario = {
  $schema: "../scenario.schema.json",
  description: "AHT20, SHTC3, MPU6050 and TMP102 on one board, and every fault kind against them: each surfaces as a counted status.",
  board: "pico",
  devices: [
    { type: "aht20", temperatureC: { kind: "sine", mean: 22, amplitude: 3, periodMs: 60000 }, humidityRH: 45 },
    { type: "shtc3", temperatureC: 23, humidityRH: { kind: "noise", mean: 50, deviation: 1, seed: 4 } },
    { type: "mpu6050", zG: 1, xDps: { kind: "sine", mean: 0, amplitude: 30, periodMs: 2000 }, temperatureC: 28, intPin: 17 },
    { type: "tmp102", address: 73, temperatureC: { kind: "ramp", from: 20, to: 40, durationMs: 3000 }, alertPin: 16 },
  ],
  faults: [
    { kind: "nack-address", address: 56, atMs: 1000, untilMs: 1100 },
    { kind: "nack-after-bytes", address: 112, bytes: 1, atMs: 1200, untilMs: 1300 },
    { kind: "bus-stuck", atMs: 1400, untilMs: 1500 },
    { kind: "crc-corruption", address: 56, atMs: 1600, untilMs: 1700 },
    { kind: "crc-corruption", address: 112, atMs: 1600, untilMs: 1700 },
    { kind: "out-of-range", address: 73, signal: "temperatureC", value: 300, atMs: 1800, untilMs: 2150 },
    { kind: "out-of-range", address: 104, signal: "zG", value: 8, atMs: 1800, untilMs: 2150 },
    { kind: "vanish", address: 104, atMs: 2000, untilMs: 2100 },
    { kind: "clock-stretch", address: 73, latencyMs: 40, atMs: 2200, untilMs: 2300 },
    { kind: "interrupt-storm", pin: 17, edgesPerMs: 20, atMs: 2400, untilMs: 2410 },
    { kind: "spurious-edge", pin: 16, atMs: 2600 },
  ],
};
