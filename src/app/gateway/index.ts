/** The sensor gateway: declared sensors, sampling channels, documents, HTTP API, metrics, console and MQTT telemetry. */
export { Gateway, type GatewayOptions, type SensorChanges } from "./gateway.js";
export { GatewayApi, ConfigCounters, ConfigOutcome, type GatewayApiOptions } from "./api.js";
export { GatewayDocuments } from "./documents.js";
export { Metrics, type MetricsSources, type MetricsWriter, type QueueCounters } from "./metrics.js";
export { ReadingWindow, WindowStats } from "./window.js";
export { Reading, SensorChannel, RETRY_FIRST_MS, RETRY_MAX_MS } from "./channel.js";
export { SENSOR_TYPES, i2cType, period, sensorBus } from "./catalogue.js";
export { Polled, Triggered, Alerting, Framed, type Sampled, type Field, type Configure, type PolledDriver, type TriggeredDriver,
  type AlertingDriver, type FramedDriver } from "./opened.js";
export { DEFAULT_SENSORS } from "./default-sensors.js";
export { readDeclaration, boardFacts, DeclarationError, MAX_SENSORS, type BoardFacts, type DeclaredSensor, type DeclaredBus } from "./declaration.js";
export type { SensorType, SettingSpec, PinRole, OpenedSensor, SampleSink, SensorParts } from "./sensor-type.js";
export { httpSizing, type HttpSizing, type SizedService } from "./http-sizing.js";
export { GatewayConsole, type ConsoleOptions, type ConsoleOutput } from "./console.js";
export { GatewayTelemetry, RESPONSE_BYTES_WITH_MQTT, type TelemetryOptions } from "./telemetry.js";
