/** Assertions that run on every engine (node:assert does not exist on XS). */

export class AssertionError extends Error {
  override name = "AssertionError";
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}[${Array.prototype.join.call(value, ",")}]`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch (error: unknown) {
    return `${String(value)} (not serialisable: ${String(error)})`;
  }
}

function fail(message: string, detail: string | undefined): never {
  throw new AssertionError(detail === undefined ? message : `${detail}: ${message}`);
}

export function ok(value: unknown, message?: string): asserts value {
  if (!value) fail(`expected a truthy value, got ${show(value)}`, message);
}

export function equal<T>(actual: T, expected: T, message?: string): void {
  if (!Object.is(actual, expected)) fail(`expected ${show(expected)}, got ${show(actual)}`, message);
}

export function notEqual<T>(actual: T, expected: T, message?: string): void {
  if (Object.is(actual, expected)) fail(`expected something other than ${show(expected)}`, message);
}

export function closeTo(actual: number, expected: number, tolerance: number, message?: string): void {
  if (!(Math.abs(actual - expected) <= tolerance)) {
    fail(`expected ${expected} ± ${tolerance}, got ${actual}`, message);
  }
}

function deepEqualValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  return keysA.every((key) => Object.prototype.hasOwnProperty.call(b, key) && deepEqualValue(recordA[key], recordB[key]));
}

export function deepEqual<T>(actual: T, expected: T, message?: string): void {
  if (!deepEqualValue(actual, expected)) fail(`expected ${show(expected)}, got ${show(actual)}`, message);
}

type ErrorClass = abstract new (...args: never[]) => Error;

function checkError(error: unknown, type: ErrorClass | undefined, pattern: RegExp | undefined, message?: string): void {
  if (type !== undefined && !(error instanceof type)) {
    fail(`expected a ${type.name}, got ${show(error)}`, message);
  }
  if (pattern !== undefined) {
    const text = error instanceof Error ? error.message : String(error);
    if (!pattern.test(text)) fail(`expected an error message matching ${String(pattern)}, got ${show(text)}`, message);
  }
}

/** Calls `body` and returns what it threw; fails if it threw nothing or the wrong kind of error. */
export function throws(body: () => unknown, type?: ErrorClass, pattern?: RegExp, message?: string): unknown {
  try {
    body();
  } catch (error: unknown) {
    checkError(error, type, pattern, message);
    return error;
  }
  return fail("expected an error to be thrown, but none was", message);
}

export async function rejects(
  body: () => Promise<unknown>,
  type?: ErrorClass,
  pattern?: RegExp,
  message?: string,
): Promise<unknown> {
  try {
    await body();
  } catch (error: unknown) {
    checkError(error, type, pattern, message);
    return error;
  }
  return fail("expected the promise to reject, but it resolved", message);
}
