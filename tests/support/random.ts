/** A seeded PRNG (mulberry32) and a property-test loop that run on every engine (fast-check cannot run on XS). */

export class Random {
  #state: number;
  constructor(readonly seed: number) {
    this.#state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Whole number in [low, high]. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }
}

/** Runs `property` with `runs` seeds; a failure names the seed so it can be replayed. */
export function forAllSeeds(runs: number, property: (random: Random) => void, firstSeed = 1): void {
  for (let seed = firstSeed; seed < firstSeed + runs; seed++) {
    try {
      property(new Random(seed));
    } catch (error: unknown) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`property failed with seed ${seed}: ${message}`);
    }
  }
}
