/**
 * MQTT 3.1.1 packets written into a caller's buffer at an offset. Each function returns the end offset, or -1 when
 * the packet does not fit (nothing is then to be sent). Strings arrive as bytes encoded once at setup.
 */
import { PacketType } from "./packet.js";

/** Bytes the Remaining Length takes (§2.2.3), or 0 past its 268,435,455 maximum. */
export function remainingLengthSize(length: number): number {
  return length < 128 ? 1 : length < 16_384 ? 2 : length < 2_097_152 ? 3 : length < 268_435_456 ? 4 : 0;
}

/** Writes the fixed header; returns the offset after it, or -1 if the whole packet cannot fit. */
function header(out: Uint8Array, at: number, first: number, remaining: number): number {
  const size = remainingLengthSize(remaining);
  if (size === 0 || at + 1 + size + remaining > out.length) return -1;
  out[at++] = first;
  let rest = remaining;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 128;
    out[at++] = byte;
  } while (rest > 0);
  return at;
}

function u16(out: Uint8Array, at: number, value: number): number {
  out[at] = (value >> 8) & 255;
  out[at + 1] = value & 255;
  return at + 2;
}

/** A length-prefixed string (§1.5.3) from bytes[start .. start + length). */
function string(out: Uint8Array, at: number, bytes: Uint8Array, start: number, length: number): number {
  at = u16(out, at, length);
  for (let i = 0; i < length; i++) out[at + i] = bytes[start + i] ?? 0;
  return at + length;
}

const PROTOCOL = Object.freeze([0, 4, 77, 81, 84, 84, 4]); // "MQTT", level 4 (§3.1.2.1–2)

/** What CONNECT carries; bytes encoded at setup, empty arrays for what is absent. */
export interface ConnectFields {
  readonly clientId: Uint8Array;
  readonly username: Uint8Array;
  readonly password: Uint8Array;
  readonly willTopic: Uint8Array;
  readonly willMessage: Uint8Array;
  readonly willQos: number;
  readonly willRetain: boolean;
  readonly keepAliveS: number;
  readonly cleanSession: boolean;
}

export function encodeConnect(out: Uint8Array, at: number, c: ConnectFields): number {
  const will = c.willTopic.length > 0;
  let remaining = PROTOCOL.length + 1 + 2 + 2 + c.clientId.length;
  if (will) remaining += 4 + c.willTopic.length + c.willMessage.length;
  if (c.username.length > 0) remaining += 2 + c.username.length;
  if (c.password.length > 0) remaining += 2 + c.password.length;
  at = header(out, at, PacketType.connect << 4, remaining);
  if (at < 0) return -1;
  for (let i = 0; i < PROTOCOL.length; i++) out[at++] = PROTOCOL[i] ?? 0;
  let flags = c.cleanSession ? 2 : 0; // §3.1.2.3
  if (will) flags |= 4 | ((c.willQos & 3) << 3) | (c.willRetain ? 32 : 0);
  if (c.password.length > 0) flags |= 64;
  if (c.username.length > 0) flags |= 128;
  out[at++] = flags;
  at = u16(out, at, c.keepAliveS);
  at = string(out, at, c.clientId, 0, c.clientId.length);
  if (will) {
    at = string(out, at, c.willTopic, 0, c.willTopic.length);
    at = string(out, at, c.willMessage, 0, c.willMessage.length);
  }
  if (c.username.length > 0) at = string(out, at, c.username, 0, c.username.length);
  if (c.password.length > 0) at = string(out, at, c.password, 0, c.password.length);
  return at;
}

/** PUBLISH (§3.3); `packetId` is ignored at QoS 0. */
export function encodePublish(out: Uint8Array, at: number, topic: Uint8Array, payload: Uint8Array, payloadStart: number,
  payloadLength: number, qos: number, retain: boolean, packetId: number): number {
  return encodePublishOn(out, at, topic, 0, topic.length, payload, payloadStart, payloadLength, qos, retain, packetId);
}

/** PUBLISH on the topic at topic[topicStart .. topicStart + topicLength) (a topic received, or composed in place). */
export function encodePublishOn(out: Uint8Array, at: number, topic: Uint8Array, topicStart: number, topicLength: number,
  payload: Uint8Array, payloadStart: number, payloadLength: number, qos: number, retain: boolean, packetId: number): number {
  const remaining = 2 + topicLength + (qos > 0 ? 2 : 0) + payloadLength;
  at = header(out, at, (PacketType.publish << 4) | ((qos & 3) << 1) | (retain ? 1 : 0), remaining);
  if (at < 0) return -1;
  at = string(out, at, topic, topicStart, topicLength);
  if (qos > 0) at = u16(out, at, packetId);
  for (let i = 0; i < payloadLength; i++) out[at + i] = payload[payloadStart + i] ?? 0;
  return at + payloadLength;
}

/** Sets DUP on a PUBLISH already encoded at `at`, for its retransmission (§3.3.1.1). */
export function markDuplicate(out: Uint8Array, at: number): void {
  out[at] = (out[at] ?? 0) | 8;
}

/** PUBACK, PUBREC, PUBCOMP, UNSUBACK: a type and a packet identifier. */
export function encodeAck(out: Uint8Array, at: number, type: number, packetId: number): number {
  at = header(out, at, type << 4, 2);
  return at < 0 ? -1 : u16(out, at, packetId);
}

/** SUBSCRIBE for one filter (§3.8). */
export function encodeSubscribe(out: Uint8Array, at: number, packetId: number, filter: Uint8Array, qos: number): number {
  at = header(out, at, (PacketType.subscribe << 4) | 2, 2 + 2 + filter.length + 1);
  if (at < 0) return -1;
  at = u16(out, at, packetId);
  at = string(out, at, filter, 0, filter.length);
  out[at] = qos & 3;
  return at + 1;
}

/** PINGREQ, PINGRESP, DISCONNECT: the fixed header alone. */
export function encodeEmpty(out: Uint8Array, at: number, type: number): number {
  return header(out, at, type << 4, 0);
}

/** CONNACK (§3.2), for test brokers. */
export function encodeConnack(out: Uint8Array, at: number, sessionPresent: boolean, returnCode: number): number {
  at = header(out, at, PacketType.connack << 4, 2);
  if (at < 0) return -1;
  out[at] = sessionPresent ? 1 : 0;
  out[at + 1] = returnCode;
  return at + 2;
}

/** SUBACK for one filter (§3.9), for test brokers. */
export function encodeSuback(out: Uint8Array, at: number, packetId: number, code: number): number {
  at = header(out, at, PacketType.suback << 4, 3);
  if (at < 0) return -1;
  at = u16(out, at, packetId);
  out[at] = code;
  return at + 1;
}
