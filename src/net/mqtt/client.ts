/**
 * An MQTT 3.1.1 client as a state machine, host-neutral: bytes in (receive), bytes out (MqttTransport.write), time
 * in (poll). QoS 0 and 1 publishing through a bounded queue and in-flight window with retransmission, subscriptions
 * retried when refused, presence (a retained birth, the will, and the will's message before a clean DISCONNECT),
 * liveness from what the broker sends, and reconnection with capped, jittered backoff.
 */
import { ascii } from "../ascii.js";
import { encodeAck, encodeConnect, encodeEmpty, encodePublish, encodeSubscribe, type ConnectFields } from "./encode.js";
import { Inbound, type InboundHandler } from "./inbound.js";
import { DropReason, Outbox } from "./outbox.js";
import { CONNACK_CODE_COUNT, INBOUND_DROP_NAMES, InboundDrop, MQTT_ERROR_COUNT, MqttError, PacketId, PacketType, type MqttPacket } from "./packet.js";
import { PoisonWatch } from "./poison.js";
import { Subscription, Subscriptions } from "./subscriptions.js";
import { Backoff } from "./backoff.js";
import type { MqttClientOptions, MqttMessageHandler, MqttTransport } from "./client-options.js";

export type { MqttClientOptions, MqttMessageHandler, MqttTransport } from "./client-options.js";

export const MqttState = Object.freeze({ idle: 0, waiting: 1, opening: 2, connecting: 3, connected: 4, stopped: 5 });

export class MqttClient implements InboundHandler {
  state: number = MqttState.idle;
  /** PUBLISH packets written (QoS 1 counted once, not per retransmission), PUBACKs matched, retransmissions. */
  published = 0;
  acknowledged = 0;
  retransmitted = 0;
  /** Connections accepted (CONNACK 0); those after the first; connections lost (closed, refused, timed out). */
  connections = 0;
  reconnects = 0;
  disconnects = 0;
  /** Broker packets refused, by MqttError; each closed the connection. */
  readonly refused = new Uint32Array(MQTT_ERROR_COUNT);
  /** Broker packets read through and discarded, by InboundDrop; the connection stays. */
  readonly inboundDropped = new Uint32Array(INBOUND_DROP_NAMES.length);
  keepAliveTimeouts = 0;
  connectTimeouts = 0;
  /** CONNACKs by return code (0 accepted, 1–5 refused), their refusals, and the last code (-1: none yet). */
  readonly connacks = new Uint32Array(CONNACK_CODE_COUNT);
  connectRefusals = 0;
  lastReturnCode = -1;
  /** PUBACKs for no packet in flight (after a reconnect, a late duplicate): counted, harmless. */
  unknownAcks = 0;
  messagesReceived = 0;
  readonly outbox: Outbox;
  readonly subscriptions: Subscriptions;
  readonly poison = new PoisonWatch();
  handler: MqttMessageHandler | undefined;
  readonly #fields: ConnectFields;
  readonly #inbound: Inbound;
  readonly #tx = new Uint8Array(8);
  readonly #control: Uint8Array;
  /** Presence: the birth and the will's message as retained QoS 1 PUBLISH packets, encoded once (length 0: none). */
  readonly #birth: Uint8Array;
  readonly #death: Uint8Array;
  readonly #backoff: Backoff;
  readonly #retryMs: number;
  readonly #timeoutMs: number;
  readonly #stableMs: number;
  #stable = false;
  #connectedAtMs = 0;
  #deadlineMs = 0;
  #lastSentMs = 0;
  #lastReceivedMs = 0;
  #pingSentMs = -1;

