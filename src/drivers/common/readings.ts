/**
 * The ECMA-419 sensor classes' sample objects (§14), fixed-shape so filling them in place allocates nothing. A compound
 * sensor's sample holds one of these per logical sensor (`thermometer`, `hygrometer`, `barometer`).
 */

/** Temperature class: degrees Celsius. */
export class Thermometer {
  temperature = Number.NaN;
}

/** Humidity class: relative humidity in percent (0–100). */
export class Hygrometer {
  humidity = Number.NaN;
}

/** Atmospheric pressure class: pascals. */
export class Barometer {
  pressure = Number.NaN;
}

/** Standard gravity, m/s² per g: the Accelerometer class reports m/s². */
export const STANDARD_GRAVITY = 9.80665;

/** Accelerometer class: m/s² along each axis. */
export class Accelerometer {
  x = Number.NaN;
  y = Number.NaN;
  z = Number.NaN;
}

/** Gyroscope class: angular velocity about each axis, in degrees per second (as Moddable's gyroscope drivers report). */
export class Gyroscope {
  x = Number.NaN;
  y = Number.NaN;
  z = Number.NaN;
}
