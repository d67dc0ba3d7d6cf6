/** ASCII bytes for constants made at setup (XS has no TextEncoder), and byte comparisons that allocate nothing. */

/**
 * The UTF-16 unit at `index` of `text`, NaN past its end: `charCodeAt` with the string as first argument, bound once.
 * On XS a property read on a string primitive — `text.charCodeAt(i)`, even `text.length` — wraps it in an object
 * (2 slots each time). A linked, stripped Moddable build also keeps built-in functions as primitives (xsl's
 * XS_HOST_FUNCTION_KIND), so `charCodeAt.call(text, i)` wraps the function instead (3 slots each time). The bound
 * function is an object made at setup: calling it wraps nothing on either build.
 */
export const codeAt = Function.prototype.call.bind(String.prototype.charCodeAt) as (text: string, index: number) => number;

/** Encodes an ASCII string once, at setup; throws on a character above 0x7F. */
export function ascii(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) throw new RangeError(`"${text}" is not ASCII (character ${i})`);
    bytes[i] = code;
  }
  return bytes;
}

/** True if bytes[start .. start + length) equal `constant`. */
export function bytesEqual(bytes: Uint8Array, start: number, length: number, constant: Uint8Array): boolean {
  if (length !== constant.length) return false;
  for (let i = 0; i < length; i++) if (bytes[start + i] !== constant[i]) return false;
  return true;
}

/** Like bytesEqual, ignoring ASCII case; `lowerConstant` must be lower case (header names). */
export function bytesEqualIgnoringCase(bytes: Uint8Array, start: number, length: number, lowerConstant: Uint8Array): boolean {
  if (length !== lowerConstant.length) return false;
  for (let i = 0; i < length; i++) {
    const b = bytes[start + i] ?? 0;
    if ((b >= 0x41 && b <= 0x5a ? b + 32 : b) !== lowerConstant[i]) return false;
  }
  return true;
}

/**
 * Compares a secret in constant time: every byte of `expected` is visited whatever the input, and a length mismatch
 * is folded into the result rather than returned early, so timing does not reveal where the first difference is.
 */
export function constantTimeEqual(bytes: Uint8Array, start: number, length: number, expected: Uint8Array): boolean {
  let difference = length ^ expected.length;
  for (let i = 0; i < expected.length; i++) difference |= ((i < length ? bytes[start + i] : 0) ?? 0) ^ (expected[i] ?? 0);
  return difference === 0;
}

/** Text of bytes, for tests, logs and errors — allocates; not for hot paths. */
export function asText(bytes: Uint8Array, start = 0, length = bytes.length - start): string {
  let text = "";
  for (let i = start; i < start + length; i++) text += String.fromCharCode(bytes[i] ?? 0);
  return text;
}
