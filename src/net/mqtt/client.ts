/**
 * An MQTT 3.1.1 client as a state machine, host-neutral: bytes in (receive), bytes out (MqttTransport.write), time
 * in (poll). QoS 0 and 1 publishing through a bounded queue and in-flight window with retransmission, one
 * subscription, keep-alive with a deadline for PINGRESP, and reconnection with capped, jittered backoff.
 */
import { ascii } from "../ascii.js";
import { decodePacket } from "./decode.js";
import { encodeAck, encodeConnect, encodeEmpty, encodeSubscribe, type ConnectFields } from "./encode.js";
import { Outbox, SUBSCRIBE_ID } from "./outbox.js";
import { Decoded, MQTT_ERROR_COUNT, MqttError, MqttPacket, PacketType } from "./packet.js";
import { Backoff } from "./backoff.js";

/** How the client reaches the broker; a host implements it over its TCP socket. */
export interface MqttTransport {
  /** Opens a connection; the host later calls `connected()` or `closed()`. */
  open(): void;
  /** Sends bytes[start .. start + length) in order; false if the connection cannot take them now. */
  write(bytes: Uint8Array, start: number, length: number): boolean;
  /** Closes the connection; the host reports nothing more about it. */
  close(): void;
}

/** A PUBLISH from the broker on the subscribed filter. */
export interface MqttMessageHandler {
  message(bytes: Uint8Array, topicStart: number, topicLength: number, payloadStart: number, payloadLength: number): void;
}

export interface MqttClientOptions {
  readonly clientId: string;
  readonly username?: string;
  readonly password?: string;
  readonly willTopic?: string;
  readonly willMessage?: string;
  readonly keepAliveS?: number;
  /** A filter subscribed at QoS 1 after every CONNACK. */
  readonly subscribe?: string;
  readonly queueLength?: number;
  readonly window?: number;
  readonly maxPacketBytes?: number;
  /** An unacknowledged QoS 1 packet is sent again (DUP) after this long. */
  readonly retryMs?: number;
  /** Deadline for CONNACK after the connection opens, and for PINGRESP after PINGREQ. */
  readonly responseTimeoutMs?: number;
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
  readonly seed?: number;
}

export const MqttState = Object.freeze({ idle: 0, waiting: 1, opening: 2, connecting: 3, connected: 4, stopped: 5 });

export class MqttClient {
  state: number = MqttState.idle;
  /** PUBLISH packets written (QoS 1 counted once, not per retransmission), PUBACKs matched, retransmissions. */
  published = 0;
  acknowledged = 0;
  retransmitted = 0;
  /** Connections established after the first, and connections lost (closed, refused, timed out). */
  reconnects = 0;
  disconnects = 0;
  /** Broker packets refused, by MqttError; each closed the connection. */
  readonly refused = new Uint32Array(MQTT_ERROR_COUNT);
  keepAliveTimeouts = 0;
  connectTimeouts = 0;
  /** CONNACKs with a non-zero return code; the last code. */
  connectRefusals = 0;
  lastReturnCode = 0;
  /** PUBACKs for no packet in flight (after a reconnect, a late duplicate): counted, harmless. */
  unknownAcks = 0;
  subscribed = false;
  messagesReceived = 0;
  readonly outbox: Outbox;
  readonly #fields: ConnectFields;
  readonly #filter: Uint8Array;
  readonly #packet = new MqttPacket();
  readonly #rx: Uint8Array;
  #rxLength = 0;
  readonly #tx = new Uint8Array(8);
  readonly #control: Uint8Array;
  readonly #backoff: Backoff;
  readonly #retryMs: number;
  readonly #timeoutMs: number;
  #everConnected = false;
  #draining = false;
  #deadlineMs = 0;
  #lastSentMs = 0;
  #pingSentMs = -1;
  handler: MqttMessageHandler | undefined;

