/**
 * What Home Assistant documents for an MQTT sensor's discovery config, as a check a test subscriber runs on each
 * config it receives: https://www.home-assistant.io/integrations/sensor.mqtt/ (configuration variables) and
 * https://www.home-assistant.io/integrations/sensor/#device-class (the units a device class allows).
 */
import * as assert from "../support/assert.js";

/** The configuration variables of an MQTT sensor this gateway may use. */
export const SENSOR_KEYS: ReadonlySet<string> = new Set(["availability_topic", "payload_available", "payload_not_available", "device",
  "device_class", "name", "state_class", "state_topic", "unique_id", "unit_of_measurement", "value_template", "expire_after"]);
export const DEVICE_KEYS: ReadonlySet<string> = new Set(["identifiers", "name", "model", "manufacturer", "sw_version"]);
export const UNITS: Readonly<Record<string, readonly string[]>> = Object.freeze({ temperature: ["°C", "°F", "K"], humidity: ["%"],
  pressure: ["Pa", "hPa", "kPa", "bar", "cbar", "mbar", "mmHg", "inHg", "psi"], frequency: ["Hz", "kHz", "MHz", "GHz"],
  voltage: ["V", "mV"], duration: ["d", "h", "min", "s", "ms"] });
export const STATE_CLASSES: ReadonlySet<string> = new Set(["measurement", "total", "total_increasing"]);

export interface SensorConfig {
  name: string; unique_id: string; state_topic: string; value_template: string; device_class?: string; unit_of_measurement?: string;
  state_class: string; availability_topic: string; payload_available?: string; payload_not_available?: string; device: Record<string, unknown>;
}

/** Checks one config (its topic `<prefix>/sensor/<node>/<object>/config`) against the documented keys and units. */
export function checkSensorConfig(topic: string, text: string): SensorConfig {
  assert.ok(/^[^/]+\/sensor\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+\/config$/.test(topic), `${topic}: <prefix>/sensor/<node_id>/<object_id>/config`);
  const c = JSON.parse(text) as SensorConfig;
  for (const key of Object.keys(c)) assert.ok(SENSOR_KEYS.has(key), `${topic}: ${key} is a documented key`);
  for (const key of Object.keys(c.device)) assert.ok(DEVICE_KEYS.has(key), `${topic}: device.${key} is a documented key`);
  for (const key of ["name", "unique_id", "state_topic", "value_template", "state_class", "availability_topic"] as const) {
    assert.equal(typeof c[key], "string", `${topic}: ${key}`);
  }
  assert.ok(Array.isArray(c.device["identifiers"]) && typeof c.device["name"] === "string", `${topic}: device identifiers and name`);
  assert.ok(STATE_CLASSES.has(c.state_class), `${topic}: state_class ${c.state_class}`);
  if (c.device_class !== undefined) assert.ok((UNITS[c.device_class] ?? []).includes(c.unit_of_measurement ?? ""), `${topic}: ${c.device_class} in ${c.unit_of_measurement}`);
  assert.ok(/^\{\{ value_json\.[A-Za-z][A-Za-z0-9_]*\.latest \}\}$/.test(c.value_template), `${topic}: ${c.value_template}`);
  return c;
}

/** `{{ value_json.a.b }}` against a JSON document, as Home Assistant's template renders it. */
export function render(template: string, json: string): unknown {
  const path = /^\{\{ value_json\.([A-Za-z0-9_.]+) \}\}$/.exec(template)?.[1];
  assert.ok(path !== undefined, template);
  return path.split(".").reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], JSON.parse(json));
}