  constructor(readonly transport: MqttTransport, options: MqttClientOptions) {
    const max = options.maxPacketBytes ?? 512;
    const bytes = (text: string | undefined): Uint8Array => ascii(text ?? "");
    this.#fields = Object.freeze({ clientId: ascii(options.clientId), username: bytes(options.username), password: bytes(options.password),
      willTopic: bytes(options.willTopic), willMessage: bytes(options.willMessage), willQos: 1, willRetain: options.willRetain === true,
      keepAliveS: options.keepAliveS ?? 30, cleanSession: true });
    const filters = options.subscribe === undefined ? [] : typeof options.subscribe === "string" ? [options.subscribe] : options.subscribe;
    this.subscriptions = new Subscriptions(filters, options.backoffBaseMs ?? 500, options.backoffCapMs ?? 30_000, options.seed ?? 1);
    this.outbox = new Outbox(options.queueLength ?? 16, options.window ?? 4, max, options.maxPublishBytes ?? max);
    this.#inbound = new Inbound(max, this);
    this.#control = new Uint8Array(max);
    const presence = options.birthMessage !== undefined && this.#fields.willTopic.length > 0;
    this.#birth = presence ? this.#presencePacket(bytes(options.birthMessage)) : new Uint8Array(0);
    this.#death = presence ? this.#presencePacket(this.#fields.willMessage) : new Uint8Array(0);
    this.#retryMs = options.retryMs ?? 5000;
    this.#timeoutMs = options.responseTimeoutMs ?? 5000;
    this.#stableMs = options.stableMs ?? 10_000;
    this.#backoff = new Backoff(options.backoffBaseMs ?? 500, options.backoffCapMs ?? 30_000, options.seed ?? 1);
  }

  #presencePacket(message: Uint8Array): Uint8Array {
    const topic = this.#fields.willTopic;
    const packet = new Uint8Array(topic.length + message.length + 16);
    const end = encodePublish(packet, 0, topic, message, 0, message.length, 1, true, PacketId.presence);
    return packet.subarray(0, end);
  }

  get keepAliveMs(): number {
    return this.#fields.keepAliveS * 1000;
  }

  /** True when every filter has been granted on this connection. */
  get subscribed(): boolean {
    return this.state === MqttState.connected && this.subscriptions.granted;
  }

  /** Starts connecting on the next poll. */
  start(nowMs: number): void {
    if (this.state === MqttState.idle) this.#wait(nowMs, 0);
  }

  /** Queues a PUBLISH; false (counted in outbox.dropped) when it cannot be queued. Never blocks. */
  publish(topic: Uint8Array, payload: Uint8Array, start: number, length: number, qos: number, nowMs: number): boolean {
    return this.publishOn(topic, 0, topic.length, payload, start, length, qos, false, nowMs);
  }

  /** publish() on topic[topicStart .. +topicLength), retained or not. */
  publishOn(topic: Uint8Array, topicStart: number, topicLength: number, payload: Uint8Array, start: number, length: number,
    qos: number, retain: boolean, nowMs: number): boolean {
    if (!this.outbox.tryEnqueue(topic, topicStart, topicLength, payload, start, length, qos, retain)) return false;
    this.#flush(nowMs);
    return true;
  }

  /** The host's connection opened: CONNECT goes out, CONNACK is due within the response deadline. */
  connected(nowMs: number): void {
    if (this.state !== MqttState.opening) return;
    this.state = MqttState.connecting;
    this.#inbound.open();
    this.#lastReceivedMs = nowMs;
    this.#deadlineMs = nowMs + this.#timeoutMs;
    this.#send(encodeConnect(this.#control, 0, this.#fields), nowMs);
  }

  /** The connection closed or could not be opened. */
  closed(nowMs: number): void {
    if (this.state === MqttState.connected) this.poison.closedByBroker(this.outbox);
    if (this.state === MqttState.opening || this.state === MqttState.connecting || this.state === MqttState.connected) this.#lose(nowMs);
  }

  /** Bytes from the broker: any of them shows it is alive. */
  receive(bytes: Uint8Array, start: number, length: number, nowMs: number): void {
    if (this.state !== MqttState.connecting && this.state !== MqttState.connected) return;
    this.#lastReceivedMs = nowMs;
    this.#pingSentMs = -1;
    this.#inbound.take(bytes, start, length, nowMs);
  }

  /** InboundHandler: one whole packet; false once the connection is closed. */
  packet(packet: MqttPacket, nowMs: number): boolean {
    const type = packet.type;
    if (this.state === MqttState.connecting) {
      if (type !== PacketType.connack) this.malformed(MqttError.unexpectedType, nowMs);
      else this.#connack(packet.returnCode, nowMs);
    } else if (type === PacketType.puback) this.#puback(packet.packetId, nowMs);
    else if (type === PacketType.publish && packet.qos < 2) {
      if (packet.qos === 1) this.#send(encodeAck(this.#tx, 0, PacketType.puback, packet.packetId), nowMs, this.#tx);
      this.messagesReceived++;
      this.handler?.message(this.#inbound.bytes, packet.topicStart, packet.topicLength, packet.payloadStart, packet.payloadLength);
    } else if (type === PacketType.suback) this.subscriptions.suback(packet.packetId, packet.returnCode, nowMs);
    else if (type !== PacketType.pingresp && type !== PacketType.unsuback) this.malformed(MqttError.unexpectedType, nowMs);
    return this.state === MqttState.connected;
  }

  /** InboundHandler: a packet larger than the receive buffer, acknowledged if it is a QoS 1 PUBLISH, then discarded. */
  oversized(packet: MqttPacket, headKnown: boolean, nowMs: number): boolean {
    if (this.state !== MqttState.connected) {
      this.malformed(MqttError.oversized, nowMs);
      return false;
    }
    this.inboundDropped[InboundDrop.tooLarge] = (this.inboundDropped[InboundDrop.tooLarge] ?? 0) + 1;
    if (headKnown && packet.qos === 1) this.#send(encodeAck(this.#tx, 0, PacketType.puback, packet.packetId), nowMs, this.#tx);
    if (packet.type === PacketType.publish) this.handler?.tooLarge?.(this.#inbound.bytes, packet.topicStart, headKnown ? packet.topicLength : 0, packet.length);
    return this.state === MqttState.connected;
  }

  /** InboundHandler: a packet that breaks the specification closes the connection, counted by reason. */
  malformed(reason: number, nowMs: number): void {
    this.refused[reason] = (this.refused[reason] ?? 0) + 1;
    this.#drop(nowMs);
  }

  /** A presence message, outside the queue and window: counted as published, its PUBACK as acknowledged. */
  #presence(packet: Uint8Array, nowMs: number): void {
    this.#write(packet, packet.length, nowMs);
    this.published++;
  }

  #puback(id: number, nowMs: number): void {
    if (id === PacketId.presence) {
      this.acknowledged++;
      this.poison.acknowledged(0, this.#birth.length);
      return;
    }
    const slot = this.outbox.acknowledge(id);
    if (slot < 0) {
      this.unknownAcks++;
      return;
    }
    this.acknowledged++;
    this.poison.acknowledged(this.outbox.windowSeq[slot] ?? 0, this.outbox.windowLength(slot));
    this.#becameStable();
    this.#flush(nowMs);
  }

  #connack(code: number, nowMs: number): void {
    this.connacks[code] = (this.connacks[code] ?? 0) + 1;
    this.lastReturnCode = code;
    if (code !== 0) {
      this.connectRefusals++;
      return this.#drop(nowMs);
    }
    this.state = MqttState.connected;
    if (this.connections > 0) this.reconnects++;
    this.connections++;
    this.#connectedAtMs = nowMs;
    this.#stable = false; // the backoff starts again only once this connection proves itself
    this.#pingSentMs = -1;
    if (this.#birth.length > 0) this.#presence(this.#birth, nowMs);
    this.subscriptions.connected();
    this.#subscribePending(nowMs);
    // In-flight packets go again, marked DUP, in the order first sent: the broker may or may not have them (§4.4);
    // not those at least as large as the limit learned since they were sent.
    const outbox = this.outbox;
    for (let slot = outbox.nextBySeq(0); slot >= 0; slot = outbox.nextBySeq(outbox.windowSeq[slot] ?? 0)) {
      if (outbox.windowLength(slot) >= this.poison.limitBytes) outbox.discard(slot, DropReason.brokerLimit);
      else this.#resend(slot, nowMs);
    }
    this.#flush(nowMs);
  }

  #subscribePending(nowMs: number): void {
    const filters = this.subscriptions.filters;
    for (let k = 0; k < filters.length; k++) {
      if (this.subscriptions.states[k] !== Subscription.pending) continue;
      this.#send(encodeSubscribe(this.#control, 0, Subscriptions.id(k), filters[k] as Uint8Array, 1), nowMs);
    }
  }

  #becameStable(): void {
    if (this.#stable) return;
    this.#stable = true;
    this.#backoff.reset();
  }

  /** Deadlines: reconnect, CONNACK, liveness, keep-alive, retransmission, subscription retries. Call it often (every 100 ms). */
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
    if (nowMs - this.#connectedAtMs >= this.#stableMs) this.#becameStable();
    const overdue = this.#retransmitDue(nowMs);
    this.#flush(nowMs);
    if (this.subscriptions.retryDue(nowMs)) this.#subscribePending(nowMs);
    // Liveness is what the broker sends: a client that only publishes hears nothing back at QoS 0, so it asks after a
    // keep-alive period. A PUBACK overdue with nothing heard for the retry interval means the broker owes an answer:
    // it is asked at once, so a dead broker is found within retry + response deadline, not the keep-alive's.
    const owed = overdue && nowMs - this.#lastReceivedMs >= this.#retryMs;
    const keepAliveMs = this.keepAliveMs;
    const idle = keepAliveMs > 0 && (nowMs - this.#lastReceivedMs >= keepAliveMs || nowMs - this.#lastSentMs >= keepAliveMs);
    if (this.#pingSentMs < 0 && (idle || owed)) {
      this.#pingSentMs = nowMs;
      this.#send(encodeEmpty(this.#tx, 0, PacketType.pingreq), nowMs, this.#tx);
    }
  }

  /** Sends again, marked DUP, each packet in flight unacknowledged for the retry interval; true if there was one. */
  #retransmitDue(nowMs: number): boolean {
    const outbox = this.outbox;
    let any = false;
    for (let slot = 0; slot < outbox.windowIds.length; slot++) {
      if (outbox.windowIds[slot] !== 0 && nowMs - (outbox.windowSentAt[slot] ?? 0) >= this.#retryMs) {
        this.#resend(slot, nowMs);
        any = true;
      }
    }
    return any;
  }

  /** Publishes the will's message (with presence) and DISCONNECT when connected, closes, and stays stopped. */
  stop(nowMs: number): void {
    if (this.state === MqttState.connected) {
      if (this.#death.length > 0) this.#presence(this.#death, nowMs);
      this.#send(encodeEmpty(this.#tx, 0, PacketType.disconnect), nowMs, this.#tx);
    }
    if (this.state === MqttState.opening || this.state === MqttState.connecting || this.state === MqttState.connected) this.transport.close();
    this.#inbound.close();
    this.state = MqttState.stopped;
  }

  #flush(nowMs: number): void {
    const outbox = this.outbox;
    while (this.state === MqttState.connected) {
      const front = outbox.front();
      if (front === undefined) return;
      if (outbox.frontLength() >= this.poison.limitBytes) {
        outbox.dropFront(DropReason.brokerLimit);
        continue;
      }
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

  /** Closes our side, then waits out the backoff. */
  #drop(nowMs: number): void {
    this.transport.close();
    this.#lose(nowMs);
  }

  #lose(nowMs: number): void {
    this.disconnects++;
    this.#inbound.close();
    this.#wait(nowMs, this.#backoff.nextMs());
  }

  #wait(nowMs: number, delayMs: number): void {
    this.state = MqttState.waiting;
    this.#deadlineMs = nowMs + delayMs;
  }
}
