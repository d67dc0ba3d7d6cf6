/** Physical values over virtual time: constant, ramp, sine, seeded noise, or a recorded series. */

export interface Signal {
  /** The value at `ms` of virtual time. */
  valueAt(ms: number): number;
}

export function constant(value: number): Signal {
  return { valueAt: () => value };
}

/** From `from` at `startMs` to `to` over `durationMs`, then holds. */
export function ramp(from: number, to: number, durationMs: number, startMs = 0): Signal {
  return {
    valueAt(ms) {
      const t = Math.min(1, Math.max(0, (ms - startMs) / Math.max(durationMs, 1e-9)));
      return from + (to - from) * t;
    },
  };
}

export function sine(mean: number, amplitude: number, periodMs: number, phase = 0): Signal {
  return { valueAt: (ms) => mean + amplitude * Math.sin((2 * Math.PI * ms) / periodMs + phase) };
}

/** Gaussian noise around `mean`, the same for the same seed and time (a hash of both, no hidden state). */
export function noise(mean: number, deviation: number, seed = 1): Signal {
  const uniform = (ms: number, salt: number): number => {
    let h = Math.imul((Math.floor(ms) ^ Math.imul(seed, 0x9e3779b1)) + salt, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (((h ^ (h >>> 16)) >>> 0) + 0.5) / 4294967296;
  };
  return {
    valueAt(ms) {
      const gaussian = Math.sqrt(-2 * Math.log(uniform(ms, 1))) * Math.cos(2 * Math.PI * uniform(ms, 2));
      return mean + deviation * gaussian;
    },
  };
}

/** A recorded series of [ms, value] points, linearly interpolated, held at both ends. */
export function series(points: ReadonlyArray<readonly [number, number]>): Signal {
  if (points.length === 0) throw new RangeError("a series needs at least one [ms, value] point");
  return {
    valueAt(ms) {
      const first = points[0];
      if (first === undefined || ms <= first[0]) return first?.[1] ?? 0;
      for (let i = 1; i < points.length; i++) {
        const a = points[i - 1];
        const b = points[i];
        if (a === undefined || b === undefined || ms > b[0]) continue;
        return a[1] + ((b[1] - a[1]) * (ms - a[0])) / Math.max(b[0] - a[0], 1e-9);
      }
      return points[points.length - 1]?.[1] ?? 0;
    },
  };
}

/** Adds a value that overrides the signal while set (the out-of-range fault). */
export class FaultableSignal implements Signal {
  override: number | undefined = undefined;
  constructor(public signal: Signal) {}
  valueAt(ms: number): number {
    return this.override ?? this.signal.valueAt(ms);
  }
}
