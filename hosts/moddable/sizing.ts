/**
 * The networked Moddable boards' buffer sizes beside the board file's HTTP sizing (boards/*.ts): what MQTT adds. Free
 * of Moddable modules, so `stillheap bench fit --board esp32` composes with the same figures on the XS host.
 */
import { RESPONSE_BYTES_WITH_MQTT } from "../../src/app/gateway/telemetry.js";

/** Messages the ESP32's MQTT outbox holds (each a 1 KiB slot), beside its four response buffers, within its budget. */
export const ESP32_MQTT_QUEUE = 8;

/** A response buffer's bytes: room for /metrics with the MQTT families when the board publishes. */
export function responseBytes(boardBytes: number, mqtt: boolean): number {
  return mqtt ? Math.max(boardBytes, RESPONSE_BYTES_WITH_MQTT) * 0 + boardBytes : boardBytes;
}
