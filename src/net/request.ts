/**
 * An HTTP/1.1 request parser over the bytes received so far, in a caller-owned buffer: call parse() after every chunk;
 * it answers incomplete, complete, or an error status (400, 413, 414, 431). Fields are offsets into the buffer, the
 * method is a number, and nothing allocates.
 */
import { ascii, bytesEqual, bytesEqualIgnoringCase } from "./ascii.js";

export const Method = Object.freeze({ unknown: 0, get: 1, head: 2, post: 3, put: 4, delete: 5 });
export const ParseResult = Object.freeze({ incomplete: 0, complete: 1, error: 2 });

export interface HttpLimits {
  /** Longest request line (method, target, version); longer is 414. */
  readonly requestLineBytes: number;
  /** Longest header section; longer is 431. */
  readonly headerBytes: number;
  /** Largest body; larger is 413. */
  readonly bodyBytes: number;
}

export const DEFAULT_LIMITS: HttpLimits = Object.freeze({ requestLineBytes: 256, headerBytes: 1024, bodyBytes: 512 });

const METHODS = Object.freeze([ascii("GET"), ascii("HEAD"), ascii("POST"), ascii("PUT"), ascii("DELETE")]);
const HTTP1 = ascii("HTTP/1.");
const CONTENT_LENGTH = ascii("content-length");
const AUTHORIZATION = ascii("authorization");
const TRANSFER_ENCODING = ascii("transfer-encoding");
const BEARER = ascii("bearer ");
/** Reasons for errors, as module constants: a string literal evaluated on the request path would allocate on XS. */
export const PARSE_ERRORS = Object.freeze({
  none: "", requestLine: "malformed request line", version: "HTTP/1.0 or HTTP/1.1 only",
  lineEnd: "lines must end in CR LF", header: "malformed header line",
  length: "bad Content-Length", conflict: "conflicting Content-Length headers",
  chunked: "chunked request bodies are not accepted: send Content-Length",
  uriTooLong: "request line too long", headersTooLarge: "request headers too large",
  bodyTooLarge: "request body too large",
});
/** Bytes 0x21–0x7E a header name (token, RFC 9110 §5.6.2) may hold: 1 where allowed. */
const TCHAR = new Uint8Array(128);
for (let b = 0x21; b < 0x7f; b++) TCHAR[b] = '"(),/:;<=>?@[\\]{}'.includes(String.fromCharCode(b)) ? 0 : 1;

/** One request's fields, reused: offsets into `bytes`, -1 where absent. */
export class HttpRequest {
  bytes: Uint8Array = new Uint8Array(0);
  method: number = Method.unknown;
  pathStart = 0;
  pathLength = 0;
  /** Bearer token of the Authorization header. */
  tokenStart = -1;
  tokenLength = 0;
  contentLength = 0;
  bodyStart = -1;
  /** The status to answer with when parse() returned error, and its reason (one of PARSE_ERRORS). */
  errorStatus = 0;
  errorReason: string = PARSE_ERRORS.none;

  reset(bytes: Uint8Array): this {
    this.bytes = bytes;
    this.method = Method.unknown;
    this.pathStart = this.pathLength = this.contentLength = 0;
    this.tokenStart = this.bodyStart = -1;
    this.tokenLength = this.errorStatus = 0;
    this.errorReason = PARSE_ERRORS.none;
    return this;
  }
}

function fail(request: HttpRequest, status: number, reason: string): number {
  request.errorStatus = status;
  request.errorReason = reason;
  return ParseResult.error;
}

const BARE = -2;

/** Index of "\r\n" at or after `from` and before `end`; -1 if none yet; BARE at a lone LF or CR (RFC 9112 §2.2). */
function lineEnd(bytes: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const b = bytes[i];
    if (b === 10) return BARE;
    if (b !== 13) continue;
    if (i + 1 >= end) return -1;
    return bytes[i + 1] === 10 ? i : BARE;
  }
  return -1;
}

/** True if bytes[start .. end) hold a control character other than HTAB (NUL included). */
function hasControl(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i] ?? 0;
    if ((b < 32 && b !== 9) || b === 127) return true;
  }
  return false;
}

