/**
 * /metrics in Prometheus text: samples, drops and faults by sensor and reason, sensor and watchdog health, HTTP
 * counters, memory, boot and uptime.
 */
import { SAMPLE_STATUS_NAMES } from "../../drivers/common/errors.js";
import type { PrometheusWriter } from "../../net/writer.js";
import type { Clock } from "../../services/time.js";
import type { WorkQueue } from "../../services/work-queue.js";
import type { Gateway } from "./gateway.js";

const N = Object.freeze({
  produced: "stillheap_samples_produced_total", delivered: "stillheap_samples_delivered_total",
  dropped: "stillheap_samples_dropped_total", faults: "stillheap_sensor_faults_total",
  up: "stillheap_sensor_up", startFailures: "stillheap_sensor_start_failures",
  restarts: "stillheap_watchdog_restarts_total", stepFailures: "stillheap_sampling_failures_total", gaveUp: "stillheap_watchdog_gave_up_total",
  depth: "stillheap_queue_depth", noSlot: "stillheap_http_connections_refused_total",
  evicted: "stillheap_http_connections_evicted_total", internal: "stillheap_http_internal_errors_total",
  answered: "stillheap_http_responses_total", overflows: "stillheap_http_response_overflows_total", refused: "stillheap_http_refused_total",
  unauthorized: "stillheap_http_unauthorized_total", chunks: "stillheap_memory_chunk_bytes",
  slots: "stillheap_memory_slots", gc: "stillheap_gc_cycles_total", gcRecent: "stillheap_gc_cycles_recent", hostHeap: "stillheap_memory_host_heap_bytes",
  firstSample: "stillheap_boot_first_sample_ms", uptime: "stillheap_uptime_seconds",
});
const T = Object.freeze({ counter: "counter", gauge: "gauge" });
// Short help texts: the whole exposition must fit one response buffer (8 KiB by default).
const H = Object.freeze({
  produced: "Samples produced.", delivered: "Samples delivered to the windows.",
  dropped: "Samples dropped, by reason.", faults: "Driver faults, by kind, all sensors.",
  up: "0 once nothing was delivered for three periods.", startFailures: "Sensors that did not start.",
  restarts: "Sampling loop restarts.", stepFailures: "Sampling steps that threw.", gaveUp: "Loops the watchdog gave up on.",
  depth: "Requests queued.", noSlot: "Connections refused: every slot busy (503).",
  evicted: "Slow connections evicted for a new one (408).", internal: "Handler failures (500).",
  answered: "Responses sent.", overflows: "Responses too large for their buffer (500).",
  refused: "Requests refused: work queue full (503).", unauthorized: "Config requests without the right token.",
  chunks: "XS chunk bytes in use (-1 off XS).", slots: "XS slots in use (-1 off XS).",
  gc: "Collections since boot (-1 where unknown).",
  gcRecent: "Collections this instrumentation interval, where the host keeps no total (Moddable); else -1.", hostHeap: "Host heap bytes off XS (V8 on Node); -1 on XS.",
  firstSample: "Boot to first delivered sample (-1 before).", uptime: "Seconds since boot.",
});
const L = Object.freeze({ sensor: "sensor", reason: "reason", kind: "kind", queue: "queue", http: "http" });
// Names and help as string constants: they stay in flash on a device (as bytes they would take RAM).
const REASONS = SAMPLE_STATUS_NAMES;

export interface ConnectionCounters {
  readonly noSlot: number;
  readonly answered: number;
  readonly overflows: number;
  readonly evicted: number;
  readonly internalErrors: number;
}

export interface MetricsWriter {
  writeMetrics(prom: PrometheusWriter): void;
}

export class Metrics {
  unauthorized = 0;
  /** Set by the HTTP service so the queue shows in /metrics. */
  queue: WorkQueue | undefined;
  /** Set by the HTTP service: its connection counters. */
  connections: ConnectionCounters | undefined;
  /**
   * Families written after the rest by an optional part (MQTT telemetry, when there is a broker). An interface, not
   * an import: a firmware without MQTT then loads none of its modules, which would cost RAM on the device.
   */
  extra: MetricsWriter | undefined;

  constructor(readonly gateway: Gateway, readonly clock: Clock) {}

