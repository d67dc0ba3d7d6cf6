/**
 * /metrics in Prometheus text: samples, drops and faults by sensor and reason, sensor and watchdog health, HTTP
 * counters, memory, boot and uptime.
 */
import { SAMPLE_STATUS_NAMES } from "../../drivers/common/errors.js";
import type { ConnectionCounters } from "../../net/connections.js";
import type { PrometheusWriter } from "../../net/writer.js";
import type { Clock } from "../../services/time.js";
import type { ConfigCounters } from "./api.js";
import type { SensorChannel } from "./channel.js";
import type { Gateway } from "./gateway.js";

const N = Object.freeze({
  produced: "stillheap_samples_produced_total", delivered: "stillheap_samples_delivered_total",
  dropped: "stillheap_samples_dropped_total", faults: "stillheap_sensor_faults_total",
  up: "stillheap_sensor_up", startFailures: "stillheap_sensor_start_failures", required: "stillheap_sensor_required",
  openFailures: "stillheap_sensor_open_failures_total",
  restarts: "stillheap_watchdog_restarts_total", stepFailures: "stillheap_sampling_failures_total", gaveUp: "stillheap_watchdog_gave_up_total",
  factoryResets: "stillheap_factory_resets_total",
  depth: "stillheap_queue_depth", noSlot: "stillheap_http_connections_refused_total",
  clientShare: "stillheap_http_connections_client_share_total",
  evicted: "stillheap_http_connections_evicted_total", internal: "stillheap_http_internal_errors_total",
  answered: "stillheap_http_responses_total", overflows: "stillheap_http_response_overflows_total", refused: "stillheap_http_refused_total",
  unauthorized: "stillheap_http_unauthorized_total", chunks: "stillheap_memory_chunk_bytes",
  slots: "stillheap_memory_slots", gc: "stillheap_gc_cycles_total", gcRecent: "stillheap_gc_cycles_recent", hostHeap: "stillheap_memory_host_heap_bytes",
  firstSample: "stillheap_boot_first_sample_seconds", uptime: "stillheap_uptime_seconds",
});
const T = Object.freeze({ counter: "counter", gauge: "gauge" });
// Short help texts: the whole exposition must fit one response buffer (8 KiB by default).
const H = Object.freeze({
  produced: "Samples produced.", delivered: "Samples delivered.",
  dropped: "Samples dropped, by reason.", faults: "Driver faults, by reason.",
  up: "1 while open and delivering.", startFailures: "Sensors not open now (retrying).",
  required: "1 if its absence degrades health.", openFailures: "Failed opens (each retried).",
  restarts: "Sampling loop restarts.", stepFailures: "Sampling steps that threw.", gaveUp: "Loops the watchdog gave up on.",
  factoryResets: "Factory resets by a button held at boot.",
  depth: "Requests queued.", noSlot: "Refused: every slot busy (503).",
  clientShare: "Refused: the client held its share of slots (503).",
  evicted: "Slow connections evicted (408).", internal: "Handler failures (500).",
  answered: "Responses sent.", overflows: "Responses too large (500).",
  refused: "Requests refused: work queue full (503).", unauthorized: "Config requests without the token.",
  chunks: "XS chunk bytes in use.", slots: "XS slots in use.", gc: "Collections since boot.",
  gcRecent: "Collections this instrumentation interval (no total kept).", hostHeap: "Host heap bytes in use (V8).",
  firstSample: "Boot to first delivered sample.", uptime: "Seconds since boot.",
});
// One label name for status names, in drops and faults alike.
const L = Object.freeze({ sensor: "sensor", reason: "reason", queue: "queue", http: "http" });
// Names and help as string constants: they stay in flash on a device (as bytes they would take RAM).
const REASONS = SAMPLE_STATUS_NAMES;

export interface MetricsWriter {
  writeMetrics(prom: PrometheusWriter): void;
}

/** The work queue as /metrics reports it. */
export interface QueueCounters {
  readonly queued: number;
  readonly refused: number;
}

/** Where each family's figures come from, handed over by the composition root. */
export interface MetricsSources {
  readonly gateway: Gateway;
  readonly clock: Clock;
  readonly config: ConfigCounters;
  /** The HTTP connection service's counters and work queue; without them the HTTP families are left out. */
  readonly connections?: ConnectionCounters;
  readonly queue?: QueueCounters;
}

export class Metrics {
  readonly gateway: Gateway;
  readonly clock: Clock;
  readonly #sources: MetricsSources;
  /**
   * Families written after the rest by optional parts (MQTT telemetry, when there is a broker). An interface, not
   * an import: a firmware without MQTT then loads none of its modules, which would cost RAM on the device.
   */
  readonly #extras: MetricsWriter[] = [];

  constructor(sources: MetricsSources) {
    this.#sources = sources;
    this.gateway = sources.gateway;
    this.clock = sources.clock;
  }

  /** Adds an optional part's families (the composition root calls this once it has made the part). */
  add(writer: MetricsWriter): this {
    this.#extras.push(writer);
    return this;
  }

