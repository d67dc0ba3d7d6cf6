/**
 * Character classes of HTTP and URI syntax (RFC 9110 §5.6.2 tokens, RFC 3986 for targets and hosts) as lookup
 * tables, made once at load, and the checks over them. Lookup tables are only read, so a preloaded (read-only)
 * module keeps them.
 */
import { ascii, bytesEqualIgnoringCase } from "./ascii.js";

export const HOST = ascii("host");
const CHUNKED = ascii("chunked");
/** Transfer-Encoding facts, as bits. */
export const TE = Object.freeze({ present: 1, chunkedLast: 2, chunkedTwice: 4, unknown: 8, malformed: 16 });
/** A Content-Length larger than any limit: 413, whatever its digits. */
const HUGE = 1e15;

function table(allowed: string, alphanumeric: boolean): Uint8Array {
  const classes = new Uint8Array(256);
  for (let b = 0x21; b < 0x7f; b++) {
    const c = String.fromCharCode(b);
    const alnum = (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122);
    if ((alphanumeric && alnum) || allowed.includes(c)) classes[b] = 1;
  }
  return classes;
}

/** Bytes a token (a method, a header name) may hold: 1 where allowed. */
export const TCHAR = table("!#$%&'*+-.^_`|~", true);
/** Bytes of a request-target other than "%": unreserved, sub-delims, ":", "@", "/", "?", and "[ ]" of an IP literal. */
const TARGET = table("-._~!$&'()*+,;=:@/?[]", true);
/** Bytes of a reg-name other than "%" (RFC 3986 §3.2.2): unreserved and sub-delims. */
const REG_NAME = table("-._~!$&'()*+,;=", true);

function isHex(b: number): boolean {
  return (b >= 48 && b <= 57) || ((b | 32) >= 97 && (b | 32) <= 102);
}

/** bytes[at] is "%": true if two hex digits follow before `end`. */
function isEscape(bytes: Uint8Array, at: number, end: number): boolean {
  return at + 2 < end && isHex(bytes[at + 1] ?? 0) && isHex(bytes[at + 2] ?? 0);
}

/** A request-target's characters, percent escapes well-formed; its form is checked by the parser. */
export function isTarget(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i] ?? 0;
    if (TARGET[b] === 1) continue;
    if (b !== 37 || !isEscape(bytes, i, end)) return false;
    i += 2;
  }
  return true;
}

/** uri-host [":" port] (RFC 9110 §7.2): a reg-name or IPv4 address, or an IP literal in brackets. */
export function isHost(bytes: Uint8Array, start: number, end: number): boolean {
  let at = start;
  if (bytes[at] === 91) { // "[" IPv6address / IPvFuture "]"
    at++;
    while (at < end && bytes[at] !== 93) {
      const b = bytes[at] ?? 0;
      if (!isHex(b) && b !== 58 && b !== 46 && (b | 32) !== 118) return false;
      at++;
    }
    if (at >= end || at === start + 1) return false;
    at++;
  } else {
    while (at < end && bytes[at] !== 58) {
      const b = bytes[at] ?? 0;
      if (REG_NAME[b] !== 1 && (b !== 37 || !isEscape(bytes, at, end))) return false;
      at += b === 37 ? 3 : 1;
    }
  }
  if (at === end) return true;
  if (bytes[at] !== 58) return false;
  for (let i = at + 1; i < end; i++) if ((bytes[i] ?? 0) < 48 || (bytes[i] ?? 0) > 57) return false;
  return true;
}

/** Digits only; HUGE beyond 15 of them; -1 for anything else. */
export function parseNumber(bytes: Uint8Array, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const b = bytes[i] ?? 0;
    if (b < 48 || b > 57) return -1;
    value = value >= HUGE ? HUGE : value * 10 + (b - 48);
  }
  return end > start ? Math.min(value, HUGE) : -1;
}

/** A Transfer-Encoding line's codings (a comma-separated list), folded into the TE bits `seen` so far. */
export function parseCodings(bytes: Uint8Array, start: number, end: number, seen: number): number {
  let te = seen | TE.present;
  let at = start;
  while (at < end) {
    let stop = at;
    while (stop < end && bytes[stop] !== 44) stop++;
    let a = at;
    let b = stop;
    while (a < b && (bytes[a] === 32 || bytes[a] === 9)) a++;
    while (b > a && (bytes[b - 1] === 32 || bytes[b - 1] === 9)) b--;
    let name = a;
    while (name < b && TCHAR[bytes[name] ?? 0] === 1) name++;
    if (a < b) { // an empty element is allowed and ignored (RFC 9110 §5.6.1)
      if (name === a || (name < b && bytes[name] !== 59 && bytes[name] !== 32 && bytes[name] !== 9)) te |= TE.malformed;
      else if (name === b && bytesEqualIgnoringCase(bytes, a, b - a, CHUNKED)) te = (te & TE.chunkedLast ? te | TE.chunkedTwice : te) | TE.chunkedLast;
      else te = (te | TE.unknown) & ~TE.chunkedLast;
    }
    at = stop + 1;
  }
  return te;
}
