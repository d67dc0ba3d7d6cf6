/** stillheap/services: deadlines, a bounded work queue, a supervisor, a watchdog, boot timing. */
export { Deadline, DeadlinePool, DeadlineError, DoneReason } from "./deadline.js";
export { WorkQueue, type Job } from "./work-queue.js";
export { Supervisor, StartError, ComponentState, within, type Component } from "./supervisor.js";
export { Watchdog, type Watched } from "./watchdog.js";
export { BootTimer, Lazy, LazyInitError } from "./boot.js";
export type { Clock, TimerApi, TimerHandle } from "./time.js";
