/**
 * simulator/scenarios/default.json as a module, for engines without a file system (Moddable's mcsim); a test keeps
 * the two equal.
 */
export const defaultScenario = {
  "$schema": "../scenario.schema.json",
  description: "The board as npm start shows it: sensors with slowly changing values and a button pressed now and then.",
  board: "pico",
  devices: [
    { type: "sht3x", address: 68, temperatureC: { kind: "sine", mean: 22, amplitude: 2, periodMs: 60000 }, humidityRH: { kind: "noise", mean: 45, deviation: 1.5, seed: 5 } },
    { type: "bmp280", address: 118, temperatureC: 21.5, pressurePa: { kind: "sine", mean: 101325, amplitude: 120, periodMs: 300000 } },
    { type: "tmp117", address: 72, temperatureC: { kind: "ramp", from: 21, to: 24, durationMs: 120000 }, alertPin: 16 },
    { type: "lis3dh", address: 24, xG: { kind: "noise", mean: 0, deviation: 0.01, seed: 9 }, zG: 1, int1Pin: 17 },
    { type: "button", pin: "button", bounceMs: 5, presses: [{ atMs: 2500, holdMs: 150 }, { atMs: 6000, holdMs: 300 }] },
  ],
  faults: [],
  sensors: [
    { name: "sht3x", type: "sht3x", address: 68 },
    { name: "bmp280", type: "bmp280", address: 118 },
    { name: "tmp117", type: "tmp117", address: 72, pins: { alert: 16 }, settings: { highLimitC: 30 } },
    { name: "lis3dh", type: "lis3dh", address: 24, pins: { int1: 17 }, periodMs: 200 },
  ],
};
