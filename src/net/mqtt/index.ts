/** stillheap/net/mqtt: MQTT 3.1.1 packets into and out of preallocated buffers, and a host-neutral client. */
export { PacketType, MqttError, MQTT_ERROR_COUNT, MQTT_ERROR_NAMES, Decoded, MqttPacket, InboundDrop, INBOUND_DROP_NAMES,
  CONNACK_CODE_COUNT, CONNACK_MEANINGS, PacketId, MAX_FILTERS } from "./packet.js";
export { encodeConnect, encodePublish, encodePublishOn, encodeAck, encodeSubscribe, encodeEmpty, encodeConnack, encodeSuback,
  markDuplicate, remainingLengthSize, type ConnectFields } from "./encode.js";
export { decodePacket, decodePublishHead, validUtf8 } from "./decode.js";
export { MqttClient, MqttState, type MqttClientOptions, type MqttTransport, type MqttMessageHandler } from "./client.js";
export { Outbox, DropReason, DROP_REASON_NAMES, SUBSCRIBE_ID } from "./outbox.js";
export { Backoff } from "./backoff.js";
export { Subscriptions, Subscription } from "./subscriptions.js";
export { PoisonWatch } from "./poison.js";
export { Inbound, type InboundHandler } from "./inbound.js";