  write(prom: PrometheusWriter): void {
    this.#sensors(prom);
    const watchdog = this.gateway.watchdog;
    prom.family(N.stepFailures, T.counter, H.stepFailures).sample(N.stepFailures, this.gateway.samplingFailures);
    prom.family(N.restarts, T.counter, H.restarts).sample(N.restarts, watchdog.restarts);
    prom.family(N.gaveUp, T.counter, H.gaveUp).sample(N.gaveUp, watchdog.gaveUp);
    prom.family(N.depth, T.gauge, H.depth).sample(N.depth, this.queue?.queued ?? 0, L.queue, L.http);
    prom.family(N.refused, T.counter, H.refused).sample(N.refused, this.queue?.refused ?? 0);
    const connections = this.connections;
    prom.family(N.noSlot, T.counter, H.noSlot).sample(N.noSlot, connections?.noSlot ?? 0);
    prom.family(N.evicted, T.counter, H.evicted).sample(N.evicted, connections?.evicted ?? 0);
    prom.family(N.answered, T.counter, H.answered).sample(N.answered, connections?.answered ?? 0);
    prom.family(N.overflows, T.counter, H.overflows).sample(N.overflows, connections?.overflows ?? 0);
    prom.family(N.internal, T.counter, H.internal).sample(N.internal, connections?.internalErrors ?? 0);
    prom.family(N.unauthorized, T.counter, H.unauthorized).sample(N.unauthorized, this.unauthorized);
    const memory = this.gateway.memory.read();
    const xs = memory.slotsUsed >= 0; // engines with slots are XS; Node reports its V8 heap apart
    prom.family(N.chunks, T.gauge, H.chunks).sample(N.chunks, xs ? memory.chunkBytesUsed : -1);
    prom.family(N.slots, T.gauge, H.slots).sample(N.slots, memory.slotsUsed);
    prom.family(N.hostHeap, T.gauge, H.hostHeap).sample(N.hostHeap, xs ? -1 : memory.chunkBytesUsed);
    prom.family(N.gc, T.counter, H.gc).sample(N.gc, memory.gcCount);
    prom.family(N.gcRecent, T.gauge, H.gcRecent).sample(N.gcRecent, memory.gcRecent);
    prom.family(N.firstSample, T.gauge, H.firstSample).sample(N.firstSample, this.gateway.boot.firstSampleMs);
    prom.family(N.uptime, T.gauge, H.uptime).sample(N.uptime, (this.clock.nowMs() - this.gateway.boot.bootAtMs) / 1000, undefined, undefined, 3);
    this.extra?.writeMetrics(prom);
  }

  #sensors(prom: PrometheusWriter): void {
    const sensors = this.gateway.sensors;
    const now = this.clock.nowMs();
    prom.family(N.produced, T.counter, H.produced);
    for (let i = 0; i < sensors.length; i++) prom.sample(N.produced, sensors[i]?.produced ?? 0, L.sensor, sensors[i]?.nameBytes);
    prom.family(N.delivered, T.counter, H.delivered);
    for (let i = 0; i < sensors.length; i++) prom.sample(N.delivered, sensors[i]?.delivered ?? 0, L.sensor, sensors[i]?.nameBytes);
    // Sensor × reason series appear from their first count: all of them, zeros included, would not fit the buffer.
    prom.family(N.dropped, T.counter, H.dropped);
    for (let i = 0; i < sensors.length; i++) this.#byReason(prom, N.dropped, sensors[i]?.dropped, sensors[i]?.nameBytes, L.reason);
    prom.family(N.faults, T.counter, H.faults);
    for (let r = 1; r < REASONS.length; r++) prom.sample(N.faults, this.#faults(r), L.kind, REASONS[r]);
    prom.family(N.up, T.gauge, H.up);
    for (let i = 0; i < sensors.length; i++) prom.sample(N.up, sensors[i]?.stalled(now) === false ? 1 : 0, L.sensor, sensors[i]?.nameBytes);
    prom.family(N.startFailures, T.gauge, H.startFailures).sample(N.startFailures, this.gateway.startFailures.length);
  }

  #byReason(prom: PrometheusWriter, name: string, counts: Uint32Array | undefined, sensor: Uint8Array | undefined, label: string): void {
    if (counts === undefined) return;
    for (let r = 1; r < REASONS.length; r++) {
      const count = counts[r] ?? 0;
      if (count > 0) prom.sample2(name, count, L.sensor, sensor, label, REASONS[r]);
    }
  }

  #faults(kind: number): number {
    let total = 0;
    for (let i = 0; i < this.gateway.sensors.length; i++) total += this.gateway.sensors[i]?.counters.faults[kind] ?? 0;
    return total;
  }
}
