/**
 * The networked Moddable boards' buffer sizes beside the board file's HTTP sizing (boards/*.ts): what MQTT changes.
 * Free of Moddable modules, so `stillheap bench fit --board esp32` composes with the same figures on the XS host,
 * under the board's budget, and says what is left.
 */
import { httpSizing, type HttpSizing, type SizedService } from "../../src/app/gateway/http-sizing.js";
import { RESPONSE_BYTES_WITH_MQTT } from "../../src/app/gateway/telemetry.js";

/** Messages the ESP32's MQTT outbox holds, and those in flight unacknowledged (each a 1 KiB slot). */
export const ESP32_MQTT_QUEUE = 4;
export const ESP32_MQTT_WINDOW = 2;
/**
 * Response buffers on a board that also publishes: each must then hold /metrics with the MQTT families
 * (RESPONSE_BYTES_WITH_MQTT, 12.25 KiB; the ESP32's /metrics with MQTT is 8.7 KB, past its 8 KiB), and two of them
 * beside the MQTT buffers exceed the ESP32's 128 KiB. Slots may outnumber them: a slot reading its request holds no
 * response buffer, and a response with none free is answered 503.
 */
export const MQTT_RESPONSE_BUFFERS = 1;
/**
 * HTTP slots on a board that also publishes. Each further slot adds its request buffers and parser, and with one
 * `stillheap bench fit --board esp32` already runs out of the ESP32's 128 KiB as the sensors open: one slot until
 * RAM is won back; a connection beyond it is answered 503 by a spare socket.
 */
export const MQTT_HTTP_SLOTS = 1;

/** A board's HTTP sizing with the number of response buffers its slots share. */
export interface NetworkSizing extends HttpSizing {
  readonly responseBuffers: number;
}

/** The board's HTTP sizing, or with MQTT fewer response buffers (than slots) that hold /metrics with the MQTT families. */
export function networkSizing(sizing: HttpSizing, mqtt: boolean): NetworkSizing {
  if (!mqtt) return Object.freeze({ ...sizing, responseBuffers: sizing.slots });
  const slots = Math.min(sizing.slots, MQTT_HTTP_SLOTS);
  return Object.freeze({ ...sizing, slots, responseBytes: Math.max(sizing.responseBytes, RESPONSE_BYTES_WITH_MQTT),
    responseBuffers: Math.min(slots, MQTT_RESPONSE_BUFFERS) });
}

/** The connection service's options for a network sizing: slots, their limits and the shared response buffers. */
export function networkService(sizing: NetworkSizing): SizedService & { readonly responseBuffers: number } {
  return { ...httpSizing(sizing), responseBuffers: sizing.responseBuffers };
}
