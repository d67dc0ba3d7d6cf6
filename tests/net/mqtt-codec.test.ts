import { ascii, asText } from "../../src/net/ascii.js";
import {
  Decoded, MqttError, MqttPacket, PacketType, decodePacket, encodeAck, encodeConnack, encodeConnect, encodeEmpty,
  encodePublish, encodeSuback, encodeSubscribe, markDuplicate, validUtf8,
} from "../../src/net/mqtt/index.js";
import { expectNoAllocation } from "../support/alloc-guard.js";
import * as assert from "../support/assert.js";
import { forAllSeeds } from "../support/random.js";

const MAX = 512;

function decodeAll(bytes: Uint8Array, length: number, packet: MqttPacket): number {
  return decodePacket(bytes, 0, length, packet, MAX);
}

function refused(bytes: number[], reason: number): void {
  const packet = new MqttPacket();
  const buffer = Uint8Array.from(bytes);
  assert.equal(decodeAll(buffer, buffer.length, packet), Decoded.error, `[${bytes.join(",")}] refused`);
  assert.equal(packet.error, reason, `[${bytes.join(",")}] reason`);
}

describe("MQTT 3.1.1 packets (encode into, decode from preallocated buffers)", () => {
  it("encodes CONNECT with client id, credentials, keep-alive and will, byte for byte (§3.1)", () => {
    const out = new Uint8Array(128);
    const end = encodeConnect(out, 0, { clientId: ascii("dev1"), username: ascii("u"), password: ascii("pw"),
      willTopic: ascii("w/t"), willMessage: ascii("gone"), willQos: 1, willRetain: true, keepAliveS: 30, cleanSession: true });
    const expected = [0x10, 37, 0, 4, 77, 81, 84, 84, 4, 0b1110_1110, 0, 30, 0, 4, 100, 101, 118, 49, 0, 3, 119, 47, 116,
      0, 4, 103, 111, 110, 101, 0, 1, 117, 0, 2, 112, 119];
    assert.deepEqual(Array.from(out.subarray(0, end)), [...expected.slice(0, 1), expected.length - 2, ...expected.slice(2)]);
    const packet = new MqttPacket();
    assert.equal(decodeAll(out, end, packet), end);
    assert.equal(packet.type, PacketType.connect);
    assert.equal(packet.keepAliveS, 30);
    assert.equal(asText(out, packet.topicStart, packet.topicLength), "dev1");
  });

  it("round-trips PUBLISH at QoS 0 and 1, with DUP set for a retransmission", () => {
    const out = new Uint8Array(MAX);
    const payload = ascii("{\"t\":21.5}");
    const packet = new MqttPacket();
    for (const qos of [0, 1]) {
      const end = encodePublish(out, 0, ascii("a/b"), payload, 0, payload.length, qos, false, 7);
      if (qos === 1) markDuplicate(out, 0);
      assert.equal(decodeAll(out, end, packet), end);
      assert.equal(packet.type, PacketType.publish);
      assert.equal(packet.qos, qos);
      assert.equal(packet.dup, qos === 1);
      assert.equal(packet.packetId, qos === 1 ? 7 : 0);
      assert.equal(asText(out, packet.topicStart, packet.topicLength), "a/b");
      assert.equal(asText(out, packet.payloadStart, packet.payloadLength), "{\"t\":21.5}");
    }
  });

  it("round-trips a payload whose length needs a two-byte Remaining Length", () => {
    const out = new Uint8Array(MAX);
    const payload = new Uint8Array(300).fill(65);
    const end = encodePublish(out, 0, ascii("t"), payload, 0, payload.length, 0, false, 0);
    assert.equal(out[1], (303 % 128) | 128);
    assert.equal(out[2], 2);
    const packet = new MqttPacket();
    assert.equal(decodeAll(out, end, packet), end);
    assert.equal(packet.payloadLength, 300);
  });

  it("round-trips PUBACK, SUBSCRIBE, SUBACK, CONNACK, PINGREQ, PINGRESP and DISCONNECT", () => {
    const out = new Uint8Array(64);
    const packet = new MqttPacket();
    let end = encodeAck(out, 0, PacketType.puback, 513);
    assert.equal(decodeAll(out, end, packet), 4);
    assert.equal(packet.packetId, 513);
    end = encodeSubscribe(out, 0, 9, ascii("cfg/#"), 1);
    assert.equal(out[0], 0x82);
    assert.equal(decodeAll(out, end, packet), end);
    assert.equal(asText(out, packet.topicStart, packet.topicLength), "cfg/#");
    assert.equal(packet.qos, 1);
    end = encodeSuback(out, 0, 9, 0x80);
    assert.equal(decodeAll(out, end, packet), 5);
    assert.equal(packet.returnCode, 0x80);
    end = encodeConnack(out, 0, true, 0);
    assert.equal(decodeAll(out, end, packet), 4);
    assert.ok(packet.sessionPresent);
    for (const type of [PacketType.pingreq, PacketType.pingresp, PacketType.disconnect]) {
      end = encodeEmpty(out, 0, type);
      assert.deepEqual(Array.from(out.subarray(0, end)), [type << 4, 0]);
      assert.equal(decodeAll(out, end, packet), 2);
      assert.equal(packet.type, type);
    }
  });

  it("refuses to encode a packet that does not fit its buffer", () => {
    const payload = new Uint8Array(40);
    assert.equal(encodePublish(new Uint8Array(40), 0, ascii("t"), payload, 0, payload.length, 1, false, 1), -1);
    assert.equal(encodeAck(new Uint8Array(3), 0, PacketType.puback, 1), -1);
  });

  it("asks for more bytes until a packet is complete, at every split point", () => {
    const out = new Uint8Array(MAX);
    const payload = new Uint8Array(200).fill(66);
    const end = encodePublish(out, 0, ascii("x/y"), payload, 0, payload.length, 1, false, 3);
    const packet = new MqttPacket();
    for (let cut = 0; cut < end; cut++) assert.equal(decodeAll(out, cut, packet), Decoded.needMore, `cut ${cut}`);
  });

  it("refuses malformed packets with a typed reason", () => {
    refused([0x00, 0], MqttError.reservedType);
    refused([0xf0, 0], MqttError.reservedType);
    refused([0x41, 2, 0, 1], MqttError.badFlags); // PUBACK with a flag
    refused([0x80, 5, 0, 1, 0, 1, 97, 0], MqttError.badFlags); // SUBSCRIBE without 0b0010
    refused([0x36, 5, 0, 1, 97, 0, 1], MqttError.badFlags); // PUBLISH QoS 3
    refused([0x38, 3, 0, 1, 97], MqttError.badFlags); // DUP at QoS 0
    refused([0x30, 0xff, 0xff, 0xff, 0xff, 1], MqttError.badRemainingLength);
    refused([0x20, 3, 0, 0, 0], MqttError.badLength);
    refused([0x20, 2, 2, 0], MqttError.badFlags);
    refused([0x20, 2, 0, 6], MqttError.badReturnCode);
    refused([0x40, 2, 0, 0], MqttError.zeroPacketId);
    refused([0x32, 5, 0, 1, 97, 0, 0], MqttError.zeroPacketId);
    refused([0x30, 2, 0, 0], MqttError.badTopic);
    refused([0x30, 3, 0, 1, 35], MqttError.badTopic);
    refused([0x30, 3, 0, 1, 0], MqttError.badUtf8);
    refused([0x30, 4, 0, 2, 0xc0, 0x80], MqttError.badUtf8); // overlong NUL
    refused([0x30, 3, 0, 5, 97], MqttError.badLength);
    refused([0x90, 3, 0, 1, 3], MqttError.badReturnCode);
    refused([0xd0, 1, 0], MqttError.badLength);
    refused([0x10, 10, 0, 4, 77, 81, 84, 84, 3, 2, 0, 0], MqttError.badProtocol);
  });

  it("refuses a packet larger than the receive buffer as soon as its length is known", () => {
    const packet = new MqttPacket();
    const head = Uint8Array.from([0x30, 0x80, 0x04]); // 512 bytes declared, 3 received
    assert.equal(decodePacket(head, 0, head.length, packet, 256), Decoded.error);
    assert.equal(packet.error, MqttError.oversized);
  });

  it("checks UTF-8 as the specification requires: surrogates, overlongs and truncation refused", () => {
    assert.ok(validUtf8(Uint8Array.from([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]), 0, 9));
    assert.ok(!validUtf8(Uint8Array.from([0xed, 0xa0, 0x80]), 0, 3));
    assert.ok(!validUtf8(Uint8Array.from([0xe0, 0x80, 0x80]), 0, 3));
    assert.ok(!validUtf8(Uint8Array.from([0xe2, 0x82]), 0, 2));
    assert.ok(!validUtf8(Uint8Array.from([0xf5, 0x80, 0x80, 0x80]), 0, 4));
  });

  it("never reads past its bounds nor takes more than it was given, on random and mutated input (seeded)", () => {
    const out = new Uint8Array(96);
    const packet = new MqttPacket();
    const payload = ascii("sample");
    forAllSeeds(300, (random) => {
      let length = encodePublish(out, 0, ascii("s/t"), payload, 0, payload.length, random.int(0, 1), false, random.int(1, 9));
      if (random.next() < 0.5) for (let i = 0; i < length; i++) out[i] = random.int(0, 255);
      else for (let flips = random.int(1, 4); flips > 0; flips--) out[random.int(0, length - 1)] = random.int(0, 255);
      length = random.int(0, length);
      const taken = decodePacket(out, 0, length, packet, 64);
      assert.ok(taken >= Decoded.error && taken <= length, `took ${taken} of ${length}`);
      if (taken === Decoded.error) assert.ok(packet.error > MqttError.none && packet.error <= MqttError.unexpectedType);
      if (taken > 0) assert.ok(packet.payloadStart + packet.payloadLength <= taken && packet.topicStart + packet.topicLength <= taken);
    });
  });

  it("encodes and decodes 10,000 publishes and acknowledgements without allocating", function () {
    const out = new Uint8Array(MAX);
    const ack = new Uint8Array(8);
    const topic = ascii("stillheap/dev/sht3x/readings");
    const payload = ascii("{\"temperatureC\":21.500,\"humidityPercent\":40.000}");
    const packet = new MqttPacket();
    let checked = 0;
    expectNoAllocation(this, (i) => {
      const id = (i % 65535) + 1;
      const end = encodePublish(out, 0, topic, payload, 0, payload.length, 1, false, id);
      if (decodePacket(out, 0, end, packet, MAX) !== end || packet.packetId !== id) throw new Error("publish round trip");
      const ackEnd = encodeAck(ack, 0, PacketType.puback, id);
      if (decodePacket(ack, 0, ackEnd, packet, MAX) !== 4 || packet.packetId !== id) throw new Error("puback round trip");
      checked++;
    });
    assert.ok(checked >= 10_000);
  });
});