  write(prom: PrometheusWriter): void {
    this.#sensors(prom);
    const watchdog = this.gateway.watchdog;
    prom.family(N.stepFailures, T.counter, H.stepFailures).sample(N.stepFailures, this.gateway.samplingFailures);
    prom.family(N.restarts, T.counter, H.restarts).sample(N.restarts, watchdog.restarts);
    prom.family(N.gaveUp, T.counter, H.gaveUp).sample(N.gaveUp, watchdog.gaveUp);
    prom.family(N.factoryResets, T.counter, H.factoryResets).sample(N.factoryResets, this.gateway.factoryResets);
    this.#http(prom);
    const config = this.#sources.config;
    prom.family(N.unauthorized, T.counter, H.unauthorized).sample(N.unauthorized, config.unauthorized);
    this.#memory(prom);
    const firstSampleMs = this.gateway.boot.firstSampleMs;
    if (firstSampleMs >= 0) prom.family(N.firstSample, T.gauge, H.firstSample).sample(N.firstSample, firstSampleMs / 1000, undefined, undefined, 3);
    prom.family(N.uptime, T.gauge, H.uptime).sample(N.uptime, (this.clock.nowMs() - this.gateway.boot.bootAtMs) / 1000, undefined, undefined, 3);
    for (let i = 0; i < this.#extras.length; i++) this.#extras[i]?.writeMetrics(prom);
  }

  /** The HTTP families, where the host serves HTTP (a host without it has no such figures, not zeros). */
  #http(prom: PrometheusWriter): void {
    const queue = this.#sources.queue;
    if (queue !== undefined) {
      prom.family(N.depth, T.gauge, H.depth).sample(N.depth, queue.queued, L.queue, L.http);
      prom.family(N.refused, T.counter, H.refused).sample(N.refused, queue.refused);
    }
    const connections = this.#sources.connections;
    if (connections === undefined) return;
    prom.family(N.noSlot, T.counter, H.noSlot).sample(N.noSlot, connections.noSlot);
    prom.family(N.clientShare, T.counter, H.clientShare).sample(N.clientShare, connections.clientShare);
    prom.family(N.evicted, T.counter, H.evicted).sample(N.evicted, connections.evicted);
    prom.family(N.answered, T.counter, H.answered).sample(N.answered, connections.answered);
    prom.family(N.overflows, T.counter, H.overflows).sample(N.overflows, connections.overflows);
    prom.family(N.internal, T.counter, H.internal).sample(N.internal, connections.internalErrors);
  }

  /**
   * Only what this engine measures (MemoryStats reads -1 for the rest): XS chunks and slots on XS, V8's heap on Node,
   * a collection total where the host keeps one, the current interval's collections on Moddable.
   */
  #memory(prom: PrometheusWriter): void {
    const memory = this.gateway.memory.read();
    if (memory.slotsUsed >= 0) { // engines with slots are XS
      prom.family(N.chunks, T.gauge, H.chunks).sample(N.chunks, memory.chunkBytesUsed);
      prom.family(N.slots, T.gauge, H.slots).sample(N.slots, memory.slotsUsed);
    } else if (memory.chunkBytesUsed >= 0) {
      prom.family(N.hostHeap, T.gauge, H.hostHeap).sample(N.hostHeap, memory.chunkBytesUsed);
    }
    if (memory.gcCount >= 0) prom.family(N.gc, T.counter, H.gc).sample(N.gc, memory.gcCount);
    if (memory.gcRecent >= 0) prom.family(N.gcRecent, T.gauge, H.gcRecent).sample(N.gcRecent, memory.gcRecent);
  }

  #sensors(prom: PrometheusWriter): void {
    const channels = this.gateway.channels;
    const now = this.clock.nowMs();
    prom.family(N.produced, T.counter, H.produced);
    for (let i = 0; i < channels.length; i++) prom.sample(N.produced, (channels[i] as SensorChannel).produced, L.sensor, channels[i]?.nameBytes);
    prom.family(N.delivered, T.counter, H.delivered);
    for (let i = 0; i < channels.length; i++) prom.sample(N.delivered, (channels[i] as SensorChannel).delivered, L.sensor, channels[i]?.nameBytes);
    // Sensor × reason series appear from their first count: all of them, zeros included, would not fit the buffer.
    prom.family(N.dropped, T.counter, H.dropped);
    for (let i = 0; i < channels.length; i++) this.#byReason(prom, N.dropped, channels[i]?.dropped, channels[i]?.nameBytes);
    prom.family(N.faults, T.counter, H.faults);
    for (let r = 1; r < REASONS.length; r++) prom.sample(N.faults, this.#faults(r), L.reason, REASONS[r]);
    prom.family(N.up, T.gauge, H.up);
    for (let i = 0; i < channels.length; i++) prom.sample(N.up, channels[i]?.up(now) === true ? 1 : 0, L.sensor, channels[i]?.nameBytes);
    prom.family(N.required, T.gauge, H.required);
    for (let i = 0; i < channels.length; i++) prom.sample(N.required, channels[i]?.required === true ? 1 : 0, L.sensor, channels[i]?.nameBytes);
    prom.family(N.openFailures, T.counter, H.openFailures);
    for (let i = 0; i < channels.length; i++) prom.sample(N.openFailures, (channels[i] as SensorChannel).openFailures, L.sensor, channels[i]?.nameBytes);
    let notOpen = 0;
    for (let i = 0; i < channels.length; i++) if (channels[i]?.open !== true) notOpen++;
    prom.family(N.startFailures, T.gauge, H.startFailures).sample(N.startFailures, notOpen);
  }

  #byReason(prom: PrometheusWriter, name: string, counts: Uint32Array | undefined, sensor: Uint8Array | undefined): void {
    if (counts === undefined) return;
    for (let r = 1; r < REASONS.length; r++) {
      const count = counts[r] ?? 0;
      if (count > 0) prom.sample2(name, count, L.sensor, sensor, L.reason, REASONS[r]);
    }
  }

  #faults(kind: number): number {
    let total = 0;
    for (let i = 0; i < this.gateway.channels.length; i++) total += this.gateway.channels[i]?.counters.faults[kind] ?? 0;
    return total;
  }
}
