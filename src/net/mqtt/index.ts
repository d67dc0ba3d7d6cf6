/** stillheap/net/mqtt: MQTT 3.1.1 packets into and out of preallocated buffers, and a host-neutral client. */
export { PacketType, MqttError, MQTT_ERROR_COUNT, MQTT_ERROR_NAMES, Decoded, MqttPacket } from "./packet.js";
export { encodeConnect, encodePublish, encodeAck, encodeSubscribe, encodeEmpty, encodeConnack, encodeSuback,
  markDuplicate, remainingLengthSize, type ConnectFields } from "./encode.js";
export { decodePacket, validUtf8 } from "./decode.js";
export { MqttClient, MqttState, type MqttClientOptions, type MqttTransport, type MqttMessageHandler } from "./client.js";
export { Outbox, DropReason, DROP_REASON_NAMES, SUBSCRIBE_ID } from "./outbox.js";
export { Backoff } from "./backoff.js";
