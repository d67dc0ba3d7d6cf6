/**
 * A framed HTTP/1.1 response split back into status, headers and body bounds, for hosts whose HTTP server frames
 * responses itself (Moddable's `http` Server takes status, a header list and a body). Not on a hot path: it makes
 * strings for the header list.
 */
import { asText } from "./ascii.js";

const CR = 13;
const COLON = 58;
const DIGIT_0 = 48;

export interface ResponseParts {
  readonly status: number;
  /** Name, value, name, value, … in order, without the ones `skip` names (compared in lower case). */
  readonly headers: string[];
  readonly bodyStart: number;
  readonly bodyEnd: number;
}

export class FramingError extends Error {
  constructor(message: string) {
    super(`not a framed HTTP/1.1 response: ${message}`);
    this.name = "FramingError";
  }
}

export function unframe(bytes: Uint8Array, length: number, skip: readonly string[] = []): ResponseParts {
  if (length < 12 || asText(bytes, 0, 9) !== "HTTP/1.1 ") throw new FramingError("no status line");
  const status = ((bytes[9] ?? 0) - DIGIT_0) * 100 + ((bytes[10] ?? 0) - DIGIT_0) * 10 + ((bytes[11] ?? 0) - DIGIT_0);
  if (!(status >= 100 && status <= 599)) throw new FramingError(`status "${asText(bytes, 9, 3)}"`);
  const headers: string[] = [];
  let at = 12;
  while (at < length && bytes[at] !== CR) at++;
  at += 2;
  while (at < length && bytes[at] !== CR) {
    let colon = at;
    while (colon < length && bytes[colon] !== COLON) colon++;
    let end = colon;
    while (end < length && bytes[end] !== CR) end++;
    if (colon >= end) throw new FramingError(`header line without a colon at byte ${at}`);
    const name = asText(bytes, at, colon - at);
    if (!skip.includes(name.toLowerCase())) headers.push(name, asText(bytes, colon + 2, end - colon - 2));
    at = end + 2;
  }
  if (at + 2 > length) throw new FramingError("headers do not end with a blank line");
  return { status, headers, bodyStart: at + 2, bodyEnd: length };
}
