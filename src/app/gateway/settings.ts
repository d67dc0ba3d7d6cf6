/**
 * Settings that survive a reboot and a power cut: the settings document (GET /v1/config's) kept as a record in two
 * slots of a host-given store (record-slots.ts), restored at boot through the same validation as POST /v1/config,
 * and written at most once per interval (default 60 s, sparing the flash) and at a clean stop. A record that fails
 * its check or the validation is counted and the one before it (or the declaration) is used. Idle, the keeper's
 * timer compares two numbers; a write frames the document in RecordSlots' one buffer and allocates nothing itself
 * (into flash slots: nothing at all, tested on XS); a store may (Preference.set takes an ArrayBuffer of its own).
 */
import type { TimerApi, TimerHandle } from "../../io/index.js";
import type { PrometheusWriter } from "../../net/writer.js";
import { ByteWriter, JsonWriter } from "../../net/writer.js";
import { RECORD_OVERHEAD, SlotWriteError, type RecordSlots } from "../../services/record-slots.js";
import type { Clock } from "../../services/time.js";
import { ConfigChanges, readConfigBody } from "./config-body.js";
import type { DeclaredSensor } from "./declaration.js";
import type { GatewayDocuments } from "./documents.js";
import type { Gateway } from "./gateway.js";
import type { MetricsWriter } from "./metrics.js";

export const SettingsRestored = Object.freeze({ defaults: 0, record: 1, olderRecord: 2 });
export const SETTINGS_WRITE_INTERVAL_MS = 60_000;

/** The longest a number of the settings document can be (JsonWriter.number with 3 decimals, sign, large values). */
const NUMBER_BYTES = 24;
/** `{"sensors":{` … `}}`; per sensor `"name":{"periodMs":` … `}` and a comma; per setting `,"key":`. */
const DOCUMENT_BYTES = 14;
const SENSOR_BYTES = 17;
const SETTING_BYTES = 4;

/**
 * The slot size (record framing included) the settings document of these sensors can need, at most `maxBytes`:
 * its keys and punctuation counted, every number at its longest, in whole 16-byte steps. Counted, not written, so
 * nothing is allocated at boot for it.
 */
export function settingsSlotBytes(sensors: readonly DeclaredSensor[], maxBytes: number): number {
  let bytes = DOCUMENT_BYTES + RECORD_OVERHEAD;
  for (let i = 0; i < sensors.length; i++) {
    const sensor = sensors[i] as DeclaredSensor;
    bytes += SENSOR_BYTES + sensor.name.length + NUMBER_BYTES;
    const settings = sensor.type.settings;
    for (let s = 0; s < settings.length; s++) bytes += SETTING_BYTES + (settings[s]?.key.length ?? 0) + NUMBER_BYTES;
  }
  return Math.min(maxBytes, Math.ceil(bytes / 16) * 16);
}

export interface SettingsKeeperOptions {
  readonly gateway: Gateway;
  readonly documents: GatewayDocuments;
  readonly slots: RecordSlots;
  readonly timer: TimerApi;
  readonly clock: Clock;
  /** The least time between two writes (flash wear); a clean stop writes what is pending at once. */
  readonly intervalMs?: number;
}

const N = Object.freeze({
  writes: "stillheap_settings_writes_total", bytes: "stillheap_settings_written_bytes_total",
  refused: "stillheap_settings_refused_total", failed: "stillheap_settings_write_failures_total",
  corrupt: "stillheap_settings_corrupt_records",
  rejected: "stillheap_settings_rejected_records",
});
const H = Object.freeze({
  writes: "Settings records written.", bytes: "Bytes of them.", refused: "Records too large for a slot.",
  failed: "Writes the store refused (the last good record kept; retried after the interval).",
  corrupt: "Records failing their check at boot.", rejected: "Records failing validation at boot.",
});
const COUNTER = "counter";
const GAUGE = "gauge";

