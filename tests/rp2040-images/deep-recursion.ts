/**
 * An RP2040 test image of the engine's edges: JS recursion and deeply nested JSON must end in catchable RangeErrors, not
 * a crash; eval, with no parser in the image, in a SyntaxError that says so; and string literals, archived in flash by
 * the bytecode linker, must cost no heap when evaluated (on the parsing XS host each costs a chunk).
 */
function depth(n: number): number {
  return n === 0 ? 0 : 1 + depth(n - 1);
}
try {
  depth(1_000_000);
  rp2040.print("[recursion] not caught");
} catch (error: unknown) {
  rp2040.print(`[recursion] caught ${error instanceof RangeError ? "RangeError" : String(error)}`);
}
try {
  JSON.parse("[".repeat(5_000) + "]".repeat(5_000));
  rp2040.print("[nesting] not caught");
} catch (error: unknown) {
  rp2040.print(`[nesting] caught ${error instanceof RangeError ? "RangeError" : String(error)}`);
}
try {
  const evaluate = globalThis.eval;
  evaluate("1 + 1");
  rp2040.print("[parser] eval ran");
} catch (error: unknown) {
  rp2040.print(`[parser] caught ${error instanceof SyntaxError ? `SyntaxError: ${error.message}` : String(error)}`);
}
const CHUNK_BYTES_USED = 0; // MemoryField.chunkBytesUsed
const SLOTS_USED = 3; // MemoryField.slotsUsed
const GC_COUNT = 7; // MemoryField.gcCount
const fields = new Float64Array(11); // MEMORY_FIELD_COUNT: memoryInto refuses a shorter buffer
let seen = 0;
function take(code: string): void {
  if (code === "bus-stuck") seen++;
}
rp2040.memoryInto(fields.buffer);
const chunksBefore = fields[CHUNK_BYTES_USED] ?? 0;
const slotsBefore = fields[SLOTS_USED] ?? 0;
const gcBefore = fields[GC_COUNT] ?? 0;
for (let i = 0; i < 1000; i++) take("bus-stuck");
rp2040.memoryInto(fields.buffer);
rp2040.print(`[literals] ${seen} calls, chunk bytes moved ${(fields[CHUNK_BYTES_USED] ?? 0) - chunksBefore}, ` +
  `slots moved ${(fields[SLOTS_USED] ?? 0) - slotsBefore}, collections ${(fields[GC_COUNT] ?? 0) - gcBefore}`);
globalThis.rp2040Service = (): number => -1;
