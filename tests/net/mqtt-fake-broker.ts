/**
 * A broker's side of one client connection, in process: decodes what the client writes and answers with packets
 * encoded by the same module. Counts without allocating, so allocation guards can run through it.
 */
import { asText } from "../../src/net/ascii.js";
import {
  Decoded, MqttPacket, PacketType, decodePacket, encodeAck, encodeConnack, encodeEmpty, encodeSuback, encodePublish, type MqttClient,
  type MqttTransport,
} from "../../src/net/mqtt/index.js";

export class FakeBroker implements MqttTransport {
  client: MqttClient | undefined;
  opens = 0;
  closes = 0;
  /** Packets the client wrote, by type; the last PUBLISH's id, DUP and QoS. */
  readonly received = new Uint32Array(16);
  lastId = 0;
  lastDup = false;
  lastQos = 0;
  duplicates = 0;
  /** Answer CONNACK, SUBACK, PINGREQ and PUBACK by itself. */
  autoConnack = true;
  /** The CONNACK return code and SUBACK code it answers with. */
  connackCode = 0;
  subackCode = 1;
  /**
   * A PUBLISH longer than this (bytes) kills the connection, as mosquitto's max_packet_size does: `dead` turns true,
   * later writes are ignored, and the test reports the close with `closeIfDead()`.
   */
  refuseLargerThan = Infinity;
  dead = false;
  /** The last CONNECT's flags; the retain flag of each PUBLISH, when `keepIds`. */
  connectFlags = 0;
  readonly retained: boolean[] = [];
  autoAck = true;
  autoPing = true;
  /** Ids of PUBLISH packets written, when `keepIds` (allocates: not for guarded loops). */
  keepIds = false;
  readonly ids: number[] = [];
  /** Topic and payload text of each PUBLISH, when `keepIds`. */
  readonly messages: Array<readonly [string, string]> = [];
  nowMs = 0;
  readonly #packet = new MqttPacket();
  readonly #out = new Uint8Array(2048);
  #last: Uint8Array = new Uint8Array(0);

  open(): void {
    this.opens++;
  }

  close(): void {
    this.closes++;
  }

  write(bytes: Uint8Array, start: number, length: number): boolean {
    if (this.dead) return true;
    const taken = decodePacket(bytes, start, length, this.#packet, 4096);
    this.#last = bytes;
    if (taken !== length) throw new Error(`the client wrote a packet that does not decode (${taken} of ${length})`);
    const p = this.#packet;
    this.received[p.type] = (this.received[p.type] ?? 0) + 1;
    if (p.type === PacketType.publish && length > this.refuseLargerThan) this.dead = true;
    else if (p.type === PacketType.publish) this.#publish(p);
    else if (p.type === PacketType.connect) {
      this.connectFlags = p.connectFlags;
      if (this.autoConnack) this.answer(encodeConnack(this.#out, 0, false, this.connackCode));
    } else if (p.type === PacketType.subscribe) this.answer(encodeSuback(this.#out, 0, p.packetId, this.subackCode));
    else if (p.type === PacketType.pingreq && this.autoPing) this.answer(encodeEmpty(this.#out, 0, PacketType.pingresp));
    return true;
  }

  #publish(p: MqttPacket): void {
    this.lastId = p.packetId;
    this.lastDup = p.dup;
    this.lastQos = p.qos;
    if (p.dup) this.duplicates++;
    if (this.keepIds) {
      this.ids.push(p.packetId);
      this.messages.push([asText(this.#last, p.topicStart, p.topicLength), asText(this.#last, p.payloadStart, p.payloadLength)]);
      this.retained.push(p.retain);
    }
    if (p.qos === 1 && this.autoAck) this.answer(encodeAck(this.#out, 0, PacketType.puback, p.packetId));
  }

  /** Sends the client #out[0 .. end). */
  answer(end: number): void {
    this.client?.receive(this.#out, 0, end, this.nowMs);
  }

  /** Sends the client arbitrary bytes. */
  send(bytes: Uint8Array): void {
    this.client?.receive(bytes, 0, bytes.length, this.nowMs);
  }

  /** Sends the client a PUBLISH (QoS 0) of `text` on `topic`. */
  publish(topic: Uint8Array, text: Uint8Array): void {
    this.answer(encodePublish(this.#out, 0, topic, text, 0, text.length, 0, false, 0));
  }

  /** Sends the client a PUBLISH of `text` on `topic` at `qos` (id 7 at QoS 1), retained or not. */
  publishAt(topic: Uint8Array, text: Uint8Array, qos: number, retain: boolean): void {
    this.answer(encodePublish(this.#out, 0, topic, text, 0, text.length, qos, retain, 7));
  }

  /** The connection the broker killed closes, as the client's host reports it. */
  closeIfDead(nowMs: number): boolean {
    if (!this.dead) return false;
    this.dead = false;
    this.client?.closed(nowMs);
    return true;
  }

  /** Sends PUBACK for `id`. */
  ack(id: number): void {
    this.answer(encodeAck(this.#out, 0, PacketType.puback, id));
  }

  count(type: number): number {
    return this.received[type] ?? 0;
  }
}

export { Decoded };
