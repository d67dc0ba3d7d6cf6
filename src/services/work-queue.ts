/**
 * A bounded work queue with fixed concurrency (Go's worker pool over a buffered channel): trySubmit refuses — and
 * counts — work beyond the backlog, so the caller can shed load (an HTTP 503). Jobs are registered once and
 * submitted by id with a numeric argument, so a submission allocates nothing.
 */
import { BoundedQueue } from "../mem/queue.js";

/** A job runs with its argument and must call queue.complete(ok) exactly once, now or later. */
export interface Job {
  run(arg: number, queue: WorkQueue): void;
}

export class WorkQueue {
  readonly concurrency: number;
  submitted = 0;
  completed = 0;
  failed = 0;
  refused = 0;
  inFlight = 0;
  peakInFlight = 0;
  readonly #jobs: Job[] = [];
  readonly #backlogJobs: BoundedQueue;
  readonly #backlogArgs: BoundedQueue;
  #pumping = false;

  constructor(concurrency: number, backlog: number) {
    if (!(concurrency >= 1) || !(backlog >= 1)) throw new RangeError("a work queue needs concurrency ≥ 1 and backlog ≥ 1");
    this.concurrency = concurrency;
    this.#backlogJobs = new BoundedQueue(backlog);
    this.#backlogArgs = new BoundedQueue(backlog);
  }

  /** Registers a job at setup; returns its id for trySubmit. */
  register(job: Job): number {
    this.#jobs.push(job);
    return this.#jobs.length - 1;
  }

  get queued(): number {
    return this.#backlogJobs.length;
  }

  get peakQueued(): number {
    return this.#backlogJobs.peakLength;
  }

  /** Runs the job now if a worker is free, queues it if the backlog has room, or returns false (counted). */
  trySubmit(jobId: number, arg: number): boolean {
    if (this.#jobs[jobId] === undefined) throw new RangeError(`no job ${jobId}: register() it first`);
    if (this.inFlight >= this.concurrency && this.#backlogJobs.length >= this.#backlogJobs.capacity) {
      this.refused++;
      return false;
    }
    this.submitted++;
    this.#backlogJobs.tryPush(jobId);
    this.#backlogArgs.tryPush(arg);
    this.#pump();
    return true;
  }

  /** Called by a job when it ends. */
  complete(ok: boolean): void {
    if (this.inFlight === 0) throw new RangeError("complete() with no job in flight: call it once per run()");
    this.inFlight--;
    if (ok) this.completed++;
    else this.failed++;
    this.#pump();
  }

  #pump(): void {
    if (this.#pumping) return; // a job completing synchronously inside run(): the outer loop carries on
    this.#pumping = true;
    try {
      while (this.inFlight < this.concurrency && this.#backlogJobs.length > 0) {
        const job = this.#jobs[this.#backlogJobs.shift()];
        const arg = this.#backlogArgs.shift();
        this.inFlight++;
        if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight;
        job?.run(arg, this);
      }
    } finally {
      this.#pumping = false;
    }
  }
}
