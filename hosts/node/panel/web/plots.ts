/** A time series chart over uPlot: points appended as frames arrive, fault windows shaded on the shared time axis. */
import uPlot from "uplot";

/** Points kept per chart: ten virtual minutes at two frames a second. */
const MAX_POINTS = 1200;
const WIDTH = 460;
const HEIGHT = 170;

export interface SeriesSpec {
  readonly label: string;
  readonly stroke: string;
  readonly dash?: readonly number[];
}

/** A fault window in virtual seconds; `until` null while it lasts. */
export interface Band {
  readonly from: number;
  readonly until: number | null;
  readonly label: string;
}

export class Chart {
  readonly #plot: uPlot;
  readonly #data: Array<Array<number | null>>;
  readonly #holder: HTMLElement;

  constructor(parent: HTMLElement, title: string, series: readonly SeriesSpec[], bands: () => readonly Band[]) {
    this.#holder = document.createElement("div");
    this.#holder.className = "chart";
    this.#holder.dataset["title"] = title;
    this.#holder.dataset["points"] = "0";
    parent.append(this.#holder);
    this.#data = [[], ...series.map(() => [])];
    const options: uPlot.Options = {
      title, width: WIDTH, height: HEIGHT,
      cursor: { sync: { key: "virtual-time" } },
      scales: { x: { time: false } },
      axes: [{ label: "virtual s", size: 36 }, { size: 72 }],
      legend: { live: false },
      series: [{ label: "t (s)" }, ...series.map((spec) => ({ label: spec.label, stroke: spec.stroke, width: 1.5,
        spanGaps: false, ...(spec.dash === undefined ? {} : { dash: [...spec.dash] }) }))],
      hooks: { drawClear: [(plot: uPlot) => shade(plot, bands())] },
    };
    this.#plot = new uPlot(options, this.#data as uPlot.AlignedData, this.#holder);
  }

  /** Appends one point per series at `x` seconds (the oldest goes beyond MAX_POINTS). */
  push(x: number, values: ReadonlyArray<number | null>): void {
    const columns = this.#data;
    columns[0]?.push(x);
    for (let i = 1; i < columns.length; i++) columns[i]?.push(values[i - 1] ?? null);
    if ((columns[0]?.length ?? 0) > MAX_POINTS) for (const column of columns) column.shift();
  }

  /** Redraws with what was pushed since the last call. */
  draw(): void {
    this.#plot.setData(this.#data as uPlot.AlignedData);
    this.#holder.dataset["points"] = String(this.#data[0]?.length ?? 0);
  }

  reset(): void {
    for (const column of this.#data) column.length = 0;
    this.draw();
  }

  remove(): void {
    this.#plot.destroy();
    this.#holder.remove();
  }
}

/** Shades each fault window behind the series, so drops line up with the fault that caused them. */
function shade(plot: uPlot, bands: readonly Band[]): void {
  const xs = plot.data[0];
  const last = xs[xs.length - 1];
  if (last === undefined) return;
  const { ctx, bbox } = plot;
  ctx.save();
  for (const band of bands) {
    const left = Math.max(bbox.left, plot.valToPos(band.from, "x", true));
    const right = Math.min(bbox.left + bbox.width, plot.valToPos(Math.min(band.until ?? last, last), "x", true));
    if (right <= left) continue;
    ctx.fillStyle = "rgba(220, 60, 60, 0.14)";
    ctx.fillRect(left, bbox.top, right - left, bbox.height);
    ctx.fillStyle = "rgba(160, 30, 30, 0.9)";
    ctx.font = `${Math.round(10 * devicePixelRatio)}px sans-serif`;
    ctx.textAlign = "left"; // uPlot leaves the axes' alignment set
    ctx.textBaseline = "alphabetic";
    ctx.fillText(band.label, left + 3, bbox.top + 12 * devicePixelRatio);
  }
  ctx.restore();
}
