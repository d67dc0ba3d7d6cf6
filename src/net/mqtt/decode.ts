/**
 * Strict MQTT 3.1.1 decoding of one packet at the front of a buffer into a reused MqttPacket: bounds only, no
 * copies, no strings. Anything the specification does not allow is refused with a numeric reason.
 */
import { Decoded, MqttError, MqttPacket, PacketType } from "./packet.js";

/** Fixed-header flags each type must carry (§2.2.2); -1: PUBLISH, checked apart. */
const REQUIRED_FLAGS = Object.freeze([-2, 0, 0, -1, 0, 0, 2, 0, 2, 0, 2, 0, 0, 0, 0, -2]);

function u16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

/** True if bytes[start .. end) is well-formed UTF-8 without U+0000 (§1.5.3), surrogates and overlongs refused. */
export function validUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  let at = start;
  while (at < end) {
    const b = bytes[at] ?? 0;
    if (b === 0) return false;
    if (b < 0x80) { at++; continue; }
    const extra = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (extra < 0 || at + extra >= end) return false;
    const second = bytes[at + 1] ?? 0;
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (second < low || second > high) return false;
    for (let i = 2; i <= extra; i++) if (((bytes[at + i] ?? 0) & 0xc0) !== 0x80) return false;
    at += extra + 1;
  }
  return true;
}

function fail(packet: MqttPacket, reason: number): number {
  packet.error = reason;
  return Decoded.error;
}

/**
 * Decodes the packet at bytes[start .. start + length). Returns the bytes it took, Decoded.needMore when it is not
 * all there yet (and fits `maxPacketBytes`), or Decoded.error with `packet.error` set.
 */
export function decodePacket(bytes: Uint8Array, start: number, length: number, packet: MqttPacket, maxPacketBytes: number): number {
  packet.clear();
  if (length < 2) return Decoded.needMore;
  const first = bytes[start] ?? 0;
  const type = first >> 4;
  const flags = first & 15;
  if (type === 0 || type === 15) return fail(packet, MqttError.reservedType);
  const required = REQUIRED_FLAGS[type] ?? 0;
  if (required >= 0 && flags !== required) return fail(packet, MqttError.badFlags);
  let remaining = 0;
  let multiplier = 1;
  let at = start + 1;
  for (let i = 0; ; i++) {
    if (i === 4) return fail(packet, MqttError.badRemainingLength);
    if (at >= start + length) return Decoded.needMore;
    const b = bytes[at++] ?? 0;
    remaining += (b & 127) * multiplier;
    multiplier *= 128;
    if ((b & 128) === 0) break;
  }
  const total = at - start + remaining;
  packet.type = type;
  packet.flags = flags;
  packet.length = total;
  packet.headerLength = at - start;
  if (total > maxPacketBytes) return fail(packet, MqttError.oversized);
  if (total > length) return Decoded.needMore;
  const reason = body(bytes, at, at + remaining, packet);
  return reason === MqttError.none ? total : fail(packet, reason);
}

/**
 * The head of a PUBLISH too large to hold — its topic and packet identifier — from the `available` bytes at `start`,
 * after decodePacket refused it as oversized (so `packet` has its type, flags and lengths). Returns the head's size,
 * Decoded.needMore while it is arriving (and fits `capacity`), or Decoded.error when it cannot be read.
 */
export function decodePublishHead(bytes: Uint8Array, start: number, available: number, packet: MqttPacket, capacity: number): number {
  const at = start + packet.headerLength;
  if (packet.type !== PacketType.publish || at + 2 > start + packet.length) return Decoded.error;
  if (at + 2 > start + available) return Decoded.needMore;
  const head = packet.headerLength + 2 + u16(bytes, at) + (((packet.flags >> 1) & 3) > 0 ? 2 : 0);
  if (head > capacity || head > packet.length) return Decoded.error;
  if (head > available) return Decoded.needMore;
  const reason = publish(bytes, at, start + head, packet);
  return reason === MqttError.none ? head : fail(packet, reason);
}

