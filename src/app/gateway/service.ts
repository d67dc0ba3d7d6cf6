/**
 * Connections to the HTTP API, host-neutral: a fixed set of connection slots with pooled request and response
 * buffers, a bounded work queue that refuses with 503 and Retry-After when full, 408 when a request is not complete
 * by its deadline, and the parse errors' statuses. Hosts move bytes in and out (ResponseSink); nothing here knows
 * about sockets.
 */
import { ascii } from "../../net/ascii.js";
import { Response } from "../../net/http.js";
import { DEFAULT_LIMITS, HttpRequest, ParseResult, parseRequest, type HttpLimits } from "../../net/request.js";
import { JsonWriter } from "../../net/writer.js";
import type { TimerApi } from "../../io/index.js";
import { WorkQueue, type Job } from "../../services/work-queue.js";
import type { GatewayApi } from "./api.js";

export interface ResponseSink {
  /** Sends bytes[0 .. length) as the whole response of `slot`, then the host closes the connection. */
  send(slot: number, bytes: Uint8Array, length: number): void;
}

/**
 * Device-class work per request, for load tests on hosts much faster than a microcontroller: each request holds its
 * worker for `ms` before it is answered, so the work queue and the connection slots, not the load generator, are
 * what saturates.
 */
export interface SimulatedWork {
  readonly ms: number;
  readonly timer: TimerApi;
}

export interface HttpServiceOptions {
  readonly slots?: number;
  readonly concurrency?: number;
  readonly backlog?: number;
  readonly limits?: HttpLimits;
  readonly responseBytes?: number;
  readonly work?: SimulatedWork;
}

/** A board's HTTP sizing (boards/*.ts `http`), as the service's options. */
export interface HttpSizing extends HttpLimits {
  readonly slots: number;
  readonly responseBytes: number;
}

export function httpSizing(sizing: HttpSizing): HttpServiceOptions {
  const limits: HttpLimits = Object.freeze({ requestLineBytes: sizing.requestLineBytes, headerBytes: sizing.headerBytes,
    bodyBytes: sizing.bodyBytes });
  return { slots: sizing.slots, responseBytes: sizing.responseBytes, limits };
}

const SLOT = Object.freeze({ free: 0, reading: 1, working: 2, answered: 3 });
const ERROR_KEY = ascii("error");
const BUSY = ascii("busy: the work queue is full, retry shortly");
const TIMEOUT = ascii("request not complete before its deadline");
const TOO_BIG = ascii("response too large for its buffer");

export class HttpService implements Job {
  readonly queue: WorkQueue;
  readonly limits: HttpLimits;
  /** Connections refused because every slot was busy, responses by class, response-buffer overflows. */
  noSlot = 0;
  answered = 0;
  overflows = 0;
  readonly #inputs: Uint8Array[] = [];
  readonly #outputs: Uint8Array[] = [];
  readonly #requests: HttpRequest[] = [];
  readonly #responses: Response[] = [];
  readonly #json: JsonWriter[] = [];
  readonly #received: Int32Array;
  readonly #state: Uint8Array;
  readonly #jobId: number;
  readonly #work: SimulatedWork | undefined;
  /** One per slot, made at construction, so simulated work schedules no new closure per request. */
  readonly #finishers: Array<() => void> = [];

