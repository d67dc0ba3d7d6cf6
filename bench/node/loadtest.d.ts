/**
 * The part of loadtest 8's API the load benchmark uses. The package's own index.d.ts still describes the callback
 * API of older versions (loadTest returning an Operation); version 8 returns a promise when no callback is given.
 */
declare module "loadtest" {
  import type { ClientRequest, IncomingMessage, RequestOptions } from "node:http";
  export interface RequestResult {
    readonly statusCode: number;
    readonly requestElapsed: number;
  }
  export interface LoadTestOptions {
    readonly url: string;
    readonly concurrency?: number;
    readonly requestsPerSecond?: number;
    readonly maxSeconds?: number;
    readonly timeout?: number;
    readonly quiet?: boolean;
    readonly statusCallback?: (error: Error | null | undefined, result: RequestResult | undefined) => void;
    /** Makes each request (loadtest calls it when a request leaves): `request` is node:http's, `connect` its callback. */
    readonly requestGenerator?: (options: LoadTestOptions, params: RequestOptions,
      request: (params: RequestOptions, callback: (response: IncomingMessage) => void) => ClientRequest,
      connect: (response: IncomingMessage) => void) => ClientRequest;
  }
  export interface LoadTestResult {
    readonly totalRequests: number;
    readonly totalErrors: number;
    readonly totalTimeSeconds: number;
    readonly rps: number;
  }
  export function loadTest(options: LoadTestOptions): Promise<LoadTestResult>;
}
