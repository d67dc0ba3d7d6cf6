/**
 * HTTP connections, host-neutral and handler-neutral: a fixed set of connection slots, each with its request buffer
 * and a resuming parse, response buffers lent from a shared pool, a bounded work queue that refuses with 503 and
 * Retry-After when full (as a full pool does, with the refusal framed once here), 408 when a request is not complete
 * by its deadline, 100 Continue or the final status at once for `Expect: 100-continue`, and the parse errors'
 * statuses. Hosts move bytes in and out (ResponseSink); a handler answers complete requests; nothing here knows about
 * sockets or what is served.
 */
import { ascii } from "./ascii.js";
import { Response } from "./http.js";
import { DEFAULT_LIMITS, HttpRequest, ParseResult, parseRequest, type HttpLimits } from "./request.js";
import { ResponseBuffers } from "./response-buffers.js";
import type { TimerApi } from "../io/index.js";
import type { Clock } from "../services/time.js";
import { WorkQueue, type Job } from "../services/work-queue.js";

/** Answers a complete request into `response` (begun on the slot's output buffer); a throw is answered 500. */
export interface RequestHandler {
  handle(request: HttpRequest, response: Response): void;
  /**
   * For a request whose client waits for 100 Continue before sending its body (`Expect: 100-continue`): answers it
   * from the request line and headers alone when they decide it (no such route, a wrong token), and says so with
   * true; false when the body is needed, and the client is told to send it. Without it the body is always asked for.
   */
  answerHead?(request: HttpRequest, response: Response): boolean;
}

/**
 * What the service counts: connections refused because every slot was busy, responses sent, response-buffer
 * overflows, handler failures (answered 500), slow connections evicted for a newer one. Made by the composition root
 * and given to the service and to whatever reports it (metrics).
 */
export class ConnectionCounters {
  noSlot = 0;
  /** Connections refused because their client already held its share of the slots (`slotsPerClient`). */
  clientShare = 0;
  /** Connections still sending their request when the service was asked to stop: answered 503. */
  refusedAtStop = 0;
  answered = 0;
  overflows = 0;
  /** Responses sent as the 503 refusal because every response buffer was out (`responseBuffers`). */
  noBuffer = 0;
  internalErrors = 0;
  evicted = 0;
}

export interface ResponseSink {
  /** Sends bytes[0 .. length) as the whole response of `slot`, then the host closes the connection. */
  send(slot: number, bytes: Uint8Array, length: number): void;
  /**
   * Sends bytes[0 .. length) ahead of the response of `slot` (a 100 Continue), the connection staying open. The bytes
   * are a shared constant: write them, never change them. A host without it leaves a client that waits for 100
   * Continue to its own timeout (curl waits 1 s) before it sends the body.
   */
  interim?(slot: number, bytes: Uint8Array, length: number): void;
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

export interface ConnectionServiceOptions {
  readonly clock: Clock;
  /** Where the counts go; the service makes its own when none is given. */
  readonly counters?: ConnectionCounters;
  /** The work queue requests wait in; by default `concurrency` workers and `backlog` places. */
  readonly queue?: WorkQueue;
  readonly slots?: number;
  readonly concurrency?: number;
  readonly backlog?: number;
  readonly limits?: HttpLimits;
  readonly responseBytes?: number;
  /**
   * Response buffers, shared by the slots: one is taken when a response is written and given back when the host has
   * sent it (`sent`, or `close`). Size it to the concurrency plus the responses still draining; when none is free the
   * answer is the 503 refusal (counted in `noBuffer`), so a slot reading its request holds no response buffer. One
   * per slot by default.
   */
  readonly responseBuffers?: number;
  readonly work?: SimulatedWork;
  /**
   * When every slot is busy, a new connection takes the slot of the connection that has been sending its request
   * longest, once that one has been open this many ms (it is answered 408). Off when undefined: a slow client then
   * holds its slot until the request deadline.
   */
  readonly evictAfterMs?: number;
  /**
   * Most slots one client (the key a host passes to `open`, e.g. a hash of its address) holds at once. A client at its
   * share gives up its own longest-sending connection if eviction allows, or is refused; the others keep the rest, so
   * slow senders that reconnect from one address cannot hold every slot. Default: every slot (no share).
   */
  readonly slotsPerClient?: number;
}

/** Room for /metrics at its largest — every sensor dropping for every reason, counters at 10 digits (~7 KB) — and the head. */
const RESPONSE_BYTES = 8192;
const SLOT = Object.freeze({ free: 0, reading: 1, working: 2, answered: 3 });
/** SLOT.reading as a plain constant, for the per-byte path. */
const READING = 1;
const ERROR_KEY = ascii("error");
const CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
const BUSY = "busy: the work queue is full, retry shortly";
const TIMEOUT = "request not complete before its deadline";
const TOO_BIG = "response too large for its buffer";
const TOO_LONG = "request larger than its buffer";
const INTERNAL = "internal error; counted in stillheap_http_internal_errors_total";
const EVICTED = "request not complete: its slot went to a newer connection";
const STOPPING = "the server is stopping";
const NO_SLOT = "all connections in use, retry shortly";
/** Room for the refusal: its head and its message. */
const REFUSAL_BYTES = 320;
/** The client key of a connection whose host names none: it counts against no share. */
export const NO_CLIENT = -1;

export class ConnectionService implements Job {
  readonly queue: WorkQueue;
  readonly limits: HttpLimits;
  readonly counters: ConnectionCounters;
  readonly #clock: Clock;
  /** The last error a handler threw, for a debugger or a log; never sent to a client. */
  lastError: unknown = undefined;
  /**
   * The whole 503 (with Retry-After) a host sends to a connection `open` refused, or to any while it stops: framed
   * once here, so no host writes its own. Hosts send it as it is and never change it.
   */
  readonly refusal: Uint8Array;
  readonly #inputs: Uint8Array[] = [];
  readonly #outputs: ResponseBuffers;
  readonly #requests: HttpRequest[] = [];
  readonly #responses: Response[] = [];
  readonly #inputBytes: number;
  readonly #openedAt: Float64Array;
  readonly #evictAfterMs: number;
  readonly #perClient: number;
  readonly #clients: Int32Array;
  readonly #state: Uint8Array;
  readonly #jobId: number;
  readonly #work: SimulatedWork | undefined;
  /** One per slot, made at construction, so simulated work schedules no new closure per request. */
  readonly #finishers: Array<() => void> = [];

