/**
 * An HTTP/1.1 request parser (RFC 9112) over the bytes received so far, in a caller-owned buffer. It resumes: what it
 * has seen (the phase, where scanning stopped, where the current line starts, the headers' facts) is kept in the
 * request, so parseRequest() after every chunk looks at each byte once however the request is cut. It answers
 * incomplete, complete, or an error status (400, 411, 413, 414, 417, 431, 501). Fields are offsets into the buffer,
 * the method is a number, and nothing allocates.
 */
import { ascii, bytesEqual, bytesEqualIgnoringCase } from "./ascii.js";
import { HOST, isHost, isTarget, parseCodings, parseNumber, TCHAR, TE } from "./syntax.js";

export const Method = Object.freeze({ unknown: 0, get: 1, head: 2, post: 3, put: 4, delete: 5 });
export const ParseResult = Object.freeze({ incomplete: 0, complete: 1, error: 2 });

export interface HttpLimits {
  /** Longest request line (method, target, version), blank lines before it included; longer is 414. */
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
const EXPECT = ascii("expect");
const CONTINUE = ascii("100-continue");
const BEARER = ascii("bearer");
/** Reasons for errors, as module constants: a string literal evaluated on the request path would allocate on XS. */
export const PARSE_ERRORS = Object.freeze({
  none: "", requestLine: "malformed request line", version: "HTTP/1.0 or HTTP/1.1 only",
  method: "method not implemented: GET, HEAD, POST, PUT or DELETE",
  target: "malformed request target: origin-form (/path?query) or absolute-form (http://host/path)",
  lineEnd: "lines must end in CR LF", header: "malformed header line", folded: "folded header lines are not accepted",
  length: "bad Content-Length", conflict: "conflicting Content-Length headers",
  framing: "Transfer-Encoding with Content-Length, in HTTP/1.0, or without chunked last: the body's length is unknown",
  chunked: "chunked request bodies are not accepted: send Content-Length",
  coding: "transfer coding not implemented: only chunked is known (and answered 411)",
  noHost: "an HTTP/1.1 request needs one Host header", hosts: "more than one Host header",
  host: "malformed Host header", authorizations: "more than one Authorization header",
  expectation: "only the 100-continue expectation is known",
  uriTooLong: "request line too long", headersTooLarge: "request headers too large",
  bodyTooLarge: "request body too large",
});

/** Where a request's parse stands. */
export const Phase = Object.freeze({ requestLine: 0, headers: 1, body: 2, complete: 3, failed: 4 });
const EXPECTS = Object.freeze({ none: 0, continue: 1, unknown: 2 });

/** One request's fields and the parser's place in it, reused: offsets into `bytes`, -1 where absent. */
export class HttpRequest {
  bytes: Uint8Array = new Uint8Array(0);
  /** Bytes of the request received so far, where the connection service keeps them. */
  received = 0;
  method: number = Method.unknown;
  /** 0 or 1: HTTP/1.0 or HTTP/1.1. */
  minorVersion = 1;
  pathStart = 0;
  pathLength = 0;
  /** Bearer token of the Authorization header. */
  tokenStart = -1;
  tokenLength = 0;
  /** -1 until the headers are complete without one. */
  contentLength = -1;
  bodyStart = -1;
  /** The request carries `Expect: 100-continue` (HTTP/1.1): the client may wait for 100 Continue before its body. */
  expectContinue = false;
  /** The service answered the expectation (100 Continue or a final status): it is not answered twice. */
  expectationAnswered = false;
  /** The status to answer with when parse() returned error, and its reason (one of PARSE_ERRORS). */
  errorStatus = 0;
  errorReason: string = PARSE_ERRORS.none;
  /** Parser state: the phase, where the next scan for a line end starts, where the current line starts. */
  phase: number = Phase.requestLine;
  scan = 0;
  /** Below this scan position a byte other than CR or LF cannot end the line or reach a limit: only the scan moves. */
  fastUntil = 0;
  lineStart = 0;
  headersStart = 0;
  hosts = 0;
  authorizations = 0;
  transferEncoding = 0;
  expect: number = EXPECTS.none;

