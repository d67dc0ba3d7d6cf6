import { CRC16, CRC8 } from "../../simulator/crc.js";
import * as assert from "../support/assert.js";
import { expectNoAllocation } from "../support/alloc-guard.js";

const CHECK = Uint8Array.of(0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39); // "123456789", the catalogue's input

describe("simulator crc module (Moddable's crc API)", () => {
  it("gives the Sensirion CRC-8 of the SHT3x datasheet: 0xBEEF → 0x92", () => {
    assert.equal(new CRC8(0x31, 0xff).checksum(Uint8Array.of(0xbe, 0xef)), 0x92);
  });

  it("checks a Uint8Array where it is, allocating nothing, as the native module reads the caller's memory", function () {
    const crc = new CRC8(0x31, 0xff);
    const word = Uint8Array.of(0xbe, 0xef);
    let checksum = 0;
    expectNoAllocation(this, () => {
      checksum = crc.reset().checksum(word);
    });
    assert.equal(checksum, 0x92);
  });

  it("matches the catalogue's check values, reflected or not", () => {
    assert.equal(new CRC8(0x07).checksum(CHECK), 0xf4); // CRC-8/SMBUS
    assert.equal(new CRC8(0x31, 0, true, true).checksum(CHECK), 0xa1); // CRC-8/MAXIM-DOW
    assert.equal(new CRC16(0x1021, 0xffff).checksum(CHECK), 0x29b1); // CRC-16/IBM-3740 (CCITT-FALSE)
    assert.equal(new CRC16(0x8005, 0, true, true).checksum(CHECK), 0xbb3d); // CRC-16/ARC
    assert.equal(new CRC16(0x1021, 0, false, false, 0xffff).checksum(CHECK), 0xce3c); // CRC-16/GSM
  });

  it("continues across checksum() calls until reset(), which CRC8 returns for chaining", () => {
    const crc = new CRC8(0x31, 0xff);
    crc.checksum(Uint8Array.of(0xbe));
    assert.equal(crc.checksum(Uint8Array.of(0xef)), 0x92);
    assert.equal(crc.reset().checksum(new Uint8Array([0, 0xbe, 0xef]).subarray(1)), 0x92, "a view's own bytes only");
    assert.equal(crc.reset().checksum(Uint8Array.of(0xbe, 0xef).buffer), 0x92, "an ArrayBuffer too");
  });
});
