/** An RP2040 test image: JS recursion and deeply nested JSON must end in catchable RangeErrors, not a crash. */
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
  JSON.parse("[".repeat(20_000) + "]".repeat(20_000));
  rp2040.print("[nesting] not caught");
} catch (error: unknown) {
  rp2040.print(`[nesting] caught ${error instanceof RangeError ? "RangeError" : String(error)}`);
}
globalThis.rp2040Service = (): number => -1;
