/** What an MQTT client is given: its transport, its handler of inbound messages, and its options (client.ts). */

/** How the client reaches the broker; a host implements it over its TCP socket. */
export interface MqttTransport {
  /** Opens a connection; the host later calls `connected()` or `closed()`. */
  open(): void;
  /** Sends bytes[start .. start + length) in order; false if the connection cannot take them now. */
  write(bytes: Uint8Array, start: number, length: number): boolean;
  /** Closes the connection; the host reports nothing more about it. */
  close(): void;
}

/** PUBLISH packets from the broker on a subscribed filter. */
export interface MqttMessageHandler {
  message(bytes: Uint8Array, topicStart: number, topicLength: number, payloadStart: number, payloadLength: number): void;
  /** One too large for the receive buffer, read through unseen; its topic when it could be read (length 0 if not). */
  tooLarge?(bytes: Uint8Array, topicStart: number, topicLength: number, packetBytes: number): void;
}

export interface MqttClientOptions {
  readonly clientId: string;
  readonly username?: string;
  readonly password?: string;
  readonly willTopic?: string;
  readonly willMessage?: string;
  /** The will is retained (so a subscriber arriving later still learns of the loss). */
  readonly willRetain?: boolean;
  /** Published retained on the will topic after every CONNACK; the will's message then goes before a clean DISCONNECT. */
  readonly birthMessage?: string;
  readonly keepAliveS?: number;
  /** Filters subscribed at QoS 1 after every CONNACK. */
  readonly subscribe?: string | readonly string[];
  readonly queueLength?: number;
  readonly window?: number;
  /** Size of each queue and window slot, and of the receive buffer. */
  readonly maxPacketBytes?: number;
  /** Publishes whose packet is longer are refused (too-large): the broker's limit, when known. */
  readonly maxPublishBytes?: number;
  /** An unacknowledged QoS 1 packet is sent again (DUP) after this long. */
  readonly retryMs?: number;
  /** Deadline for CONNACK after the connection opens, and for any packet after PINGREQ. */
  readonly responseTimeoutMs?: number;
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
  /** The backoff starts again only after a PUBACK, or after a connection has stayed up this long. */
  readonly stableMs?: number;
  readonly seed?: number;
}