export class SettingsKeeper implements MetricsWriter {
  /** Records found at boot that passed their check but not the validation (a changed declaration, say). */
  rejected = 0;
  /** What boot restored (SettingsRestored), and why a record was not used. */
  restored: number = SettingsRestored.defaults;
  /** Writes the store refused (SlotWriteError: a full or failing Preference store, say), and the last one's message. */
  failed = 0;
  lastFailure = "";
  readonly problems: string[] = [];
  readonly #options: SettingsKeeperOptions;
  readonly #out = new ByteWriter();
  readonly #json = new JsonWriter(this.#out);
  readonly #intervalMs: number;
  readonly #check = (): void => this.#due();
  #timer: TimerHandle | undefined;
  #written = 0;
  #lastWriteMs = -Infinity;

  constructor(options: SettingsKeeperOptions) {
    this.#options = options;
    this.#intervalMs = options.intervalMs ?? SETTINGS_WRITE_INTERVAL_MS;
  }

  get slots(): RecordSlots {
    return this.#options.slots;
  }

  /** Restores the newest good record that validates (call before the gateway starts); what it did is in `restored`. */
  load(): number {
    const { gateway, slots } = this.#options;
    const records = slots.load();
    // Only boot parses a record: garbage once it has been applied.
    const changes = new ConfigChanges(gateway.channels);
    if (slots.corrupt > 0) this.problems.push(`${slots.corrupt} settings record(s) failed their check (a cut write or corruption)`);
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      if (record === undefined) continue;
      const problem = readConfigBody(record.bytes, 0, record.length, changes);
      if (problem !== undefined) {
        this.rejected++;
        this.problems.push(`settings record ${record.sequence} refused: ${problem}`);
        continue;
      }
      gateway.apply(changes);
      this.restored = i === 0 ? SettingsRestored.record : SettingsRestored.olderRecord;
      break;
    }
    this.#written = gateway.settingsVersion;
    return this.restored;
  }

  /** Checks once a second (or each interval, if shorter) whether changed settings are due to be written. */
  start(): void {
    this.#timer = this.#options.timer.repeat(this.#check, Math.min(1000, this.#intervalMs));
  }

  /** Stops checking and writes what is pending (a clean shutdown). */
  stop(): void {
    this.#options.timer.clear(this.#timer);
    this.#timer = undefined;
    this.flush();
  }

  get pending(): boolean {
    return this.#options.gateway.settingsVersion !== this.#written;
  }

  #due(): void {
    if (this.pending && this.#options.clock.nowMs() - this.#lastWriteMs >= this.#intervalMs) this.#write();
  }

  /** Writes pending settings now, whatever the interval. */
  flush(): void {
    if (this.pending) this.#write();
  }

  /** A factory reset: the declaration's settings, written at once. */
  reset(): void {
    this.#options.gateway.resetSettings();
    this.#write();
  }

  #write(): void {
    const { gateway, documents, slots, clock } = this.#options;
    this.#out.reset(slots.payload); // framed in place by save()
    documents.settings(this.#json.reset());
    const version = gateway.settingsVersion;
    this.#lastWriteMs = clock.nowMs();
    if (this.#out.overflowed) {
      slots.refused++;
      this.#written = version;
      return;
    }
    try {
      slots.save(slots.payload, this.#out.position);
      this.#written = version;
    } catch (error: unknown) {
      if (!(error instanceof SlotWriteError)) throw error;
      // Still pending: tried again after the interval; RecordSlots changed nothing, so the good record stays.
      this.failed++;
      this.lastFailure = error.message;
    }
  }

  writeMetrics(prom: PrometheusWriter): void {
    const slots = this.#options.slots;
    prom.family(N.writes, COUNTER, H.writes).sample(N.writes, slots.writes);
    prom.family(N.bytes, COUNTER, H.bytes).sample(N.bytes, slots.bytesWritten);
    prom.family(N.refused, COUNTER, H.refused).sample(N.refused, slots.refused);
    prom.family(N.failed, COUNTER, H.failed).sample(N.failed, this.failed);
    prom.family(N.corrupt, GAUGE, H.corrupt).sample(N.corrupt, slots.corrupt);
    prom.family(N.rejected, GAUGE, H.rejected).sample(N.rejected, this.rejected);
  }
}