  constructor(readonly api: GatewayApi, readonly sink: ResponseSink, options: HttpServiceOptions = {}) {
    const slots = options.slots ?? 8;
    this.limits = options.limits ?? DEFAULT_LIMITS;
    const inputBytes = this.limits.requestLineBytes + this.limits.headerBytes + this.limits.bodyBytes + 8;
    for (let i = 0; i < slots; i++) {
      this.#inputs.push(new Uint8Array(inputBytes));
      this.#outputs.push(new Uint8Array(options.responseBytes ?? 4096));
      this.#requests.push(new HttpRequest());
      const response = new Response();
      this.#responses.push(response);
      this.#json.push(new JsonWriter(response.body));
    }
    this.#received = new Int32Array(slots);
    this.#state = new Uint8Array(slots);
    this.queue = new WorkQueue(options.concurrency ?? 2, options.backlog ?? 4);
    this.#jobId = this.queue.register(this);
    this.#work = options.work;
    if (this.#work !== undefined) for (let slot = 0; slot < slots; slot++) this.#finishers.push(() => this.#answer(slot));
    api.metrics.queue = this.queue;
    api.metrics.connections = this;
  }

  /** A slot for a new connection, or -1 when all are busy (the host answers with busyResponse()). */
  open(): number {
    for (let slot = 0; slot < this.#state.length; slot++) {
      if (this.#state[slot] !== SLOT.free) continue;
      this.#state[slot] = SLOT.reading;
      this.#received[slot] = 0;
      return slot;
    }
    this.noSlot++;
    return -1;
  }

  /** Takes bytes[start .. start + length) received on `slot`. */
  receive(slot: number, bytes: Uint8Array, start: number, length: number): void {
    if (this.#state[slot] !== SLOT.reading) return; // answered already (an error): the rest is ignored
    const input = this.#inputs[slot] ?? new Uint8Array(0);
    const at = this.#received[slot] ?? 0;
    const take = Math.min(length, input.length - at);
    for (let i = 0; i < take; i++) input[at + i] = bytes[start + i] ?? 0;
    this.#received[slot] = at + take;
    const request = this.#requests[slot] ?? new HttpRequest();
    const result = parseRequest(request.reset(input), at + take, this.limits);
    if (result === ParseResult.error) this.#answerError(slot, request.errorStatus, ascii(request.errorReason));
    else if (result === ParseResult.complete) this.#dispatch(slot);
    else if (take < length) this.#answerError(slot, 431, ascii("request larger than its buffer"));
  }

  /** The host's deadline for a complete request passed. */
  timeout(slot: number): void {
    if (this.#state[slot] === SLOT.reading) this.#answerError(slot, 408, TIMEOUT);
  }

  /** The connection ended: its slot is free again. */
  close(slot: number): void {
    if (this.#state[slot] !== SLOT.working) this.#state[slot] = SLOT.free;
    else this.#state[slot] = SLOT.answered; // freed once the job finishes
  }

  #dispatch(slot: number): void {
    this.#state[slot] = SLOT.working;
    if (this.queue.trySubmit(this.#jobId, slot)) return;
    const response = this.#begin(slot);
    response.status = 503;
    response.retryAfterS = 1;
    this.#message(slot, BUSY);
    this.#send(slot, response);
  }

  /** Job: answers the request of `slot` (run by the work queue when a worker is free). */
  run(slot: number): void {
    const finish = this.#finishers[slot];
    if (this.#work !== undefined && finish !== undefined) this.#work.timer.set(finish, this.#work.ms);
    else this.#answer(slot);
  }

  #answer(slot: number): void {
    const response = this.#begin(slot);
    const request = this.#requests[slot];
    let ok = true;
    try {
      if (request !== undefined) this.api.handle(request, response);
    } catch (error: unknown) {
      ok = false;
      response.begin(this.#outputs[slot] ?? new Uint8Array(512)).status = 500;
      this.#message(slot, ascii(error instanceof Error ? error.message : String(error)));
    }
    this.#send(slot, response);
    this.queue.complete(ok);
  }

  #begin(slot: number): Response {
    const response = this.#responses[slot] ?? new Response();
    return response.begin(this.#outputs[slot] ?? new Uint8Array(512));
  }

  #message(slot: number, message: Uint8Array): void {
    this.#json[slot]?.reset().beginObject().key(ERROR_KEY).string(message).endObject();
  }

  #answerError(slot: number, status: number, message: Uint8Array): void {
    this.#state[slot] = SLOT.working;
    const response = this.#begin(slot);
    response.status = status;
    this.#message(slot, message);
    this.#send(slot, response);
  }

  #send(slot: number, response: Response): void {
    let length = response.finish();
    if (length < 0) {
      this.overflows++;
      response.begin(this.#outputs[slot] ?? new Uint8Array(512)).status = 500;
      this.#message(slot, TOO_BIG);
      length = response.finish();
    }
    const closed = this.#state[slot] === SLOT.answered;
    this.#state[slot] = closed ? SLOT.free : SLOT.answered;
    this.answered++;
    if (!closed) this.sink.send(slot, this.#outputs[slot] ?? new Uint8Array(0), length);
  }

  /** Releases a slot whose response the host has sent. */
  sent(slot: number): void {
    if (this.#state[slot] === SLOT.answered) this.#state[slot] = SLOT.free;
  }
}
