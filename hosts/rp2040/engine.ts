/** The Engine on bare-metal RP2040: the XS machine's own counters, the hardware timer, the UART. */
import { installEngine, type Engine } from "../../src/engine/index.js";

export const rp2040Engine: Engine = Object.freeze({
  name: "rp2040",
  exactMemory: true,
  nowMicros: (): number => rp2040.nowMicros(),
  readMemory(into: Float64Array): void {
    if (into.byteOffset !== 0) throw new RangeError("readMemory needs a Float64Array at offset 0 of its buffer");
    rp2040.memoryInto(into.buffer as ArrayBuffer);
  },
  collectGarbage(): void {
    rp2040.collect();
  },
  print(text: string): void {
    rp2040.print(text);
  },
});

export function installRp2040Engine(): void {
  installEngine(rp2040Engine);
}
