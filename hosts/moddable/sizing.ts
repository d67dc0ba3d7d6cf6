/**
 * The networked Moddable boards' buffer sizes beside the board file's HTTP sizing (boards/*.ts): what MQTT changes.
 * Free of Moddable modules, so `stillheap bench fit --board esp32` composes with the same figures on the XS host,
 * under the board's budget, and says what is left.
 */
import type { HttpSizing } from "../../src/app/gateway/http-sizing.js";
import { RESPONSE_BYTES_WITH_MQTT } from "../../src/app/gateway/telemetry.js";

/** Messages the ESP32's MQTT outbox holds, and those in flight unacknowledged (each a 1 KiB slot). */
export const ESP32_MQTT_QUEUE = 4;
export const ESP32_MQTT_WINDOW = 2;
/**
 * HTTP slots on a board that also publishes: each response buffer must then hold /metrics with the MQTT families
 * (RESPONSE_BYTES_WITH_MQTT, 12.25 KiB; the ESP32's /metrics with MQTT is 8.7 KB, past its 8 KiB), and two of them
 * beside the MQTT buffers exceed the ESP32's 128 KiB (`stillheap bench fit --board esp32` runs out making MQTT); a
 * connection beyond the one is answered 503 by a spare socket.
 */
export const MQTT_HTTP_SLOTS = 1;

/** The board's HTTP sizing, or with MQTT on fewer slots whose buffers hold /metrics with the MQTT families. */
export function networkSizing(sizing: HttpSizing, mqtt: boolean): HttpSizing {
  if (!mqtt) return sizing;
  return Object.freeze({ ...sizing, slots: Math.min(sizing.slots, MQTT_HTTP_SLOTS), responseBytes: Math.max(sizing.responseBytes, RESPONSE_BYTES_WITH_MQTT) });
}
