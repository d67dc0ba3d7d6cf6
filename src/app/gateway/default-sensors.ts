/**
 * The default declaration: the four sensors of the board `npm start` shows, wired as on the Pico (I2C0 on GP4/GP5,
 * the TMP117's ALERT on GP16, the LIS3DH's INT1 on GP17). simulator/scenarios/default.json carries the same list.
 */
const sensor = <T extends object>(value: T): Readonly<T> => Object.freeze(value);

export const DEFAULT_SENSORS = Object.freeze([
  sensor({ name: "sht3x", type: "sht3x", address: 0x44 }),
  sensor({ name: "bmp280", type: "bmp280", address: 0x76 }),
  sensor({ name: "tmp117", type: "tmp117", address: 0x48, pins: sensor({ alert: 16 }), settings: sensor({ highLimitC: 30 }) }),
  sensor({ name: "lis3dh", type: "lis3dh", address: 0x18, pins: sensor({ int1: 17 }), periodMs: 200 }),
]);
