/** The native `xshost` global of the stillheap XS host (hosts/xs/functions.c). */
interface XsHostGlobal {
  /** Monotonic clock in microseconds. */
  nowMicros(): number;
  /** CPU time this process has used, in microseconds: the clock benchmarks time with. */
  cpuMicros(): number;
  /** Writes eleven float64 in src/engine's MemoryField order into `buffer` (≥ 88 bytes) without allocating. */
  memoryInto(buffer: ArrayBuffer): void;
  /** Runs a full garbage collection. */
  collect(): void;
  /** Writes `text` and a newline to stdout. */
  print(text: string): void;
  /** Writes `text` and a newline to stderr. */
  printError(text: string): void;
  /**
   * Says the entry's imports are evaluated. Run with --preloaded (`stillheap xs --preloaded`), nothing is charged to
   * the budget before this call, as a device keeps preloaded modules' objects in flash; true if charging began here.
   */
  preloaded(): boolean;
  /** The board whose budget the machine runs with, or "custom". */
  readonly board: string;
  /** The XS engine's version, major.minor.patch. */
  readonly version: string;
}

declare var xshost: XsHostGlobal;
