/**
 * An RP2040 test image: JS recursion and deeply nested JSON must end in catchable RangeErrors, not a crash; eval, with
 * no parser in the image, in a SyntaxError that says so.
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
globalThis.rp2040Service = (): number => -1;
