/**
 * MQTT 3.1.1 (OASIS, 2014; https://docs.oasis-open.org/mqtt/mqtt/v3.1.1/os/mqtt-v3.1.1-os.html): packet types,
 * reasons a packet is refused, and the fixed-shape record a decoded packet fills. Numeric codes throughout: on XS a
 * string literal on a hot path allocates.
 */

/** Control packet types, §2.2.1. */
export const PacketType = Object.freeze({
  connect: 1, connack: 2, publish: 3, puback: 4, pubrec: 5, pubrel: 6, pubcomp: 7, subscribe: 8, suback: 9,
  unsubscribe: 10, unsuback: 11, pingreq: 12, pingresp: 13, disconnect: 14,
});

/** Why a packet was refused; the client counts each and closes the connection. */
export const MqttError = Object.freeze({
  none: 0,
  /** Type 0 or 15 (§2.2.1). */
  reservedType: 1,
  /** Fixed-header flags other than the type requires (§2.2.2), or PUBLISH QoS 3 / DUP at QoS 0. */
  badFlags: 2,
  /** A Remaining Length longer than four bytes (§2.2.3). */
  badRemainingLength: 3,
  /** Larger than the receive buffer: read through and discarded by the client, unless it is still connecting. */
  oversized: 4,
  /** A length that does not fit the packet's type (e.g. CONNACK not 2). */
  badLength: 5,
  /** A CONNACK return code above 5, or a SUBACK code other than 0, 1, 2, 0x80. */
  badReturnCode: 6,
  /** Packet identifier 0 where one is required (§2.3.1). */
  zeroPacketId: 7,
  /** An empty topic, a wildcard in a PUBLISH topic, or U+0000 (§4.7). */
  badTopic: 8,
  /** A string that is not well-formed UTF-8 (§1.5.3). */
  badUtf8: 9,
  /** CONNECT with another protocol name or level (§3.1.2). */
  badProtocol: 10,
  /** A packet a broker never sends to a client (or QoS 2 flow we never asked for). */
  unexpectedType: 11,
});
export const MQTT_ERROR_COUNT = 12;
export const MQTT_ERROR_NAMES: readonly string[] = Object.freeze([
  "none", "reserved-type", "bad-flags", "bad-remaining-length", "oversized", "bad-length", "bad-return-code",
  "zero-packet-id", "bad-topic", "bad-utf8", "bad-protocol", "unexpected-type",
]);

/** Why an inbound packet was read through and discarded without closing the connection. */
export const InboundDrop = Object.freeze({ tooLarge: 0 });
export const INBOUND_DROP_NAMES: readonly string[] = Object.freeze(["too-large"]);

/** CONNACK return codes (§3.2.2.3, table 3.1): 0 accepted, 1–5 refusals. */
export const CONNACK_CODE_COUNT = 6;
export const CONNACK_MEANINGS: readonly string[] = Object.freeze(["accepted", "unacceptable protocol version",
  "identifier rejected", "server unavailable", "bad user name or password", "not authorized"]);

/**
 * Packet identifiers (§2.3.1): PUBLISH takes 1 to `lastPublish`; the ones above are the client's own, so a late
 * acknowledgement after a reconnect can never be taken for another packet's.
 */
export const PacketId = Object.freeze({ lastPublish: 65519, presence: 65520, subscribe: 65535 });
/** Filters a client subscribes to at most: SUBSCRIBE of filter k carries PacketId.subscribe − k. */
export const MAX_FILTERS = 8;

/** Result of decoding: bytes taken (> 0), or one of these. */
export const Decoded = Object.freeze({ needMore: 0, error: -1 });

/** One decoded packet: bounds into the caller's buffer, never copies. Fixed shape, reused for every packet. */
export class MqttPacket {
  type = 0;
  flags = 0;
  /** The whole packet's size and its fixed header's, once the fixed header is read (set for an oversized one too). */
  length = 0;
  headerLength = 0;
  qos = 0;
  dup = false;
  retain = false;
  packetId = 0;
  /** CONNACK: session present and return code; SUBACK: the first granted QoS (or 0x80). */
  sessionPresent = false;
  returnCode = 0;
  /** PUBLISH topic, SUBSCRIBE's first filter, CONNECT's client id. */
  topicStart = 0;
  topicLength = 0;
  payloadStart = 0;
  payloadLength = 0;
  /** CONNECT only. */
  keepAliveS = 0;
  connectFlags = 0;
  error: number = MqttError.none;

  clear(): this {
    this.type = 0;
    this.flags = 0;
    this.length = 0;
    this.headerLength = 0;
    this.qos = 0;
    this.dup = false;
    this.retain = false;
    this.packetId = 0;
    this.sessionPresent = false;
    this.returnCode = 0;
    this.topicStart = 0;
    this.topicLength = 0;
    this.payloadStart = 0;
    this.payloadLength = 0;
    this.keepAliveS = 0;
    this.connectFlags = 0;
    this.error = MqttError.none;
    return this;
  }
}
