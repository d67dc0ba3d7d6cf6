/**
 * The panel page: frames from the host's event stream into charts on one virtual time axis. A page outlives the
 * process it watches: when the stream breaks it reconnects, and a new run (the process restarted) starts the charts
 * afresh. The backlog the server sends after `hello` arrives as frames too: charts are redrawn once per animation
 * frame, however many frames came in between.
 */
import type { Frame, Hello } from "./protocol.js";
import { Chart, type Band, type SeriesSpec } from "./plots.js";
import { offerSensors, renderInjectForm, renderSensors } from "./view.js";

const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f"];
const RECONNECT_MS = 1000;
const READING_SERIES: readonly SeriesSpec[] = [
  { label: "latest", stroke: "#1f77b4" }, { label: "mean 10 s", stroke: "#2ca02c" }, { label: "mean 60 s", stroke: "#ff7f0e" },
  { label: "min 10 s", stroke: "#9ab", dash: [4, 4] }, { label: "max 10 s", stroke: "#9ab", dash: [4, 4] },
];
/** Drop reasons and fault kinds get a fixed series each, so colours and legends stay put as they appear. */
const DROP_REASONS = ["nack", "crc", "timeout", "out-of-range", "not-ready", "bus", "dropped", "nack-or-timeout"];
const FAULT_KINDS = ["nack-address", "nack-after-bytes", "bus-stuck", "crc-corruption", "out-of-range", "vanish",
  "clock-stretch", "interrupt-storm", "spurious-edge"];

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page lacks #${id}`);
  return found;
}

function spec(labels: readonly string[]): SeriesSpec[] {
  return labels.map((label, i) => ({ label, stroke: COLOURS[i % COLOURS.length] ?? "#000" }));
}

function sum(record: Readonly<Record<string, number>>, key: string): number {
  return record[key] ?? 0;
}

class Panel {
  #run = "";
  #previous: Frame | undefined;
  #bands: Band[] = [];
  readonly #readings = new Map<string, Chart>();
  readonly #charts: { drops: Chart; faults: Chart; memory: Chart; http: Chart } | undefined;
  #frames = 0;
  #drawPending = false;

  constructor() {
    const bands = (): readonly Band[] => this.#bands;
    const events = element("events");
    this.#charts = {
      drops: new Chart(events, "drops by reason (per frame, all sensors)", spec(DROP_REASONS), bands),
      faults: new Chart(events, "faults injected (per frame, by kind)", spec(FAULT_KINDS), bands),
      memory: new Chart(element("memory"), "memory", spec(["V8 heap MiB (Node host)", "XS slots", "XS chunk KiB", "collections"]), bands),
      http: new Chart(element("http"), "HTTP (per frame)", spec(["answered", "shed: no slot", "shed: queue full", "shed: client share", "sockets dropped", "open sockets"]), bands),
    };
  }

  hello(hello: Hello): void {
    document.title = hello.title;
    element("title").textContent = hello.title;
    if (hello.run !== this.#run) this.#reset(hello.run);
    renderInjectForm(element("inject"), hello.injectable);
    // After a reconnect to the same run, the backlog repeats frames already plotted: #add skips those.
  }

  frame(frame: Frame): void {
    this.#add(frame);
    if (this.#drawPending) return;
    this.#drawPending = true;
    requestAnimationFrame(() => {
      this.#drawPending = false;
      this.#draw();
    });
  }

  #reset(run: string): void {
    this.#run = run;
    this.#previous = undefined;
    this.#frames = 0;
    for (const chart of this.#readings.values()) chart.remove();
    this.#readings.clear();
    if (this.#charts !== undefined) for (const chart of Object.values(this.#charts)) chart.reset();
    document.body.dataset["run"] = run;
  }

  #add(frame: Frame): void {
    const x = frame.t / 1000;
    if (this.#previous !== undefined && frame.t <= this.#previous.t) return; // already seen (history after a reconnect)
    this.#bands = frame.windows.map((w) => ({ from: w.fromMs / 1000, until: w.untilMs === null ? null : w.untilMs / 1000,
      label: `${w.kind} ${w.sensor}` }));
    for (const sensor of frame.sensors) {
      for (const reading of sensor.readings) {
        const title = `${sensor.name} ${reading.name}`;
        let chart = this.#readings.get(title);
        if (chart === undefined) {
          chart = new Chart(element("readings"), title, READING_SERIES, () => this.#bands);
          this.#readings.set(title, chart);
        }
        chart.push(x, [reading.latest, reading.mean10, reading.mean60, reading.min10, reading.max10]);
      }
    }
    this.#addCounters(x, frame);
    renderSensors(element("sensors"), frame, this.#previous);
    offerSensors(element("inject"), frame);
    this.#previous = frame;
    this.#frames++;
  }

  #addCounters(x: number, frame: Frame): void {
    const before = this.#previous;
    const charts = this.#charts;
    if (charts === undefined) return;
    const drops = (f: Frame | undefined, reason: string): number => {
      let total = 0;
      for (const sensor of f?.sensors ?? []) total += sum(sensor.dropped, reason);
      return total;
    };
    charts.drops.push(x, DROP_REASONS.map((r) => (before === undefined ? null : drops(frame, r) - drops(before, r))));
    charts.faults.push(x, FAULT_KINDS.map((k) => (before === undefined ? null : sum(frame.injected, k) - sum(before.injected, k))));
    const m = frame.memory;
    const exact = m.exact;
    charts.memory.push(x, [exact ? null : m.chunkBytesUsed / 1048576, m.slotsUsed >= 0 ? m.slotsUsed : null,
      exact ? m.chunkBytesUsed / 1024 : null, m.gcCount >= 0 ? m.gcCount : null]);
    element("memory-note").textContent = exact
      ? `XS engine counters (${m.source}): exact.`
      : "On Node only the host's V8 heap is real: XS slots, chunk bytes and collections are measured on the XS engine " +
        "(stillheap xs, or stillheap emu --panel), not here.";
    const h = frame.http;
    element("http-section").hidden = h === null; // a console carries no HTTP figures
    const hb = before?.http;
    charts.http.push(x, h === null || hb === undefined || hb === null ? [null, null, null, null, null, h?.open ?? null]
      : [h.answered - hb.answered, h.shedNoSlot - hb.shedNoSlot, h.shedQueueFull - hb.shedQueueFull,
        h.shedClientShare - hb.shedClientShare, h.socketsDropped - hb.socketsDropped, h.open]);
  }

  #draw(): void {
    for (const chart of this.#readings.values()) chart.draw();
    if (this.#charts !== undefined) for (const chart of Object.values(this.#charts)) chart.draw();
    document.body.dataset["frames"] = String(this.#frames);
    document.body.dataset["t"] = String(this.#previous?.t ?? 0);
  }
}

function connect(panel: Panel): void {
  const status = element("connection");
  const source = new EventSource("/events");
  source.addEventListener("hello", (event) => {
    status.textContent = "live";
    status.dataset["state"] = "live";
    panel.hello(JSON.parse((event as MessageEvent<string>).data) as Hello);
  });
  source.addEventListener("frame", (event) => panel.frame(JSON.parse((event as MessageEvent<string>).data) as Frame));
  source.addEventListener("error", () => {
    status.textContent = "reconnecting…";
    status.dataset["state"] = "reconnecting";
    // The browser retries a dropped stream itself; one it gave up on (CLOSED) is reopened here.
    if (source.readyState === EventSource.CLOSED) setTimeout(() => connect(panel), RECONNECT_MS);
  });
}

connect(new Panel());
