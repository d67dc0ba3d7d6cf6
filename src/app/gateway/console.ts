/**
 * The gateway's console, for a board without a network. Each report writes the readings as the HTTP API's
 * GET /v1/readings JSON (by the same writer, into the console's buffer), a line per sensor with its latest
 * values and sample accounting, a line per drop reason that rose since the last report, the memory counters as they
 * stood when the report began, and whatever the host adds. Lines are built in preallocated bytes, numbers digit by
 * digit, so a report allocates nothing where the host's output takes bytes — which the memory line lets anyone check
 * on the device.
 */
import { SAMPLE_STATUS_NAMES } from "../../drivers/common/errors.js";
import { MemoryStats } from "../../mem/stats.js";
import { ascii } from "../../net/ascii.js";
import { ByteWriter } from "../../net/writer.js";
import type { SensorChannel } from "./channel.js";
import type { GatewayDocuments } from "./documents.js";
import type { Gateway } from "./gateway.js";

const LINE_BYTES = 512;
const READINGS = ascii("readings ");
const SENSOR = ascii("sensor ");
const PRODUCED = ascii(" produced=");
const DELIVERED = ascii(" delivered=");
const DROPPED = ascii(" dropped=");
const INVALID = ascii("sample ");
const INVALID_REASON = ascii(" invalid: ");
const TIMES = ascii(" x");
const MEMORY = ascii("memory slots=");
const CHUNKS = ascii(" chunks=");
const GC = ascii(" gc=");
const GC_RECENT = ascii(" gc-recent=");
const STACK = ascii(" stack=");
const FIRST_SAMPLE = ascii("[firmware] first sample ");
const AFTER_RESET = ascii(" ms after reset");
const NO_VALUE = ascii("-");
const NEWLINE = ascii("\n");
const TRUNCATED = ascii("...[console line truncated]");
const STATUS_NAMES = Object.freeze(SAMPLE_STATUS_NAMES.map((name) => ascii(name)));

/** Where the console's lines go: bytes[start .. start + length), written before the call returns. */
export interface ConsoleOutput {
  write(bytes: Uint8Array, start: number, length: number): void;
}

export interface ConsoleOptions {
  readonly output: ConsoleOutput;
  /** Room for the readings document (boards/*.ts `http.responseBytes`: the readings line is the longest). */
  readonly readingsBytes?: number;
  /** Writes the host's own lines at the end of each report (each begun with `line()`, ended with `end()`). */
  readonly extra?: (console: GatewayConsole) => void;
}

const READINGS_TOO_LONG = ascii("{\"error\":\"the readings do not fit the console's buffer: give it more readingsBytes\"}");

export class GatewayConsole {
  readonly #line = new Uint8Array(LINE_BYTES);
  readonly #out = new ByteWriter();
  readonly #memory = new MemoryStats();
  readonly #readings: Uint8Array;
  /** Each sensor's drop counts at the last report, by SampleStatus. */
  readonly #droppedBefore: Uint32Array[] = [];
  #firstSampleReported = false;
  readonly #output: ConsoleOutput;
  readonly #extra: ((console: GatewayConsole) => void) | undefined;

  constructor(readonly gateway: Gateway, readonly documents: GatewayDocuments, options: ConsoleOptions) {
    this.#output = options.output;
    this.#extra = options.extra;
    this.#readings = new Uint8Array(options.readingsBytes ?? 4096);
    for (let i = 0; i < gateway.channels.length; i++) this.#droppedBefore.push(new Uint32Array(SAMPLE_STATUS_NAMES.length));
  }

  report(): void {
    const memory = this.#memory.read(); // before this report's own work, so the figures show what ran between reports
    this.#firstSample();
    this.#readingsLine();
    for (let i = 0; i < this.gateway.channels.length; i++) this.#sensor(i);
    const out = this.line().raw(MEMORY).integer(memory.slotsUsed).raw(CHUNKS).integer(memory.chunkBytesUsed).raw(GC).integer(memory.gcCount);
    if (memory.gcRecent >= 0) out.raw(GC_RECENT).integer(memory.gcRecent);
    if (memory.stackPeak >= 0) out.raw(STACK).integer(memory.stackPeak); // the deepest JS stack use, in slots
    this.end();
    this.#extra?.(this);
  }

  /** The readings document as one line. */
  #readingsLine(): void {
    const out = this.#out.reset(this.#readings);
    this.documents.readings(out);
    this.#output.write(READINGS, 0, READINGS.length);
    if (out.overflowed) this.#output.write(READINGS_TOO_LONG, 0, READINGS_TOO_LONG.length);
    else this.#output.write(this.#readings, 0, out.position);
    this.#output.write(NEWLINE, 0, 1);
  }

  #sensor(index: number): void {
    const sensor: SensorChannel | undefined = this.gateway.channels[index];
    const before = this.#droppedBefore[index];
    if (sensor === undefined || before === undefined) return;
    const out = this.line().raw(SENSOR).raw(sensor.nameBytes);
    for (let r = 0; r < sensor.readings.length; r++) {
      const reading = sensor.readings[r];
      if (reading === undefined) continue;
      out.byte(32).raw(reading.key).byte(61);
      const latest = reading.window.latest;
      if (latest === latest) out.fixed(latest, 2); // NaN until the first valid sample
      else out.raw(NO_VALUE);
    }
    out.raw(PRODUCED).integer(sensor.produced).raw(DELIVERED).integer(sensor.delivered).raw(DROPPED).integer(sensor.droppedTotal);
    this.end();
    for (let status = 0; status < before.length; status++) {
      const now = sensor.dropped[status] ?? 0;
      const rose = now - (before[status] ?? 0);
      if (rose <= 0) continue;
      before[status] = now;
      this.line().raw(INVALID).raw(sensor.nameBytes).raw(INVALID_REASON).raw(STATUS_NAMES[status] ?? NO_VALUE).raw(TIMES).integer(rose);
      this.end();
    }
  }

  /** Boot to the first delivered sample, in ms since reset (the gateway's clock counts from reset). */
  #firstSample(): void {
    const boot = this.gateway.boot;
    if (this.#firstSampleReported || boot.firstSampleMs < 0) return;
    this.#firstSampleReported = true;
    this.line().raw(FIRST_SAMPLE).fixed(boot.bootAtMs + boot.firstSampleMs, 1).raw(AFTER_RESET);
    this.end();
  }

  /** Begins a line in the console's preallocated bytes. */
  line(): ByteWriter {
    return this.#out.reset(this.#line, 0, LINE_BYTES - TRUNCATED.length - 1);
  }

  /** Ends the line begun with line() and writes it out. */
  end(): void {
    const out = this.#out;
    if (out.overflowed) {
      out.limit = LINE_BYTES;
      out.raw(TRUNCATED);
    }
    out.limit = LINE_BYTES;
    out.byte(10);
    this.#output.write(this.#line, 0, out.position);
  }
}
