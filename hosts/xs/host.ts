/**
 * The host module of the XS engine on Linux: the typed face of the native `xshost` global, and the Engine that
 * firmware code reaches through src/engine.
 */
import { installEngine, type Engine } from "../../src/engine/index.js";

/** Exact counters: the VM's own slot and chunk figures, read into the caller's array without allocating. */
export const xsEngine: Engine = Object.freeze({
  name: "xs",
  exactMemory: true,
  nowMicros: (): number => xshost.nowMicros(),
  readMemory(into: Float64Array): void {
    if (into.byteOffset !== 0) throw new RangeError("readMemory needs a Float64Array at offset 0 of its buffer");
    xshost.memoryInto(into.buffer as ArrayBuffer);
  },
  collectGarbage(): void {
    xshost.collect();
  },
  print(text: string): void {
    xshost.print(text);
  },
});

export function installXsEngine(): void {
  installEngine(xsEngine);
}

/** The board whose memory budget this machine runs with ("custom" for explicit sizes). */
export function xsBoard(): string {
  return xshost.board;
}

/** CPU time of this process in microseconds (benchmarks time with it: a busy machine does not count against a run). */
export function xsCpuMicros(): number {
  return xshost.cpuMicros();
}

/** The XS engine's version, major.minor.patch. */
export function xsVersion(): string {
  return xshost.version;
}

export function printError(text: string): void {
  xshost.printError(text);
}