  constructor(readonly handler: RequestHandler, readonly sink: ResponseSink, options: ConnectionServiceOptions) {
    this.#clock = options.clock;
    this.counters = options.counters ?? new ConnectionCounters();
    const slots = options.slots ?? 8;
    this.limits = options.limits ?? DEFAULT_LIMITS;
    const inputBytes = this.limits.requestLineBytes + this.limits.headerBytes + this.limits.bodyBytes + 8;
    this.#inputBytes = inputBytes;
    for (let i = 0; i < slots; i++) {
      this.#inputs.push(new Uint8Array(inputBytes));
      this.#requests.push(new HttpRequest());
      this.#responses.push(new Response());
    }
    const buffers = Math.max(1, options.responseBuffers ?? slots);
    this.#outputs = new ResponseBuffers(buffers, options.responseBytes ?? RESPONSE_BYTES, slots);
    this.#openedAt = new Float64Array(slots);
    this.#evictAfterMs = options.evictAfterMs ?? -1;
    this.#perClient = Math.max(1, Math.min(slots, options.slotsPerClient ?? slots));
    this.#clients = new Int32Array(slots).fill(NO_CLIENT);
    this.#state = new Uint8Array(slots);
    this.queue = options.queue ?? new WorkQueue(options.concurrency ?? 2, options.backlog ?? 4);
    this.#jobId = this.queue.register(this);
    this.#work = options.work;
    this.refusal = this.#frameRefusal();
    if (this.#work !== undefined) for (let slot = 0; slot < slots; slot++) this.#finishers.push(() => this.#answer(slot));
  }

  #frameRefusal(): Uint8Array {
    const bytes = new Uint8Array(REFUSAL_BYTES);
    const response = new Response().begin(bytes);
    response.status = 503;
    response.retryAfterS = 1;
    this.#message(response, NO_SLOT);
    return bytes.subarray(0, response.finish());
  }

