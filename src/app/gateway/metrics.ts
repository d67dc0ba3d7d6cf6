/** /metrics in Prometheus text: samples, drops by reason, faults by kind, queue depth, memory, GC, boot and uptime. */
import { SAMPLE_STATUS_NAMES } from "../../drivers/common/errors.js";
import { ascii } from "../../net/ascii.js";
import { PrometheusWriter, type ByteWriter } from "../../net/writer.js";
import type { Clock } from "../../services/time.js";
import type { WorkQueue } from "../../services/work-queue.js";
import type { Gateway } from "./gateway.js";

const N = Object.freeze({
  produced: ascii("stillheap_samples_produced_total"), delivered: ascii("stillheap_samples_delivered_total"),
  dropped: ascii("stillheap_samples_dropped_total"), faults: ascii("stillheap_sensor_faults_total"),
  depth: ascii("stillheap_queue_depth"), noSlot: ascii("stillheap_http_connections_refused_total"),
  answered: ascii("stillheap_http_responses_total"), overflows: ascii("stillheap_http_response_overflows_total"), refused: ascii("stillheap_http_refused_total"),
  unauthorized: ascii("stillheap_http_unauthorized_total"), chunks: ascii("stillheap_memory_chunk_bytes"),
  slots: ascii("stillheap_memory_slots"), gc: ascii("stillheap_gc_cycles_total"),
  gcRecent: ascii("stillheap_gc_cycles_recent"),
  firstSample: ascii("stillheap_boot_first_sample_ms"), uptime: ascii("stillheap_uptime_seconds"),
});
const T = Object.freeze({ counter: ascii("counter"), gauge: ascii("gauge") });
const H = Object.freeze({
  produced: ascii("Samples each sensor produced."), delivered: ascii("Samples delivered to the readings windows."),
  dropped: ascii("Samples dropped, by reason."), faults: ascii("Runtime faults the drivers reported, by kind."),
  depth: ascii("Requests waiting in the HTTP work queue."),
  noSlot: ascii("Connections refused with 503 because every connection slot was busy."),
  answered: ascii("HTTP responses sent, every status."), overflows: ascii("Responses too large for their buffer (answered 500)."), refused: ascii("Requests refused with 503 because the work queue was full."),
  unauthorized: ascii("Config requests refused for a missing or wrong token."), chunks: ascii("XS chunk heap bytes in use (-1 where unknown)."),
  slots: ascii("XS slots in use (-1 where unknown)."), gc: ascii("Garbage collections since boot (-1 where unknown)."),
  gcRecent: ascii("Collections in the current instrumentation interval, where the host keeps no total (Moddable; else -1)."),
  firstSample: ascii("Milliseconds from boot to the first delivered sample (-1 before it)."), uptime: ascii("Seconds since boot."),
});
const L = Object.freeze({ sensor: ascii("sensor"), reason: ascii("reason"), kind: ascii("kind"), queue: ascii("queue"), http: ascii("http") });
const REASONS = Object.freeze(SAMPLE_STATUS_NAMES.map((name) => ascii(name)));

export interface ConnectionCounters {
  readonly noSlot: number;
  readonly answered: number;
  readonly overflows: number;
}

export class Metrics {
  unauthorized = 0;
  /** Set by the HTTP service so the queue shows in /metrics. */
  queue: WorkQueue | undefined;
  /** Set by the HTTP service: its connection counters. */
  connections: ConnectionCounters | undefined;
  #writer: PrometheusWriter | undefined;

  constructor(readonly gateway: Gateway, readonly clock: Clock) {}

  write(out: ByteWriter): void {
    if (this.#writer === undefined || this.#writer.out !== out) this.#writer = new PrometheusWriter(out);
    const prom = this.#writer;
    const sensors = this.gateway.sensors;
    prom.family(N.produced, T.counter, H.produced);
    for (let i = 0; i < sensors.length; i++) prom.sample(N.produced, sensors[i]?.produced ?? 0, L.sensor, sensors[i]?.nameBytes);
    prom.family(N.delivered, T.counter, H.delivered);
    for (let i = 0; i < sensors.length; i++) prom.sample(N.delivered, sensors[i]?.delivered ?? 0, L.sensor, sensors[i]?.nameBytes);
    prom.family(N.dropped, T.counter, H.dropped);
    for (let r = 1; r < REASONS.length; r++) prom.sample(N.dropped, this.#dropped(r), L.reason, REASONS[r]);
    prom.family(N.faults, T.counter, H.faults);
    for (let r = 1; r < REASONS.length; r++) prom.sample(N.faults, this.#faults(r), L.kind, REASONS[r]);
    prom.family(N.depth, T.gauge, H.depth).sample(N.depth, this.queue?.queued ?? 0, L.queue, L.http);
    prom.family(N.refused, T.counter, H.refused).sample(N.refused, this.queue?.refused ?? 0);
    prom.family(N.noSlot, T.counter, H.noSlot).sample(N.noSlot, this.connections?.noSlot ?? 0);
    prom.family(N.answered, T.counter, H.answered).sample(N.answered, this.connections?.answered ?? 0);
    prom.family(N.overflows, T.counter, H.overflows).sample(N.overflows, this.connections?.overflows ?? 0);
    prom.family(N.unauthorized, T.counter, H.unauthorized).sample(N.unauthorized, this.unauthorized);
    const memory = this.gateway.memory.read();
    prom.family(N.chunks, T.gauge, H.chunks).sample(N.chunks, memory.chunkBytesUsed);
    prom.family(N.slots, T.gauge, H.slots).sample(N.slots, memory.slotsUsed);
    prom.family(N.gc, T.counter, H.gc).sample(N.gc, memory.gcCount);
    prom.family(N.gcRecent, T.gauge, H.gcRecent).sample(N.gcRecent, memory.gcRecent);
    prom.family(N.firstSample, T.gauge, H.firstSample).sample(N.firstSample, this.gateway.boot.firstSampleMs);
    prom.family(N.uptime, T.gauge, H.uptime).sample(N.uptime, (this.clock.nowMs() - this.gateway.boot.bootAtMs) / 1000, undefined, undefined, 3);
  }

  #dropped(reason: number): number {
    let total = 0;
    for (let i = 0; i < this.gateway.sensors.length; i++) total += this.gateway.sensors[i]?.dropped[reason] ?? 0;
    return total;
  }

  #faults(kind: number): number {
    let total = 0;
    for (let i = 0; i < this.gateway.sensors.length; i++) total += this.gateway.sensors[i]?.counters.faults[kind] ?? 0;
    return total;
  }
}