  /** Starts a new request in `bytes`. */
  reset(bytes: Uint8Array): this {
    this.bytes = bytes;
    this.received = 0;
    this.method = Method.unknown;
    this.minorVersion = 1;
    this.pathStart = this.pathLength = this.tokenLength = this.errorStatus = 0;
    this.tokenStart = this.bodyStart = this.contentLength = -1;
    this.expectContinue = this.expectationAnswered = false;
    this.errorReason = PARSE_ERRORS.none;
    this.phase = Phase.requestLine;
    this.scan = this.fastUntil = this.lineStart = this.headersStart = this.hosts = this.authorizations = this.transferEncoding = 0;
    this.expect = EXPECTS.none;
    return this;
  }

  /** No byte more takes the fast path (connections.ts): the request was answered or its connection closed. */
  stop(): void {
    this.fastUntil = 0;
  }

  /** The header section is complete and the body has not all arrived. */
  get awaitingBody(): boolean {
    return this.phase === Phase.body;
  }
}

function fail(request: HttpRequest, status: number, reason: string): number {
  request.errorStatus = status;
  request.errorReason = reason;
  request.phase = Phase.failed;
  request.fastUntil = 0;
  return ParseResult.error;
}

/** ParseResult.incomplete as a plain constant, for the per-byte path. */
const INCOMPLETE = 0;
const NONE = -1;
const BARE = -2;

/**
 * Index of the "\r\n" that ends the line, scanning from request.scan up to `end`; NONE if not there yet (the scan
 * resumes where it stopped, at a CR if that was the last byte); BARE at a lone LF or CR (RFC 9112 §2.2).
 */
function lineEnd(request: HttpRequest, end: number): number {
  const bytes = request.bytes;
  let i = request.scan;
  for (; i < end; i++) {
    const b = bytes[i];
    if (b === 13 || b === 10) break;
  }
  request.scan = i;
  if (i >= end) return NONE;
  if (bytes[i] === 10) return BARE;
  if (i + 1 >= end) return NONE;
  return bytes[i + 1] === 10 ? i : BARE;
}

/** True if bytes[start .. end) hold a control character other than HTAB (NUL included). */
function hasControl(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i] ?? 0;
    if ((b < 32 && b !== 9) || b === 127) return true;
  }
  return false;
}

function isToken(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (TCHAR[bytes[i] ?? 0] !== 1) return false;
  return end > start;
}

/** Method SP request-target SP HTTP-version, in bytes[start .. end). */
function parseRequestLine(request: HttpRequest, start: number, end: number): number {
  const bytes = request.bytes;
  let space = start;
  while (space < end && bytes[space] !== 32) space++;
  let targetEnd = space + 1;
  while (targetEnd < end && bytes[targetEnd] !== 32) targetEnd++;
  if (!isToken(bytes, start, space) || space >= end || targetEnd >= end || targetEnd === space + 1) {
    return fail(request, 400, PARSE_ERRORS.requestLine);
  }
  const minor = bytes[end - 1];
  if (end - targetEnd - 1 !== 8 || !bytesEqual(bytes, targetEnd + 1, HTTP1.length, HTTP1) || (minor !== 48 && minor !== 49)) {
    return fail(request, 400, PARSE_ERRORS.version);
  }
  request.minorVersion = minor - 48;
  if (!isTarget(bytes, space + 1, targetEnd)) return fail(request, 400, PARSE_ERRORS.target);
  for (let m = 0; m < METHODS.length; m++) if (bytesEqual(bytes, start, space - start, METHODS[m] ?? HTTP1)) request.method = m + 1;
  if (request.method === Method.unknown) return fail(request, 501, PARSE_ERRORS.method);
  let path = space + 1;
  if (bytes[path] !== 47) { // absolute-form (RFC 9112 §3.2.2): the path follows the authority
    path = absolutePath(bytes, path, targetEnd);
    if (path < 0) return fail(request, 400, PARSE_ERRORS.target);
  }
  request.pathStart = path;
  let query = path;
  while (query < targetEnd && bytes[query] !== 63) query++; // the query string is not part of the route
  request.pathLength = query - path;
  return ParseResult.complete;
}