  /**
   * A slot for a new connection from `client` (a host's key for its address; NO_CLIENT counts against no share), or
   * -1 when refused (the host answers 503). With `evictAfterMs`, the slowest sender open that long is answered 408
   * first (its sink.send comes before this returns) and its slot reused: the client's own when it holds its share,
   * else the longest-sending of all.
   */
  open(client = NO_CLIENT): number {
    if (client !== NO_CLIENT && this.#perClient < this.#state.length && this.#held(client) >= this.#perClient) {
      const own = this.#oldestReading(client);
      if (own >= 0 && this.#evictable(own)) return this.#evict(own, client);
      this.counters.clientShare++;
      return -1;
    }
    for (let slot = 0; slot < this.#state.length; slot++) if (this.#state[slot] === SLOT.free) return this.#take(slot, client);
    const oldest = this.#oldestReading(NO_CLIENT);
    if (oldest >= 0 && this.#evictable(oldest)) return this.#evict(oldest, client);
    this.counters.noSlot++;
    return -1;
  }

  /** Slots `client` holds now. */
  #held(client: number): number {
    let held = 0;
    for (let slot = 0; slot < this.#state.length; slot++) if (this.#state[slot] !== SLOT.free && this.#clients[slot] === client) held++;
    return held;
  }

  /** The slot still reading its request that opened first (of `client`, or of anyone with NO_CLIENT), or -1. */
  #oldestReading(client: number): number {
    let oldest = -1;
    for (let slot = 0; slot < this.#state.length; slot++) {
      if (this.#state[slot] !== SLOT.reading || (client !== NO_CLIENT && this.#clients[slot] !== client)) continue;
      if (oldest < 0 || (this.#openedAt[slot] ?? 0) < (this.#openedAt[oldest] ?? 0)) oldest = slot;
    }
    return oldest;
  }

  #evictable(slot: number): boolean {
    return this.#evictAfterMs >= 0 && this.#clock.nowMs() - (this.#openedAt[slot] ?? 0) >= this.#evictAfterMs;
  }

  #evict(slot: number, client: number): number {
    this.counters.evicted++;
    this.#answerError(slot, 408, EVICTED);
    if (this.#state[slot] === SLOT.answered) { // the host sent it and forgot the slot
      this.#state[slot] = SLOT.free;
      this.#outputs.takeBack(slot);
    }
    if (this.#state[slot] === SLOT.free) return this.#take(slot, client);
    this.counters.noSlot++;
    return -1;
  }

  #take(slot: number, client: number): number {
    const input = this.#inputs[slot];
    if (input !== undefined) this.#requests[slot]?.reset(input); // the parser resumes from here until the answer
    this.#state[slot] = SLOT.reading;
    this.#clients[slot] = client;
    this.#openedAt[slot] = this.#clock.nowMs();
    return slot;
  }

  /**
   * Shutting down: every connection still sending its request is answered 503 with Retry-After now (counted in
   * `refusedAtStop`), so none holds the stop until its deadline; requests already complete are answered as usual.
   */
  refuseReading(): void {
    for (let slot = 0; slot < this.#state.length; slot++) {
      if (this.#state[slot] !== SLOT.reading) continue;
      this.counters.refusedAtStop++;
      this.#state[slot] = SLOT.working;
      this.#requests[slot]?.stop();
      const response = this.#responses[slot];
      const output = this.#acquire(slot);
      if (response === undefined || output === undefined) continue;
      response.begin(output).status = 503;
      response.retryAfterS = 1;
      this.#message(response, STOPPING);
      this.#send(slot, response, output);
    }
  }

  /** Takes bytes[start .. start + length) received on `slot`. */
  receive(slot: number, bytes: Uint8Array, start: number, length: number): void {
    const request = this.#requests[slot];
    if (request === undefined) return;
    const scan = request.scan;
    if (length === 1 && scan < request.fastUntil) {
      // parseRequest's fast path, inlined: on a device sending a byte per segment a call would cost more than the
      // byte. fastUntil is 0 unless the slot is reading its head and everything received is scanned, so the scan is
      // the count received while it is above 0 (`received` is brought up to date below).
      const b = bytes[start]!;
      if (b !== 13 && b !== 10) {
        request.bytes[scan] = b;
        request.scan = scan + 1;
        return;
      }
    }
    if (this.#state[slot] !== READING) return; // answered already: the rest is ignored
    const input = request.bytes; // the slot's input buffer, given at #take
    const at = request.fastUntil > 0 ? scan : request.received;
    const room = this.#inputBytes - at;
    const take = length < room ? length : room;
    request.received = at + take;
    // A whole chunk is copied natively; a part would need a view (an allocation), so it is copied byte by byte.
    if (start === 0 && take === bytes.length) input.set(bytes, at);
    else for (let i = 0; i < take; i++) input[at + i] = bytes[start + i] ?? 0;
    const result = parseRequest(request, at + take, this.limits);
    if (result === ParseResult.error) this.#answerError(slot, request.errorStatus, request.errorReason);
    else if (result === ParseResult.complete) this.#dispatch(slot);
    else if (take < length) this.#answerError(slot, 431, TOO_LONG);
    else if (request.expectContinue && !request.expectationAnswered && request.awaitingBody) this.#expectation(slot, request);
  }

  /** RFC 9110 §10.1.1: the final status at once if the head decides it, else 100 Continue. */
  #expectation(slot: number, request: HttpRequest): void {
    request.expectationAnswered = true;
    let answered = false;
    if (this.handler.answerHead !== undefined) {
      this.#state[slot] = SLOT.working;
      const response = this.#responses[slot];
      const output = this.#acquire(slot);
      if (response === undefined || output === undefined) return;
      response.begin(output);
      try {
        answered = this.handler.answerHead(request, response);
      } catch (error: unknown) {
        answered = true;
        this.counters.internalErrors++;
        this.lastError = error;
        response.begin(output).status = 500;
        this.#message(response, INTERNAL);
      }
      if (answered) this.#send(slot, response, output);
      else {
        this.#outputs.takeBack(slot); // the body is to come: a reading slot holds no response buffer
        this.#state[slot] = SLOT.reading;
      }
    }
    if (!answered && this.sink.interim !== undefined) this.sink.interim(slot, CONTINUE, CONTINUE.length);
  }

  /** The host's deadline for a complete request passed. */
  timeout(slot: number): void {
    if (this.#state[slot] === SLOT.reading) this.#answerError(slot, 408, TIMEOUT);
  }

  /** The connection ended: its slot is free again. */
  close(slot: number): void {
    this.#requests[slot]?.stop();
    if (this.#state[slot] !== SLOT.working) {
      this.#state[slot] = SLOT.free;
      this.#outputs.takeBack(slot);
    } else this.#state[slot] = SLOT.answered; // freed once the job finishes
  }

  #dispatch(slot: number): void {
    this.#state[slot] = SLOT.working;
    if (this.queue.trySubmit(this.#jobId, slot)) return;
    const response = this.#responses[slot];
    const output = this.#acquire(slot);
    if (response === undefined || output === undefined) return;
    response.begin(output).status = 503;
    response.retryAfterS = 1;
    this.#message(response, BUSY);
    this.#send(slot, response, output);
  }

  /** Job: answers the request of `slot` (run by the work queue when a worker is free). */
  run(slot: number): void {
    const finish = this.#finishers[slot];
    if (this.#work !== undefined && finish !== undefined) this.#work.timer.set(finish, this.#work.ms);
    else this.#answer(slot);
  }

  #answer(slot: number): void {
    const response = this.#responses[slot];
    const request = this.#requests[slot];
    const output = this.#acquire(slot);
    if (response === undefined || output === undefined || request === undefined) {
      this.queue.complete(true);
      return;
    }
    response.begin(output);
    let ok = true;
    try {
      this.handler.handle(request, response);
    } catch (error: unknown) {
      // The error's text is not echoed (it may carry anything); the count shows it happened.
      ok = false;
      this.counters.internalErrors++;
      this.lastError = error;
      response.begin(output).status = 500;
      this.#message(response, INTERNAL);
    }
    this.#send(slot, response, output);
    this.queue.complete(ok);
  }

  #message(response: Response, message: string): void {
    response.json.reset().beginObject().key(ERROR_KEY).text(message).endObject();
  }

  #answerError(slot: number, status: number, message: string): void {
    this.#state[slot] = SLOT.working;
    this.#requests[slot]?.stop();
    const response = this.#responses[slot];
    const output = this.#acquire(slot);
    if (response === undefined || output === undefined) return;
    response.begin(output).status = status;
    this.#message(response, message);
    this.#send(slot, response, output);
  }

  #send(slot: number, response: Response, output: Uint8Array): void {
    let length = response.finish();
    if (length < 0) {
      this.counters.overflows++;
      response.begin(output).status = 500;
      this.#message(response, TOO_BIG);
      length = response.finish();
    }
    const closed = this.#state[slot] === SLOT.answered;
    this.#state[slot] = closed ? SLOT.free : SLOT.answered;
    this.counters.answered++;
    if (closed) this.#outputs.takeBack(slot);
    else this.sink.send(slot, output, length);
  }

  /**
   * The response buffer `slot` holds, else a free one; undefined when none is free — then the slot's answer is the
   * refusal, sent here (the slot is working: its state moves on as for any answer).
   */
  #acquire(slot: number): Uint8Array | undefined {
    const output = this.#outputs.lend(slot);
    if (output !== undefined) return output;
    this.counters.noBuffer++;
    const closed = this.#state[slot] === SLOT.answered;
    this.#state[slot] = closed ? SLOT.free : SLOT.answered;
    this.counters.answered++;
    if (!closed) this.sink.send(slot, this.refusal, this.refusal.length);
    return undefined;
  }

  /** Releases a slot whose response the host has sent, and its response buffer. */
  sent(slot: number): void {
    if (this.#state[slot] !== SLOT.answered) return;
    this.#state[slot] = SLOT.free;
    this.#outputs.takeBack(slot);
  }
}
