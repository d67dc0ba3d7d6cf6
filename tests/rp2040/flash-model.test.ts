// Node only (rp2040js and the emulator's models): the W25Q16 flash as its SPI commands drive it, and the RP2040's
// QSPI interface in front of it driven by the real bootrom's flash functions (those tests need the bootrom).
import { installNodeEngine } from "../../hosts/node/engine.js";
import { loadScenario } from "../../simulator/scenario.js";
import { Emulation } from "../../tools/rp2040/emulator.js";
import { BOOT2_BYTES, sealBoot2 } from "../../tools/rp2040/image.js";
import { FlashCommand as C, W25Q16, W25Q16_TIMING } from "../../tools/rp2040/w25q16.js";
import * as assert from "../support/assert.js";
import { BOOTROM, NO_BOOTROM } from "./emulate.js";

/** A chip on a clock the test moves. */
function chip(): { flash: W25Q16; clock: { nanos: number } } {
  const clock = { nanos: 0 };
  return { flash: new W25Q16(() => clock.nanos), clock };
}

/** One command: chip select low, the bytes clocked, chip select high; the bytes clocked out. */
function send(flash: W25Q16, ...bytes: number[]): number[] {
  flash.select();
  const reply = bytes.map((byte) => flash.exchange(byte));
  flash.deselect();
  return reply;
}

function address(offset: number): number[] {
  return [(offset >> 16) & 0xff, (offset >> 8) & 0xff, offset & 0xff];
}

function program(flash: W25Q16, offset: number, data: number[]): void {
  send(flash, C.writeEnable);
  send(flash, C.pageProgram, ...address(offset), ...data);
}

function settle(clock: { nanos: number }, ms: number): void {
  clock.nanos += ms * 1e6;
}

