/**
 * A config message on the MQTT config topic: its first line is what POST /v1/config's Authorization header carries,
 * read by the same rules as src/net/request.ts reads that header — leading spaces and tabs skipped, the scheme
 * `Bearer` in any case followed by one space, the token the rest of the line but its trailing spaces and tabs (OWS
 * around a field value is not part of it, RFC 9110 §5.5); a control character other than HTAB
 * makes it malformed (HTTP: 400). The line ends at LF, a CR before it not part of the token (as CR LF ends a header
 * line); the rest of the message is the body. Without a line feed the whole message is the line and the body is
 * empty (HTTP: a request without a body, 400 with the right token).
 */
import { ascii, bytesEqualIgnoringCase } from "../../net/ascii.js";

const BEARER = ascii("bearer ");

/** Where the token and body of a config message are, in the message's buffer; tokenStart -1: no bearer token. */
export class ConfigMessage {
  tokenStart = -1;
  tokenLength = 0;
  bodyStart = 0;
  bodyLength = 0;
}

/** Reads bytes[start .. start + length) into `into`; false when its first line is malformed. */
export function readConfigMessage(bytes: Uint8Array, start: number, length: number, into: ConfigMessage): boolean {
  const end = start + length;
  let lineEnd = start;
  while (lineEnd < end && bytes[lineEnd] !== 10) lineEnd++;
  into.bodyStart = lineEnd < end ? lineEnd + 1 : end;
  into.bodyLength = end - into.bodyStart;
  let valueEnd = lineEnd < end && lineEnd > start && bytes[lineEnd - 1] === 13 ? lineEnd - 1 : lineEnd;
  into.tokenStart = -1;
  into.tokenLength = 0;
  for (let i = start; i < valueEnd; i++) {
    const b = bytes[i] ?? 0;
    if ((b < 32 && b !== 9) || b === 127) return false;
  }
  let value = start;
  while (value < valueEnd && (bytes[value] === 32 || bytes[value] === 9)) value++;
  while (valueEnd > value && (bytes[valueEnd - 1] === 32 || bytes[valueEnd - 1] === 9)) valueEnd--;
  if (bytesEqualIgnoringCase(bytes, value, Math.min(BEARER.length, valueEnd - value), BEARER)) {
    into.tokenStart = value + BEARER.length;
    into.tokenLength = valueEnd - into.tokenStart;
  }
  return true;
}
