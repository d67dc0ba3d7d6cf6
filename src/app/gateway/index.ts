/** The sensor gateway: sampling pipeline, HTTP API and its host-neutral connection service. */
export { Gateway, DEFAULT_GATEWAY_CONFIG, type GatewayConfig, type GatewayOptions } from "./gateway.js";
export { GatewayApi, type GatewayApiOptions } from "./api.js";
export { HttpService, type HttpServiceOptions, type ResponseSink } from "./service.js";
export { ReadingWindow, WindowStats } from "./window.js";
export { Reading, GatewaySensor } from "./sensors.js";
export { GatewayTelemetry, RESPONSE_BYTES_WITH_MQTT, type TelemetryOptions } from "./telemetry.js";
export { ConfigOutcome } from "./api.js";