/** Where the path of an absolute-form target (scheme "://" authority path) starts, or -1 when it is not one. */
function absolutePath(bytes: Uint8Array, start: number, end: number): number {
  let at = start;
  while (at < end && isSchemeChar(bytes[at] ?? 0, at === start)) at++;
  if (at === start || at + 3 > end || bytes[at] !== 58 || bytes[at + 1] !== 47 || bytes[at + 2] !== 47) return -1;
  const authority = at + 3;
  let path = authority;
  while (path < end && bytes[path] !== 47 && bytes[path] !== 63) path++;
  let host = authority;
  for (let i = authority; i < path; i++) if (bytes[i] === 64) host = i + 1; // userinfo@ is deprecated but parseable
  return path > host && isHost(bytes, host, path) ? path : -1;
}

function isSchemeChar(b: number, first: boolean): boolean {
  const alpha = (b | 32) >= 97 && (b | 32) <= 122;
  return first ? alpha : alpha || (b >= 48 && b <= 57) || b === 43 || b === 45 || b === 46;
}

function parseHeader(request: HttpRequest, start: number, end: number, limits: HttpLimits): number {
  const bytes = request.bytes;
  let colon = start;
  while (colon < end && TCHAR[bytes[colon] ?? 0] === 1) colon++; // a name is a token: no space before ":"
  if (colon === start || colon >= end || bytes[colon] !== 58 || hasControl(bytes, colon, end)) return fail(request, 400, PARSE_ERRORS.header);
  let value = colon + 1;
  while (value < end && (bytes[value] === 32 || bytes[value] === 9)) value++;
  let valueEnd = end; // OWS around a value is not part of it (RFC 9110 §5.5)
  while (valueEnd > value && (bytes[valueEnd - 1] === 32 || bytes[valueEnd - 1] === 9)) valueEnd--;
  const name = colon - start;
  const first = bytes[start] ?? 0;
  if (name === 4 && bytesEqualIgnoringCase(bytes, start, name, HOST)) {
    if (++request.hosts > 1) return fail(request, 400, PARSE_ERRORS.hosts);
    if (valueEnd > value && !isHost(bytes, value, valueEnd)) return fail(request, 400, PARSE_ERRORS.host);
  } else if ((first | 32) === 99 && bytesEqualIgnoringCase(bytes, start, name, CONTENT_LENGTH)) {
    const length = parseNumber(bytes, value, valueEnd);
    if (length < 0) return fail(request, 400, PARSE_ERRORS.length);
    if (request.contentLength >= 0 && request.contentLength !== length) return fail(request, 400, PARSE_ERRORS.conflict);
    if (length > limits.bodyBytes) return fail(request, 413, PARSE_ERRORS.bodyTooLarge); // at once, not at the blank line
    request.contentLength = length;
  } else if ((first | 32) === 116 && bytesEqualIgnoringCase(bytes, start, name, TRANSFER_ENCODING)) {
    request.transferEncoding = parseCodings(bytes, value, valueEnd, request.transferEncoding);
  } else if ((first | 32) === 97 && bytesEqualIgnoringCase(bytes, start, name, AUTHORIZATION)) {
    if (++request.authorizations > 1) return fail(request, 400, PARSE_ERRORS.authorizations);
    parseAuthorization(request, value, valueEnd);
  } else if ((first | 32) === 101 && bytesEqualIgnoringCase(bytes, start, name, EXPECT)) {
    request.expect = bytesEqualIgnoringCase(bytes, value, valueEnd - value, CONTINUE) ? EXPECTS.continue : EXPECTS.unknown;
  }
  return ParseResult.complete;
}

/**
 * "Bearer" SP token: the token's place, or none (tokenStart -1) for another scheme. One space, as the MQTT config
 * topic reads it (mqtt-config.ts); a second is part of the token, which then does not match.
 */
function parseAuthorization(request: HttpRequest, value: number, valueEnd: number): void {
  const scheme = value + BEARER.length;
  if (scheme >= valueEnd || request.bytes[scheme] !== 32 || !bytesEqualIgnoringCase(request.bytes, value, BEARER.length, BEARER)) return;
  request.tokenStart = scheme + 1;
  request.tokenLength = valueEnd - scheme - 1;
}

