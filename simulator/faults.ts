/**
 * Fault injection, scriptable per device (by I2C bus and address), bus and pin, over windows of virtual time. The bus
 * and pins ask "is a fault of this kind active for me now?" on every transaction or edge; scheduled faults (vanish,
 * out-of-range, storms, spurious edges) are turned into clock events by the Simulation. Every injection is counted.
 */

export const FAULT_KINDS = [
  "nack-address", "nack-after-bytes", "bus-stuck", "crc-corruption", "out-of-range", "vanish", "clock-stretch",
  "interrupt-storm", "spurious-edge",
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * Numeric codes of the fault kinds, for the per-transaction checks: a string literal passed on a hot path costs a
 * chunk allocation on XS when the module is not preloaded, a number costs nothing.
 */
export const FaultCode = Object.freeze({
  nackAddress: 0, nackAfterBytes: 1, busStuck: 2, crcCorruption: 3, outOfRange: 4, vanish: 5, clockStretch: 6,
  interruptStorm: 7, spuriousEdge: 8,
});

export interface Fault {
  readonly kind: FaultKind;
  /** FaultCode of `kind`. */
  readonly code: number;
  /** I2C address the fault targets (bus and device faults); -1 for every address. */
  readonly address: number;
  /**
   * I2C bus the fault strikes, by the bus's `id` (the Simulation numbers its buses from 0, the default bus): a number,
   * so the per-transaction check compares integers, never names.
   */
  readonly bus: number;
  /** Pin the fault targets (storm, spurious edge); -1 when not a pin fault. */
  readonly pin: number;
  readonly atMs: number;
  /** End of the window (exclusive); Infinity for "until the end". */
  readonly untilMs: number;
  /** nack-after-bytes: bytes ACKed before the NACK. */
  readonly bytes: number;
  /** clock-stretch: added latency per transaction. */
  readonly latencyMs: number;
  /** out-of-range: the value the device reports instead of its signal. */
  readonly value: number;
  /** interrupt-storm: edges per millisecond. */
  readonly edgesPerMs: number;
}

export type FaultSpec = Partial<Fault> & { readonly kind: FaultKind };

export function fault(spec: FaultSpec): Fault {
  return Object.freeze({
    kind: spec.kind, code: FAULT_KINDS.indexOf(spec.kind), address: spec.address ?? -1, bus: spec.bus ?? 0, pin: spec.pin ?? -1, atMs: spec.atMs ?? 0,
    untilMs: spec.untilMs ?? Infinity, bytes: spec.bytes ?? 0, latencyMs: spec.latencyMs ?? 0,
    value: spec.value ?? 0, edgesPerMs: spec.edgesPerMs ?? 0,
  });
}

export class FaultPlan {
  readonly #faults: Fault[] = [];
  /** Injections that took effect, by FaultCode; `injected` names them. */
  readonly counts = new Uint32Array(FAULT_KINDS.length);
  /** Faults added so far: while 0, the bus skips its per-transaction checks. */
  planned = 0;

  add(spec: FaultSpec): Fault {
    const added = fault(spec);
    this.#faults.push(added);
    this.planned = this.#faults.length;
    return added;
  }

  get all(): readonly Fault[] {
    return this.#faults;
  }

  /** Injections that took effect, by kind. */
  get injected(): Record<FaultKind, number> {
    return Object.fromEntries(FAULT_KINDS.map((kind, code) => [kind, this.counts[code] ?? 0])) as Record<FaultKind, number>;
  }

  /** The first fault with FaultCode `code` active for `address` on bus `bus` at `nowMs`, or undefined. Allocation-free. */
  active(code: number, address: number, nowMs: number, bus = 0): Fault | undefined {
    const faults = this.#faults;
    for (let i = 0; i < faults.length; i++) {
      const f = faults[i];
      if (f === undefined || f.code !== code || f.bus !== bus || nowMs < f.atMs || nowMs >= f.untilMs) continue;
      if (f.address === -1 || f.address === address) return f;
    }
    return undefined;
  }

  count(code: number): void {
    this.counts[code] = (this.counts[code] ?? 0) + 1;
  }
}