describe("W25Q16 flash model: the chip's SPI commands", () => {
  it("programs by clearing bits only: a program over programmed bytes ANDs them", () => {
    const { flash, clock } = chip();
    program(flash, 0x1000, [0xf0, 0x0f, 0xaa]);
    settle(clock, 1);
    program(flash, 0x1000, [0x3c, 0xff, 0x55]);
    assert.deepEqual([...flash.bytes.subarray(0x1000, 0x1003)], [0x30, 0x0f, 0x00]);
    assert.equal(flash.programs, 2);
    assert.equal(flash.bytesProgrammed, 6);
  });

  it("erases a 4 KB sector to 0xFF, counts it against the sector, and is busy for tSE", () => {
    const { flash, clock } = chip();
    program(flash, 0x2010, [0x00, 0x00]);
    settle(clock, 1);
    send(flash, C.writeEnable);
    send(flash, C.sectorErase, ...address(0x2010));
    assert.ok(flash.bytes.subarray(0x2000, 0x3000).every((byte) => byte === 0xff), "the whole sector is 0xFF");
    assert.equal(flash.sectorErases[2], 1);
    assert.equal(send(flash, C.readStatus1, 0)[1]! & 1, 1, "BUSY while erasing");
    settle(clock, W25Q16_TIMING.sectorEraseMs);
    assert.equal(send(flash, C.readStatus1, 0)[1], 0, "ready, the write-enable latch cleared");
  });

  it("ignores an erase or a program without write enable, and any while busy", () => {
    const { flash } = chip();
    send(flash, C.pageProgram, ...address(0), 0x00);
    assert.equal(flash.bytes[0], 0xff);
    send(flash, C.writeEnable);
    send(flash, C.sectorErase, ...address(0));
    send(flash, C.writeEnable);
    send(flash, C.pageProgram, ...address(0), 0x00);
    assert.equal(flash.bytes[0], 0xff, "the program came while the erase was running");
    assert.equal(flash.ignored, 3, "the program without write enable; the write enable and the program while busy");
  });

  it("wraps a page program of more than 256 bytes within its page", () => {
    const { flash } = chip();
    program(flash, 0x30fe, Array.from({ length: 260 }, (_, i) => i & 0xff)); // byte i is i & 0xff
    assert.equal(flash.bytes[0x30fe], 0, "byte 256 lands on the start address again, over byte 0");
    assert.equal(flash.bytes[0x3000], 2, "byte 2 wrapped to the page's start, and byte 258 over it");
    assert.equal(flash.bytes[0x3100], 0xff, "nothing past the page");
  });

  it("reads back with 03h, answers the JEDEC ID EF 40 15, counts commands it does not know", () => {
    const { flash, clock } = chip();
    program(flash, 0x40, [1, 2, 3]);
    assert.deepEqual(send(flash, C.read, ...address(0x40), 0).slice(4), [0xff], "nothing but status while busy");
    settle(clock, W25Q16_TIMING.pageProgramMs);
    assert.deepEqual(send(flash, C.read, ...address(0x40), 0, 0, 0).slice(4), [1, 2, 3]);
    assert.deepEqual(send(flash, C.jedecId, 0, 0, 0).slice(1), [0xef, 0x40, 0x15]);
    send(flash, 0x77);
    assert.equal(flash.unknown, 1);
    assert.equal(flash.lastUnknown, 0x77);
  });

  it("keeps the bytes before a power cut in a program, leaves the rest, and answers nothing after", () => {
    const { flash } = chip();
    flash.powerCut = { operation: 0, byte: 3 };
    let lost = 0;
    flash.onPowerLost = () => lost++;
    program(flash, 0x500, [0x11, 0x22, 0x33, 0x44, 0x55]);
    assert.deepEqual([...flash.bytes.subarray(0x500, 0x505)], [0x11, 0x22, 0x33, 0xff, 0xff]);
    assert.equal(lost, 1);
    assert.equal(flash.powered, false);
    assert.deepEqual(send(flash, C.readStatus1, 0), [0xff, 0xff]);
  });

  it("cuts an erase at a byte: the bytes before it erased, the rest as they were", () => {
    const { flash, clock } = chip();
    program(flash, 0x6000, [0, 0, 0, 0]);
    settle(clock, 1);
    flash.powerCut = { operation: 1, byte: 2 };
    send(flash, C.writeEnable);
    send(flash, C.sectorErase, ...address(0x6000));
    assert.deepEqual([...flash.bytes.subarray(0x6000, 0x6004)], [0xff, 0xff, 0, 0]);
    assert.deepEqual(flash.operations.map((op) => [op.kind, op.workStart]), [["program", 0], ["erase", 4]]);
  });
});

const RETURN = 0x20030000;
const DATA = 0x20020000;
const SECTOR = 0x1fe000;

/** The address of a bootrom function from its table (datasheet §2.8.3): two-letter code → entry, Thumb bit set. */
function romFunction(bootrom: Uint8Array, code: string): number {
  const view = new DataView(bootrom.buffer, bootrom.byteOffset, bootrom.byteLength);
  const wanted = code.charCodeAt(0) | (code.charCodeAt(1) << 8);
  for (let at = view.getUint16(0x14, true); view.getUint16(at, true) !== 0; at += 4) {
    if (view.getUint16(at, true) === wanted) return view.getUint16(at + 2, true);
  }
  throw new Error(`no ROM function ${code}`);
}

/** A chip powered with only a boot2 in flash, whose core the tests hand to bootrom functions one call at a time. */
class RomCaller {
  readonly emulation: Emulation;

  constructor(readonly bootrom: Uint8Array) {
    installNodeEngine();
    const image = new Uint8Array(BOOT2_BYTES);
    sealBoot2(image);
    this.emulation = new Emulation({ image, bootrom, sim: loadScenario({ board: "pico", devices: [] }), onUart: () => undefined });
    this.emulation.mcu.writeUint16(RETURN, 0xbe00); // bkpt #0: where each call returns
  }

  /** Calls the ROM function `code` with up to four arguments, as the firmware would, and runs it to its return. */
  call(code: string, ...args: number[]): string {
    return this.callAt(romFunction(this.bootrom, code), ...args);
  }

