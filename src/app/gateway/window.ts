/**
 * A reading's window: the latest value and min/max/mean over the last 10 s and 60 s, from 60 one-second buckets kept
 * in typed arrays and updated in place — adding a sample or reading the statistics allocates nothing.
 */

const BUCKETS = 60;
/** Marks a bucket no second matches yet; below any second a window asks for (−59 at the earliest). */
const UNUSED = -0x80000000;

export class WindowStats {
  count = 0;
  min = Number.NaN;
  max = Number.NaN;
  mean = Number.NaN;
}

export class ReadingWindow {
  latest = Number.NaN;
  latestAtMs = -1;
  samples = 0;
  // Seconds since the clock's origin and counts are whole numbers: 32-bit buckets, half the RAM of 64-bit ones.
  readonly #second = new Int32Array(BUCKETS).fill(UNUSED);
  readonly #count = new Uint32Array(BUCKETS);
  readonly #sum = new Float64Array(BUCKETS);
  readonly #min = new Float64Array(BUCKETS);
  readonly #max = new Float64Array(BUCKETS);

  add(value: number, nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    const at = second % BUCKETS;
    if (this.#second[at] !== second) {
      this.#second[at] = second;
      this.#count[at] = 0;
      this.#sum[at] = 0;
      this.#min[at] = Infinity;
      this.#max[at] = -Infinity;
    }
    this.#count[at] = (this.#count[at] ?? 0) + 1;
    this.#sum[at] = (this.#sum[at] ?? 0) + value;
    if (value < (this.#min[at] ?? Infinity)) this.#min[at] = value;
    if (value > (this.#max[at] ?? -Infinity)) this.#max[at] = value;
    this.latest = value;
    this.latestAtMs = nowMs;
    this.samples++;
  }

  /**
   * Fills `into` with the statistics of the last `seconds` (≤ 60), ending at `nowMs`. The arrays are read through
   * locals and min/max taken by comparison: on XS a Math.min call and a private-field read per bucket cost more than
   * the rest of the loop.
   */
  over(seconds: number, nowMs: number, into: WindowStats): WindowStats {
    const now = Math.floor(nowMs / 1000);
    const bucketSecond = this.#second;
    const counts = this.#count;
    const sums = this.#sum;
    const mins = this.#min;
    const maxes = this.#max;
    let count = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    const first = now - seconds + 1;
    let at = ((first % BUCKETS) + BUCKETS) % BUCKETS;
    for (let s = first; s <= now; s++) {
      if (bucketSecond[at] === s) {
        count += counts[at] ?? 0;
        sum += sums[at] ?? 0;
        const low = mins[at] ?? Infinity;
        const high = maxes[at] ?? -Infinity;
        if (low < min) min = low;
        if (high > max) max = high;
      }
      if (++at === BUCKETS) at = 0;
    }
    into.count = count;
    into.min = count > 0 ? min : Number.NaN;
    into.max = count > 0 ? max : Number.NaN;
    into.mean = count > 0 ? sum / count : Number.NaN;
    return into;
  }
}
