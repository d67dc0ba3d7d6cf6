/** The firmware's applications. */
export { Heartbeat, type HeartbeatOptions } from "./heartbeat.js";
export * from "./gateway/index.js";