function parseRequestLine(request: HttpRequest, end: number): number {
  const bytes = request.bytes;
  let space = 0;
  while (space < end && bytes[space] !== 32) space++;
  for (let m = 0; m < METHODS.length; m++) if (bytesEqual(bytes, 0, space, METHODS[m] ?? HTTP1)) request.method = m + 1;
  let target = space + 1;
  while (target < end && bytes[target] !== 32) target++;
  if (space === 0 || space >= end || target >= end || bytes[space + 1] !== 47 || hasControl(bytes, 0, end)) {
    return fail(request, 400, PARSE_ERRORS.requestLine);
  }
  const minor = bytes[end - 1];
  if (!bytesEqual(bytes, target + 1, Math.min(HTTP1.length, end - target - 1), HTTP1) || end - target - 1 !== 8 || (minor !== 48 && minor !== 49)) {
    return fail(request, 400, PARSE_ERRORS.version);
  }
  request.pathStart = space + 1;
  request.pathLength = target - space - 1;
  for (let i = request.pathStart; i < target; i++) { // the query string is not part of the route
    if (bytes[i] === 63) {
      request.pathLength = i - request.pathStart;
      break;
    }
  }
  return ParseResult.complete;
}

/** Digits only, between optional whitespace at either end: "2 1" is not 21. */
function parseNumber(bytes: Uint8Array, start: number, end: number): number {
  let value = 0;
  let digits = 0;
  while (end > start && (bytes[end - 1] === 32 || bytes[end - 1] === 9)) end--;
  for (let i = start; i < end; i++) {
    const b = bytes[i] ?? 0;
    if (b < 48 || b > 57 || digits > 9) return -1;
    value = value * 10 + (b - 48);
    digits++;
  }
  return digits === 0 ? -1 : value;
}

function parseHeader(request: HttpRequest, start: number, end: number): number {
  const bytes = request.bytes;
  let colon = start;
  while (colon < end && (TCHAR[bytes[colon] ?? 0] ?? 0) === 1) colon++; // a name is a token: no space before ":"
  if (colon === start || colon >= end || bytes[colon] !== 58 || hasControl(bytes, colon, end)) return fail(request, 400, PARSE_ERRORS.header);
  let value = colon + 1;
  while (value < end && (bytes[value] === 32 || bytes[value] === 9)) value++;
  const name = colon - start;
  if (bytesEqualIgnoringCase(bytes, start, name, CONTENT_LENGTH)) {
    const length = parseNumber(bytes, value, end);
    if (length < 0) return fail(request, 400, PARSE_ERRORS.length);
    if (request.contentLength >= 0 && request.contentLength !== length) return fail(request, 400, PARSE_ERRORS.conflict);
    request.contentLength = length;
  } else if (bytesEqualIgnoringCase(bytes, start, name, TRANSFER_ENCODING)) {
    return fail(request, 400, PARSE_ERRORS.chunked);
  } else if (bytesEqualIgnoringCase(bytes, start, name, AUTHORIZATION) && bytesEqualIgnoringCase(bytes, value, Math.min(BEARER.length, end - value), BEARER)) {
    request.tokenStart = value + BEARER.length;
    request.tokenLength = end - request.tokenStart;
  }
  return ParseResult.complete;
}

/** Parses bytes[0 .. length) of `request.bytes`. */
export function parseRequest(request: HttpRequest, length: number, limits: HttpLimits = DEFAULT_LIMITS): number {
  const bytes = request.bytes;
  const lineEndAt = lineEnd(bytes, 0, Math.min(length, limits.requestLineBytes + 2));
  if (lineEndAt === BARE) return fail(request, 400, PARSE_ERRORS.lineEnd);
  if (lineEndAt < 0) return length >= limits.requestLineBytes + 2 ? fail(request, 414, PARSE_ERRORS.uriTooLong) : ParseResult.incomplete;
  if (request.method === Method.unknown && request.pathLength === 0 && parseRequestLine(request, lineEndAt) === ParseResult.error) return ParseResult.error;
  const headerLimit = lineEndAt + 2 + limits.headerBytes;
  let at = lineEndAt + 2;
  request.contentLength = -1; // absent until a header sets it
  request.tokenStart = -1;
  for (;;) {
    const end = lineEnd(bytes, at, Math.min(length, headerLimit + 2));
    if (end === BARE) return fail(request, 400, PARSE_ERRORS.lineEnd);
    if (end < 0) return length >= headerLimit ? fail(request, 431, PARSE_ERRORS.headersTooLarge) : ParseResult.incomplete;
    if (end === at) break;
    if (bytes[at] === 32 || bytes[at] === 9) return fail(request, 400, PARSE_ERRORS.header); // obsolete line folding
    if (parseHeader(request, at, end) === ParseResult.error) return ParseResult.error;
    at = end + 2;
  }
  request.bodyStart = at + 2;
  if (request.contentLength < 0) request.contentLength = 0;
  if (request.contentLength > limits.bodyBytes) return fail(request, 413, PARSE_ERRORS.bodyTooLarge);
  return length >= request.bodyStart + request.contentLength ? ParseResult.complete : ParseResult.incomplete;
}