  constructor(readonly transport: MqttTransport, options: MqttClientOptions) {
    const max = options.maxPacketBytes ?? 512;
    const none = new Uint8Array(0);
    this.#fields = Object.freeze({ clientId: ascii(options.clientId), username: options.username === undefined ? none : ascii(options.username),
      password: options.password === undefined ? none : ascii(options.password), willTopic: options.willTopic === undefined ? none : ascii(options.willTopic),
      willMessage: options.willMessage === undefined ? none : ascii(options.willMessage), willQos: 1, willRetain: false,
      keepAliveS: options.keepAliveS ?? 30, cleanSession: true });
    this.#filter = options.subscribe === undefined ? none : ascii(options.subscribe);
    this.outbox = new Outbox(options.queueLength ?? 16, options.window ?? 4, max);
    this.#rx = new Uint8Array(max);
    this.#control = new Uint8Array(max);
    this.#retryMs = options.retryMs ?? 5000;
    this.#timeoutMs = options.responseTimeoutMs ?? 5000;
    this.#backoff = new Backoff(options.backoffBaseMs ?? 500, options.backoffCapMs ?? 30_000, options.seed ?? 1);
  }

  get keepAliveMs(): number {
    return this.#fields.keepAliveS * 1000;
  }

  /** Starts connecting on the next poll. */
  start(nowMs: number): void {
    if (this.state === MqttState.idle) this.#wait(nowMs, 0);
  }

  /** Queues a PUBLISH; false (counted in outbox.dropped) when it cannot be queued. Never blocks. */
  publish(topic: Uint8Array, payload: Uint8Array, start: number, length: number, qos: number, nowMs: number): boolean {
    if (!this.outbox.tryEnqueue(topic, payload, start, length, qos)) return false;
    this.#flush(nowMs);
    return true;
  }

  /** The host's connection opened: CONNECT goes out, CONNACK is due within the response deadline. */
  connected(nowMs: number): void {
    if (this.state !== MqttState.opening) return;
    this.state = MqttState.connecting;
    this.#rxLength = 0;
    this.#deadlineMs = nowMs + this.#timeoutMs;
    this.#send(encodeConnect(this.#control, 0, this.#fields), nowMs);
  }

  /** The connection closed or could not be opened. */
  closed(nowMs: number): void {
    if (this.state === MqttState.opening || this.state === MqttState.connecting || this.state === MqttState.connected) this.#lose(nowMs);
  }

  /** Bytes from the broker. */
  receive(bytes: Uint8Array, start: number, length: number, nowMs: number): void {
    let i = 0;
    while (i < length) {
      if (this.state !== MqttState.connecting && this.state !== MqttState.connected) return;
      const room = this.#rx.length - this.#rxLength;
      if (room === 0) return this.#refuse(MqttError.oversized, nowMs);
      const take = Math.min(room, length - i);
      for (let k = 0; k < take; k++) this.#rx[this.#rxLength + k] = bytes[start + i + k] ?? 0;
      this.#rxLength += take;
      i += take;
      // A reply that arrives while a packet is being handled (a transport that answers at once) is only appended:
      // the drain under way reaches it.
      if (!this.#draining) this.#drain(nowMs);
    }
  }

  #drain(nowMs: number): void {
    this.#draining = true;
    try {
      let at = 0;
      while (at < this.#rxLength) {
        const taken = decodePacket(this.#rx, at, this.#rxLength - at, this.#packet, this.#rx.length);
        if (taken === Decoded.needMore) break;
        if (taken === Decoded.error) return this.#refuse(this.#packet.error, nowMs);
        at += taken;
        this.#handle(nowMs);
        if (this.state !== MqttState.connected && this.state !== MqttState.connecting) return;
      }
      this.#rx.copyWithin(0, at, this.#rxLength);
      this.#rxLength -= at;
    } finally {
      this.#draining = false;
    }
  }

  #handle(nowMs: number): void {
    const packet = this.#packet;
    const type = packet.type;
    if (this.state === MqttState.connecting) {
      if (type !== PacketType.connack) return this.#refuse(MqttError.unexpectedType, nowMs);
      return this.#connack(nowMs);
    }
    if (type === PacketType.puback) {
      if (this.outbox.acknowledge(packet.packetId)) this.acknowledged++;
      else this.unknownAcks++;
      this.#flush(nowMs);
    } else if (type === PacketType.publish && packet.qos < 2) {
      if (packet.qos === 1) this.#send(encodeAck(this.#tx, 0, PacketType.puback, packet.packetId), nowMs, this.#tx);
      this.messagesReceived++;
      this.handler?.message(this.#rx, packet.topicStart, packet.topicLength, packet.payloadStart, packet.payloadLength);
    } else if (type === PacketType.pingresp) this.#pingSentMs = -1;
    else if (type === PacketType.suback) this.subscribed = packet.returnCode !== 0x80;
    else if (type !== PacketType.unsuback) this.#refuse(MqttError.unexpectedType, nowMs);
  }

  #connack(nowMs: number): void {
    this.lastReturnCode = this.#packet.returnCode;
    if (this.#packet.returnCode !== 0) {
      this.connectRefusals++;
      return this.#drop(nowMs);
    }
    this.state = MqttState.connected;
    if (this.#everConnected) this.reconnects++;
    this.#everConnected = true;
    this.#backoff.reset();
    this.#pingSentMs = -1;
    this.subscribed = false;
    if (this.#filter.length > 0) this.#send(encodeSubscribe(this.#control, 0, SUBSCRIBE_ID, this.#filter, 1), nowMs);
    // In-flight packets go again, marked DUP: the broker may or may not have them (at least once, §4.4).
    for (let slot = 0; slot < this.outbox.windowIds.length; slot++) if (this.outbox.windowIds[slot] !== 0) this.#resend(slot, nowMs);
    this.#flush(nowMs);
  }

  /** Deadlines: reconnect, CONNACK, PINGRESP, keep-alive, retransmission. Call it often (every 100 ms or so). */
  poll(nowMs: number): void {
    if (this.state === MqttState.waiting && nowMs >= this.#deadlineMs) {
      this.state = MqttState.opening;
      this.#deadlineMs = nowMs + this.#timeoutMs;
      this.transport.open();
    } else if ((this.state === MqttState.opening || this.state === MqttState.connecting) && nowMs >= this.#deadlineMs) {
      this.connectTimeouts++;
      this.#drop(nowMs);
    } else if (this.state === MqttState.connected) this.#connectedPoll(nowMs);
  }

  #connectedPoll(nowMs: number): void {
    if (this.#pingSentMs >= 0 && nowMs - this.#pingSentMs >= this.#timeoutMs) {
      this.keepAliveTimeouts++;
      return this.#drop(nowMs);
    }
    for (let slot = 0; slot < this.outbox.windowIds.length; slot++) {
      if (this.outbox.windowIds[slot] !== 0 && nowMs - (this.outbox.windowSentAt[slot] ?? 0) >= this.#retryMs) this.#resend(slot, nowMs);
    }
    this.#flush(nowMs);
    const keepAliveMs = this.keepAliveMs;
    if (keepAliveMs > 0 && this.#pingSentMs < 0 && nowMs - this.#lastSentMs >= keepAliveMs) {
      this.#pingSentMs = nowMs;
      this.#send(encodeEmpty(this.#tx, 0, PacketType.pingreq), nowMs, this.#tx);
    }
  }

  /** Sends DISCONNECT when connected, closes, and stays stopped. */
  stop(nowMs: number): void {
    if (this.state === MqttState.connected) this.#send(encodeEmpty(this.#tx, 0, PacketType.disconnect), nowMs, this.#tx);
    if (this.state === MqttState.opening || this.state === MqttState.connecting || this.state === MqttState.connected) this.transport.close();
    this.state = MqttState.stopped;
  }

  #flush(nowMs: number): void {
    const outbox = this.outbox;
    while (this.state === MqttState.connected) {
      const front = outbox.front();
      if (front === undefined) return;
      if (!outbox.frontIsQos1()) {
        if (!this.transport.write(front, 0, outbox.frontLength())) return;
        this.#lastSentMs = nowMs;
        outbox.pop();
      } else {
        const slot = outbox.admitFront(nowMs);
        if (slot < 0) return;
        this.#write(outbox.windowPacket(slot), outbox.windowLength(slot), nowMs);
      }
      this.published++;
    }
  }

  #resend(slot: number, nowMs: number): void {
    this.outbox.resend(slot, nowMs);
    this.retransmitted++;
    this.#write(this.outbox.windowPacket(slot), this.outbox.windowLength(slot), nowMs);
  }

  #send(end: number, nowMs: number, buffer: Uint8Array = this.#control): void {
    if (end > 0) this.#write(buffer, end, nowMs);
  }

  #write(bytes: Uint8Array | undefined, length: number, nowMs: number): void {
    if (bytes === undefined) return;
    this.transport.write(bytes, 0, length);
    this.#lastSentMs = nowMs;
  }

  #refuse(reason: number, nowMs: number): void {
    this.refused[reason] = (this.refused[reason] ?? 0) + 1;
    this.#drop(nowMs);
  }

  /** Closes our side, then waits out the backoff. */
  #drop(nowMs: number): void {
    this.transport.close();
    this.#lose(nowMs);
  }

  #lose(nowMs: number): void {
    this.disconnects++;
    this.#rxLength = 0;
    this.#wait(nowMs, this.#backoff.nextMs());
  }

  #wait(nowMs: number, delayMs: number): void {
    this.state = MqttState.waiting;
    this.#deadlineMs = nowMs + delayMs;
  }
}