function body(bytes: Uint8Array, at: number, end: number, packet: MqttPacket): number {
  const size = end - at;
  switch (packet.type) {
    case PacketType.connack:
      if (size !== 2) return MqttError.badLength;
      if (((bytes[at] ?? 0) & 0xfe) !== 0) return MqttError.badFlags; // §3.2.2.1: reserved bits
      packet.sessionPresent = bytes[at] === 1;
      packet.returnCode = bytes[at + 1] ?? 0;
      return packet.returnCode > 5 ? MqttError.badReturnCode : MqttError.none;
    case PacketType.publish: return publish(bytes, at, end, packet);
    case PacketType.puback: case PacketType.pubrec: case PacketType.pubrel: case PacketType.pubcomp: case PacketType.unsuback:
      if (size !== 2) return MqttError.badLength;
      packet.packetId = u16(bytes, at);
      return packet.packetId === 0 ? MqttError.zeroPacketId : MqttError.none;
    case PacketType.suback: return suback(bytes, at, end, packet);
    case PacketType.subscribe: return subscribe(bytes, at, end, packet);
    case PacketType.connect: return connect(bytes, at, end, packet);
    case PacketType.unsubscribe: return size >= 5 ? MqttError.none : MqttError.badLength;
    default: return size === 0 ? MqttError.none : MqttError.badLength; // PINGREQ, PINGRESP, DISCONNECT
  }
}

/** A length-prefixed UTF-8 string at `at`; sets topic bounds; returns the offset after it or -1. */
function topicAt(bytes: Uint8Array, at: number, end: number, packet: MqttPacket): number {
  if (at + 2 > end) return -1;
  const length = u16(bytes, at);
  if (at + 2 + length > end) return -1;
  packet.topicStart = at + 2;
  packet.topicLength = length;
  return at + 2 + length;
}

function publish(bytes: Uint8Array, at: number, end: number, packet: MqttPacket): number {
  const flags = packet.flags;
  packet.qos = (flags >> 1) & 3;
  packet.dup = (flags & 8) !== 0;
  packet.retain = (flags & 1) !== 0;
  if (packet.qos === 3 || (packet.qos === 0 && packet.dup)) return MqttError.badFlags; // §3.3.1.2, §3.3.1.1
  at = topicAt(bytes, at, end, packet);
  if (at < 0) return MqttError.badLength;
  if (packet.topicLength === 0) return MqttError.badTopic;
  for (let i = packet.topicStart; i < at; i++) if (bytes[i] === 35 || bytes[i] === 43) return MqttError.badTopic; // # +
  if (!validUtf8(bytes, packet.topicStart, at)) return MqttError.badUtf8;
  if (packet.qos > 0) {
    if (at + 2 > end) return MqttError.badLength;
    packet.packetId = u16(bytes, at);
    if (packet.packetId === 0) return MqttError.zeroPacketId;
    at += 2;
  }
  packet.payloadStart = at;
  packet.payloadLength = end - at;
  return MqttError.none;
}

function suback(bytes: Uint8Array, at: number, end: number, packet: MqttPacket): number {
  if (end - at < 3) return MqttError.badLength;
  packet.packetId = u16(bytes, at);
  if (packet.packetId === 0) return MqttError.zeroPacketId;
  for (let i = at + 2; i < end; i++) {
    const code = bytes[i] ?? 0;
    if (code > 2 && code !== 0x80) return MqttError.badReturnCode;
  }
  packet.returnCode = bytes[at + 2] ?? 0;
  return MqttError.none;
}

function subscribe(bytes: Uint8Array, at: number, end: number, packet: MqttPacket): number {
  if (end - at < 2) return MqttError.badLength;
  packet.packetId = u16(bytes, at);
  if (packet.packetId === 0) return MqttError.zeroPacketId;
  const after = topicAt(bytes, at + 2, end, packet);
  if (after < 0 || after >= end) return MqttError.badLength;
  if (packet.topicLength === 0) return MqttError.badTopic;
  if (!validUtf8(bytes, packet.topicStart, after)) return MqttError.badUtf8;
  packet.qos = bytes[after] ?? 0;
  return packet.qos > 2 ? MqttError.badFlags : MqttError.none;
}

const NAME = Object.freeze([0, 4, 77, 81, 84, 84]); // "MQTT"

function connect(bytes: Uint8Array, at: number, end: number, packet: MqttPacket): number {
  if (end - at < 10) return MqttError.badLength;
  for (let i = 0; i < NAME.length; i++) if (bytes[at + i] !== NAME[i]) return MqttError.badProtocol;
  if (bytes[at + 6] !== 4) return MqttError.badProtocol;
  packet.connectFlags = bytes[at + 7] ?? 0;
  if ((packet.connectFlags & 1) !== 0) return MqttError.badFlags; // §3.1.2.3: reserved
  packet.keepAliveS = u16(bytes, at + 8);
  const after = topicAt(bytes, at + 10, end, packet);
  if (after < 0) return MqttError.badLength;
  if (!validUtf8(bytes, packet.topicStart, after)) return MqttError.badUtf8;
  packet.payloadStart = after;
  packet.payloadLength = end - after;
  return MqttError.none;
}