  callAt(entry: number, ...args: number[]): string {
    const core = this.emulation.mcu.core;
    args.forEach((value, i) => (core.registers[i] = value));
    core.SP = 0x20041000;
    core.LR = RETURN | 1;
    core.PC = entry & ~1;
    const result = this.emulation.run(this.emulation.nowMs + 1000, 200_000_000);
    assert.ok(result.reason !== "breakpoint" || core.PC === RETURN + 2, `stopped at 0x${core.PC.toString(16)}: ${result.detail}`);
    return result.reason === "breakpoint" ? "returned" : `${result.reason}: ${result.detail}`;
  }

  xip(offset: number): number {
    return this.emulation.mcu.readUint8(0x10000000 + offset);
  }
}

describe("QSPI flash interface driven by the real bootrom's flash functions", () => {
  if (BOOTROM === undefined) {
    it.skip(`erase, program, flush and XIP through the bootrom — skipped: ${NO_BOOTROM}`);
    return;
  }
  const bootrom = BOOTROM;

  it("erases and programs with the bootrom's SSI commands; XIP sees the new bytes once the cache is flushed", () => {
    const rom = new RomCaller(bootrom);
    const { mcu, chip, flash } = rom.emulation;
    for (let i = 0; i < 256; i++) mcu.writeUint8(DATA + i, i ^ 0x5a);
    assert.equal(rom.call("IF"), "returned");
    assert.equal(rom.call("EX"), "returned");
    assert.equal(rom.call("RE", SECTOR, 4096, 1 << 16, 0xd8), "returned");
    assert.equal(rom.call("RP", SECTOR, DATA, 256), "returned");
    assert.equal(chip.bytes[SECTOR + 1], 1 ^ 0x5a, "the chip holds the programmed page");
    assert.deepEqual(chip.operations.map((op) => [op.kind, op.address, op.bytes]), [["erase", SECTOR, 4096], ["program", SECTOR, 256]]);
    assert.equal(rom.call("CX"), "returned"); // XIP reads again, the cache not yet flushed
    mcu.writeUint32(0x4001800c, 0); // the chip select back to the SSI, as flash_flush_cache would
    assert.equal(rom.xip(SECTOR + 1), 0xff, "before the flush, XIP reads what the cache held");
    assert.equal(rom.call("FC"), "returned");
    assert.equal(rom.xip(SECTOR + 1), 1 ^ 0x5a, "after it, the new bytes");
    assert.equal(flash.flushes, 1);
    assert.equal(chip.unknown, 0);
    assert.equal(chip.ignored, 0);
  });

  it("programs over programmed bytes by clearing bits, through the bootrom", () => {
    const rom = new RomCaller(bootrom);
    const { mcu, chip } = rom.emulation;
    rom.call("IF");
    rom.call("EX");
    for (const pattern of [0xf0, 0x3c]) {
      for (let i = 0; i < 256; i++) mcu.writeUint8(DATA + i, pattern);
      rom.call("RP", SECTOR, DATA, 256);
    }
    assert.equal(chip.bytes[SECTOR + 7], 0x30);
    assert.equal(chip.programs, 2);
  });

  it("stops at a power cut in the middle of a bootrom page program, the bytes before the cut programmed", () => {
    const rom = new RomCaller(bootrom);
    const { mcu, chip } = rom.emulation;
    chip.powerCut = { operation: 0, byte: 100 };
    for (let i = 0; i < 256; i++) mcu.writeUint8(DATA + i, 0);
    rom.call("IF");
    rom.call("EX");
    assert.ok(rom.call("RP", SECTOR, DATA, 256).startsWith("power cut: power cut at byte 100 of flash operation 0 (program"));
    assert.equal(chip.bytes[SECTOR + 99], 0);
    assert.equal(chip.bytes[SECTOR + 100], 0xff);
  });

  it("stops with the reason when code runs from flash while the bootrom has it out of XIP", () => {
    const rom = new RomCaller(bootrom);
    rom.call("IF");
    rom.call("EX");
    const stop = rom.callAt(0x10000101);
    assert.ok(stop.startsWith("emulator error: instruction fetch from flash at 0x10000100 while the SSI is in serial command mode"), stop);
  });
});
