import type { ResponseSink } from "../../src/net/connections.js";
import { engine, MEMORY_FIELD_COUNT, MemoryField } from "../../src/engine/index.js";
import * as assert from "../support/assert.js";
import { RequestFuzzer, VALID_STATUSES } from "../support/http-fuzz.js";
import { startGateway, TOKEN } from "./gateway-harness.js";

const REQUESTS = 100_000;
const SEED = 0x5eed;
const CONNECTIONS = 8;

/** Checks every response as it is sent: a valid status, a head, and a Content-Length that matches the body. */
class CheckingSink implements ResponseSink {
  readonly statuses = new Uint32Array(600);
  release: (slot: number) => void = () => undefined;
  problem = "";

  send(slot: number, bytes: Uint8Array, length: number): void {
    const status = (bytes[9] ?? 0) * 100 + (bytes[10] ?? 0) * 10 + (bytes[11] ?? 0) - 48 * 111;
    if (status < 0 || status >= 600 || !VALID_STATUSES.includes(status)) this.problem ||= `status ${status}`;
    else this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    const body = headEnd(bytes, length);
    const declared = contentLength(bytes, body);
    if (body < 0 || (declared !== length - body && declared >= 0 && length !== body)) this.problem ||= `framing of a ${status}`;
    this.release(slot);
  }
}

function headEnd(bytes: Uint8Array, length: number): number {
  for (let i = 3; i < length; i++) if (bytes[i - 3] === 13 && bytes[i - 2] === 10 && bytes[i - 1] === 13 && bytes[i] === 10) return i + 1;
  return -1;
}

/** The Content-Length value in the head (before `end`), or -1. */
function contentLength(bytes: Uint8Array, end: number): number {
  const name = "Content-Length: ";
  outer: for (let i = 0; i + name.length < end; i++) {
    for (let k = 0; k < name.length; k++) if (bytes[i + k] !== name.charCodeAt(k)) continue outer;
    let value = 0;
    for (let j = i + name.length; (bytes[j] ?? 0) >= 48 && (bytes[j] ?? 0) <= 57; j++) value = value * 10 + (bytes[j] ?? 0) - 48;
    return value;
  }
  return -1;
}

describe("HTTP fuzz through the connection service", () => {
  it(`answers ${REQUESTS} generated and mutated requests, fed interleaved in random pieces, with valid statuses; memory flat`, function () {
    this.timeout(300_000); // a fixed count from a fixed seed: bounded work, not a timed test
    const sink = new CheckingSink();
    const harness = startGateway({ slots: CONNECTIONS, concurrency: 2, backlog: CONNECTIONS }, sink);
    const { service, sim } = harness;
    const fuzzer = new RequestFuzzer(SEED, TOKEN);
    const random = fuzzer.random;
    const slot = new Int32Array(CONNECTIONS).fill(-1);
    const offset = new Int32Array(CONNECTIONS);
    const pending: Uint8Array[] = []; // one buffer per connection, made once, so what is live stays the same
    const lengths = new Int32Array(CONNECTIONS);
    for (let c = 0; c < CONNECTIONS; c++) pending.push(new Uint8Array(4096));
    const done = new Uint8Array(CONNECTIONS); // by connection: a slot answered is free at once, and may be reused
    const owner = new Int32Array(CONNECTIONS).fill(-1); // by slot
    sink.release = (s) => {
      done[owner[s] ?? 0] = 1;
      owner[s] = -1;
      service.sent(s);
    };
    const memory = new Float64Array(MEMORY_FIELD_COUNT);
    let started = 0;
    let baseline = [0, 0];
    const run = (count: number): void => {
      const until = started + count;
      for (let open = 0; started < until || open > 0;) {
        const c = random.int(0, CONNECTIONS - 1);
        if (slot[c] === -1) {
          if (started >= until) continue;
          slot[c] = service.open();
          assert.ok((slot[c] ?? -1) >= 0, "a free slot");
          owner[slot[c] ?? 0] = c;
          done[c] = 0;
          const request = fuzzer.next();
          pending[c]?.set(request);
          lengths[c] = request.length;
          offset[c] = 0;
          started++;
          open++;
          if (started % 100 === 0) sim.clock.advance(1);
          continue;
        }
        const s = slot[c] ?? 0;
        const bytes = pending[c] ?? new Uint8Array(0);
        const at = offset[c] ?? 0;
        const length = lengths[c] ?? 0;
        if (done[c] === 0 && at < length) {
          const piece = Math.min(length - at, random.int(1, 256));
          service.receive(s, bytes, at, piece);
          offset[c] = at + piece;
          continue;
        }
        if (done[c] === 0) { // everything sent and no answer: the deadline passes, or the client gives up
          if (random.int(0, 1) === 0) service.timeout(s);
          if (done[c] === 0) {
            owner[s] = -1;
            service.close(s);
          }
        }
        slot[c] = -1;
        open--;
      }
    };
    // The gateway keeps the message of the last invalid config body (one string, built for that request): both reads
    // follow the same invalid body, so that string is the same at both and only growth shows.
    const settle = (): void => {
      harness.request(`POST /v1/config HTTP/1.1\r\nHost: stillheap\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 1\r\n\r\nx`);
    };
    run(2000); // warm-up: whatever is made once is made now
    settle();
    const host = engine();
    if (host.exactMemory) {
      host.collectGarbage();
      host.readMemory(memory);
      baseline = [memory[MemoryField.slotsUsed] ?? 0, memory[MemoryField.chunkBytesUsed] ?? 0];
    }
    run(REQUESTS);
    settle();
    assert.equal(sink.problem, "", "every response valid");
    assert.equal(service.counters.internalErrors, 0, "no handler failed");
    for (const status of [200, 400, 404, 408, 501]) assert.ok((sink.statuses[status] ?? 0) > 0, `some ${status}s`);
    if (host.exactMemory) {
      host.collectGarbage();
      host.readMemory(memory);
      const slots = (memory[MemoryField.slotsUsed] ?? 0) - (baseline[0] ?? 0);
      const chunks = (memory[MemoryField.chunkBytesUsed] ?? 0) - (baseline[1] ?? 0);
      assert.ok(slots <= 0 && chunks <= 0, `memory after the fuzz, collected: ${slots} slots, ${chunks} chunk bytes more than before`);
    }
  });
});
