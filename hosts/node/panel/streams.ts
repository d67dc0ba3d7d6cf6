/**
 * The panel's event streams with back-pressure: frames are serialised once into a ring of the last HISTORY_FRAMES
 * texts, and each page has a cursor into it. The ring keeps frames without their fault windows (a page shades the
 * windows of the last frame it has), the newest frame whole. A page is written to only while what it has not taken stays under
 * Node's buffer mark, so a page that does not read costs a cursor, not a copy of every frame. A page sent nothing
 * for STALL_MS while frames wait for it, or that fell behind the whole ring, is dropped and counted.
 */
import type { ServerResponse } from "node:http";
import { HISTORY_FRAMES } from "./frames.js";

/** A page that connects is sent the latest kept frames whose text fits in this many bytes, then live ones. */
export const BACKLOG_BYTES = 512 * 1024;
/** Event streams open at once; one more is answered 503. */
export const MAX_STREAMS = 16;
/** A page that takes no bytes for this long (wall clock) while frames wait for it is dropped. */
export const STALL_MS = 5000;

interface Page {
  readonly response: ServerResponse;
  /** Sequence number of the next frame to write to it. */
  next: number;
  /** When writing last stopped on a full buffer (performance.now()), or -1 while it keeps up. */
  blockedSince: number;
}

export class EventStreams {
  readonly #texts: string[] = new Array<string>(HISTORY_FRAMES).fill("");
  /** The newest frame with its windows. */
  #newest = "";
  readonly #pages = new Set<Page>();
  /** Frames pushed so far; frame `seq` sits at `seq % HISTORY_FRAMES` while it is among the last HISTORY_FRAMES. */
  #seq = 0;
  /** Pages dropped for not reading (stalled) or falling behind the ring; pages refused beyond MAX_STREAMS. */
  dropped = 0;
  refused = 0;
  framesSent = 0;
  connections = 0;

  constructor(readonly maxStreams = MAX_STREAMS) {}

  /** Streams open now. */
  get count(): number {
    return this.#pages.size;
  }

  /** Keeps a frame (the oldest kept goes) and writes it to each page that keeps up. */
  push(frame: { readonly windows: readonly unknown[] }): void {
    this.#newest = `event: frame\ndata: ${JSON.stringify(frame)}\n\n`;
    this.#texts[this.#seq % HISTORY_FRAMES] = frame.windows.length === 0 ? this.#newest
      : `event: frame\ndata: ${JSON.stringify({ ...frame, windows: [] })}\n\n`;
    this.#seq++;
    this.framesSent++;
    for (const page of this.#pages) this.#pump(page);
  }

  /** The kept frames' JSON, oldest first (the newest with its windows, the others without). */
  history(): string[] {
    const kept: string[] = [];
    for (let seq = Math.max(0, this.#seq - HISTORY_FRAMES); seq < this.#seq; seq++) {
      const text = seq === this.#seq - 1 ? this.#newest : this.#texts[seq % HISTORY_FRAMES] ?? "";
      kept.push(text.slice(text.indexOf("data: ") + 6, -2));
    }
    return kept;
  }

  /** Starts a stream: `hello` (made with the backlog's length), the backlog, then live frames; false when full. */
  open(response: ServerResponse, hello: (backlog: number) => string): boolean {
    if (this.#pages.size >= this.maxStreams) {
      this.refused++;
      return false;
    }
    const first = this.#backlogStart();
    response.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive" });
    response.write(hello(this.#seq - first));
    const page: Page = { response, next: first, blockedSince: -1 };
    this.#pages.add(page);
    this.connections++;
    const forget = (): void => void this.#pages.delete(page);
    response.on("close", forget);
    response.on("error", forget); // a page that went away; close follows
    response.on("drain", () => {
      page.blockedSince = -1;
      this.#pump(page);
    });
    this.#pump(page);
    return true;
  }

  /** Ends every stream (pages reconnect to whatever serves next). */
  end(): void {
    for (const page of this.#pages) page.response.end();
    this.#pages.clear();
  }

  #backlogStart(): number {
    let first = this.#seq;
    let bytes = 0;
    while (first > Math.max(0, this.#seq - HISTORY_FRAMES)) {
      bytes += (this.#texts[(first - 1) % HISTORY_FRAMES] ?? "").length;
      if (bytes > BACKLOG_BYTES) break;
      first--;
    }
    return first;
  }

  #pump(page: Page): void {
    const response = page.response;
    if (page.next < this.#seq - HISTORY_FRAMES) return this.#drop(page); // its next frame is gone: it cannot catch up
    while (page.next < this.#seq && !response.writableNeedDrain && !response.destroyed) {
      response.write(page.next === this.#seq - 1 ? this.#newest : this.#texts[page.next % HISTORY_FRAMES] ?? "");
      page.next++;
    }
    if (page.next === this.#seq) page.blockedSince = -1;
    else if (page.blockedSince < 0) page.blockedSince = performance.now();
    else if (performance.now() - page.blockedSince > STALL_MS) this.#drop(page);
  }

  #drop(page: Page): void {
    this.dropped++;
    this.#pages.delete(page);
    page.response.destroy();
  }
}
