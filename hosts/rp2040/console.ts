/**
 * The gateway's console on UART0, for a board without a network. Each report writes the readings as the HTTP API's
 * GET /v1/readings JSON (answered by the same HttpService, into its pooled buffer), a line per sensor with its latest
 * values and sample accounting, a line per drop reason that rose since the last report, and the memory and interrupt
 * counters. Lines are built in preallocated bytes, numbers digit by digit, so a report allocates nothing — which the
 * memory line lets anyone check on the device.
 */
import type { Gateway } from "../../src/app/gateway/gateway.js";
import { HttpService, type ResponseSink } from "../../src/app/gateway/service.js";
import type { GatewayApi } from "../../src/app/gateway/api.js";
import { SAMPLE_STATUS_NAMES } from "../../src/drivers/common/errors.js";
import { MemoryStats } from "../../src/mem/stats.js";
import { ascii } from "../../src/net/ascii.js";
import { ByteWriter } from "../../src/net/writer.js";

const LINE_BYTES = 512;
const READINGS_REQUEST = ascii("GET /v1/readings HTTP/1.1\r\n\r\n");
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
const GPIO = ascii("gpio ");
const ON_READABLE = ascii(" onReadable=");
const INTERRUPTS = ascii(" interrupts=");
const COALESCED = ascii(" coalesced=");
const FIRST_SAMPLE = ascii("[firmware] first sample ");
const AFTER_RESET = ascii(" ms after reset");
const NO_VALUE = ascii("-");
const NEWLINE = ascii("\n");
const TRUNCATED = ascii("...[console line truncated]");
const STATUS_NAMES = SAMPLE_STATUS_NAMES.map((name) => ascii(name));

/** An input pin whose edges the firmware counts in onReadable. */
export interface WatchedPin {
  readonly pin: number;
  onReadableCalls: number;
}

export class SerialConsole implements ResponseSink {
  readonly #line = new Uint8Array(LINE_BYTES);
  readonly #out = new ByteWriter();
  readonly #memory = new MemoryStats();
  readonly #service: HttpService;
  /** Each sensor's drop counts at the last report, by SampleStatus. */
  readonly #droppedBefore: Uint32Array[] = [];
  #firstSampleReported = false;

  constructor(readonly gateway: Gateway, api: GatewayApi, readonly watched: WatchedPin) {
    // It only renders GET /v1/readings, which fits 4 KiB; the default is sized for /metrics at its largest.
    this.#service = new HttpService(api, this, { slots: 1, responseBytes: 4096 });
    for (let i = 0; i < gateway.sensors.length; i++) this.#droppedBefore.push(new Uint32Array(SAMPLE_STATUS_NAMES.length));
  }

  report(): void {
    this.#firstSample();
    const slot = this.#service.open();
    if (slot >= 0) {
      this.#service.receive(slot, READINGS_REQUEST, 0, READINGS_REQUEST.length);
      this.#service.sent(slot);
    }
    const sensors = this.gateway.sensors;
    for (let i = 0; i < sensors.length; i++) this.#sensor(i);
    const memory = this.#memory.read();
    this.#begin().raw(MEMORY).integer(memory.slotsUsed).raw(CHUNKS).integer(memory.chunkBytesUsed).raw(GC).integer(memory.gcCount);
    this.#end();
    this.#begin().raw(GPIO).integer(this.watched.pin).raw(ON_READABLE).integer(this.watched.onReadableCalls)
      .raw(INTERRUPTS).integer(rp2040.gpioEdges()).raw(COALESCED).integer(rp2040.gpioCoalesced());
    this.#end();
  }

  /** ResponseSink: the readings response; its body (after the blank line) goes out as one line. */
  send(_slot: number, bytes: Uint8Array, length: number): void {
    let body = 0;
    for (let i = 3; i < length && body === 0; i++) {
      if (bytes[i] === 10 && bytes[i - 1] === 13 && bytes[i - 2] === 10 && bytes[i - 3] === 13) body = i + 1;
    }
    writeBytes(READINGS, 0, READINGS.length);
    writeBytes(bytes, body, length - body);
    writeBytes(NEWLINE, 0, 1);
  }

  #sensor(index: number): void {
    const sensor = this.gateway.sensors[index];
    const before = this.#droppedBefore[index];
    if (sensor === undefined || before === undefined) return;
    const out = this.#begin().raw(SENSOR).raw(sensor.nameBytes);
    for (let r = 0; r < sensor.readings.length; r++) {
      const reading = sensor.readings[r];
      if (reading === undefined) continue;
      out.byte(32).raw(reading.key).byte(61);
      const latest = reading.window.latest;
      if (latest === latest) out.fixed(latest, 2); // NaN until the first valid sample
      else out.raw(NO_VALUE);
    }
    out.raw(PRODUCED).integer(sensor.produced).raw(DELIVERED).integer(sensor.delivered).raw(DROPPED).integer(sensor.droppedTotal);
    this.#end();
    for (let status = 0; status < before.length; status++) {
      const now = sensor.dropped[status] ?? 0;
      const rose = now - (before[status] ?? 0);
      if (rose <= 0) continue;
      before[status] = now;
      this.#begin().raw(INVALID).raw(sensor.nameBytes).raw(INVALID_REASON).raw(STATUS_NAMES[status] ?? NO_VALUE).raw(TIMES).integer(rose);
      this.#end();
    }
  }

  /** Boot to the first delivered sample, in ms since reset (the gateway's clock counts from reset). */
  #firstSample(): void {
    const boot = this.gateway.boot;
    if (this.#firstSampleReported || boot.firstSampleMs < 0) return;
    this.#firstSampleReported = true;
    this.#begin().raw(FIRST_SAMPLE).fixed(boot.bootAtMs + boot.firstSampleMs, 1).raw(AFTER_RESET);
    this.#end();
  }

  #begin(): ByteWriter {
    return this.#out.reset(this.#line, 0, LINE_BYTES - TRUNCATED.length - 1);
  }

  #end(): void {
    const out = this.#out;
    if (out.overflowed) {
      out.limit = LINE_BYTES;
      out.raw(TRUNCATED);
    }
    out.limit = LINE_BYTES;
    out.byte(10);
    writeBytes(this.#line, 0, out.position);
  }
}

function writeBytes(bytes: Uint8Array, start: number, length: number): void {
  rp2040.write(bytes.buffer as ArrayBuffer, bytes.byteOffset + start, length);
}
