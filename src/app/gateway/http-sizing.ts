/** A board's HTTP sizing (boards/*.ts `http`) as the connection service's options: slots and their buffers. */
import type { HttpLimits } from "../../net/request.js";

export interface HttpSizing extends HttpLimits {
  readonly slots: number;
  readonly responseBytes: number;
}

export interface SizedService {
  readonly slots: number;
  readonly responseBytes: number;
  readonly limits: HttpLimits;
}

export function httpSizing(sizing: HttpSizing): SizedService {
  const limits: HttpLimits = Object.freeze({ requestLineBytes: sizing.requestLineBytes, headerBytes: sizing.headerBytes,
    bodyBytes: sizing.bodyBytes });
  return { slots: sizing.slots, responseBytes: sizing.responseBytes, limits };
}