/** What the complete header section says about the body: its length, or the status that refuses it. */
function endHeaders(request: HttpRequest, at: number, limits: HttpLimits): number {
  const te = request.transferEncoding;
  if (request.minorVersion === 1 && request.hosts === 0) return fail(request, 400, PARSE_ERRORS.noHost);
  if (te !== 0) {
    if ((te & TE.malformed) !== 0 || request.contentLength >= 0 || request.minorVersion === 0) return fail(request, 400, PARSE_ERRORS.framing);
    if ((te & TE.unknown) !== 0) return fail(request, 501, PARSE_ERRORS.coding);
    if ((te & TE.chunkedTwice) !== 0) return fail(request, 400, PARSE_ERRORS.framing);
    return fail(request, 411, PARSE_ERRORS.chunked);
  }
  if (request.expect === EXPECTS.unknown && request.minorVersion === 1) return fail(request, 417, PARSE_ERRORS.expectation);
  request.expectContinue = request.expect === EXPECTS.continue && request.minorVersion === 1;
  if (request.contentLength < 0) request.contentLength = 0;
  if (request.contentLength > limits.bodyBytes) return fail(request, 413, PARSE_ERRORS.bodyTooLarge);
  request.bodyStart = at;
  request.phase = Phase.body;
  request.fastUntil = 0;
  return ParseResult.incomplete;
}

/** Lines of the request line and headers, from where the last call stopped. */
function parseLines(request: HttpRequest, length: number, limits: HttpLimits): number {
  const bytes = request.bytes;
  for (;;) {
    const inLine = request.phase === Phase.requestLine;
    const limit = inLine ? limits.requestLineBytes + 2 : request.headersStart + limits.headerBytes + 2;
    const end = lineEnd(request, Math.min(length, limit));
    if (end === BARE) return fail(request, 400, PARSE_ERRORS.lineEnd);
    if (end === NONE) {
      const first = request.lineStart;
      if (!inLine && first < length && (bytes[first] === 32 || bytes[first] === 9)) return fail(request, 400, PARSE_ERRORS.folded);
      // Not on the fast path while a CR waits for its LF, nor before a header line's first byte (a fold is refused there).
      request.fastUntil = request.scan < length || (!inLine && first === length) ? 0 : limit - (inLine ? 1 : 3);
      if (inLine) return length >= limit ? fail(request, 414, PARSE_ERRORS.uriTooLong) : ParseResult.incomplete;
      return length >= limit - 2 ? fail(request, 431, PARSE_ERRORS.headersTooLarge) : ParseResult.incomplete;
    }
    const start = request.lineStart;
    request.lineStart = request.scan = end + 2;
    if (inLine) {
      if (end === start) continue; // an empty line before the request line is ignored (RFC 9112 §2.2)
      if (hasControl(bytes, start, end) || parseRequestLine(request, start, end) === ParseResult.error) {
        return request.phase === Phase.failed ? ParseResult.error : fail(request, 400, PARSE_ERRORS.requestLine);
      }
      request.phase = Phase.headers;
      request.headersStart = end + 2;
    } else if (end === start) {
      return endHeaders(request, end + 2, limits);
    } else if (bytes[start] === 32 || bytes[start] === 9) {
      return fail(request, 400, PARSE_ERRORS.folded); // obsolete line folding
    } else if (parseHeader(request, start, end, limits) === ParseResult.error) {
      return ParseResult.error;
    }
  }
}

/**
 * Parses `request.bytes` up to `length` (all the bytes received so far), resuming where the last call stopped. Call
 * `request.reset(bytes)` when a new request starts; the bytes before `length` must not change between calls.
 */
export function parseRequest(request: HttpRequest, length: number, limits: HttpLimits = DEFAULT_LIMITS): number {
  const scan = request.scan;
  if (length === scan + 1 && scan < request.fastUntil) { // one more byte: unless it may end a line, only the scan moves on
    const b = request.bytes[scan];
    if (b !== 13 && b !== 10) {
      request.scan = length;
      return INCOMPLETE;
    }
  }
  let phase = request.phase;
  if (phase < Phase.body) {
    const result = parseLines(request, length, limits);
    if (result === ParseResult.error) return result;
    phase = request.phase;
  }
  if (phase === Phase.body && length >= request.bodyStart + request.contentLength) request.phase = phase = Phase.complete;
  if (phase === Phase.complete) return ParseResult.complete;
  return phase === Phase.failed ? ParseResult.error : ParseResult.incomplete;
}
