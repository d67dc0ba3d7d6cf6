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

/** Windows not yet ended the plan holds at most; one more is refused (FaultPlanFull). A scenario of 10,000 fits. */
export const FAULT_PLAN_CAPACITY = 16_384;
/** Ended windows kept for display (the panel's shading): the most recent, the oldest overwritten. */
export const ENDED_WINDOWS_KEPT = 64;

/** The plan holds FAULT_PLAN_CAPACITY windows not yet ended: the new one is refused; retry once some have ended. */
export class FaultPlanFull extends RangeError {
  override name = "FaultPlanFull";
}

const I2C_ONLY = ["bytes", "latencyMs", "value", "edgesPerMs"] as const;

/** What is wrong with a fault's own fields (kind, window, parameters), or undefined; the field leads the message. */
export function faultProblem(spec: FaultSpec): string | undefined {
  const code = FAULT_KINDS.indexOf(spec.kind);
  if (code < 0) return `kind "${String(spec.kind)}" is not one of ${FAULT_KINDS.join(", ")}`;
  const atMs = spec.atMs ?? 0;
  const untilMs = spec.untilMs ?? Infinity;
  if (!(Number.isFinite(atMs) && atMs >= 0)) return `atMs ${atMs} must be a number of milliseconds ≥ 0`;
  if (Number.isNaN(untilMs) || untilMs <= atMs) return `untilMs ${untilMs} must be after atMs ${atMs}: a window ends after it starts (leave untilMs out for "until the end")`;
  for (const key of I2C_ONLY) {
    const value = spec[key];
    if (value !== undefined && !Number.isFinite(value)) return `${key} ${value} must be a finite number`;
  }
  const pinFault = code === FaultCode.interruptStorm || code === FaultCode.spuriousEdge;
  if (pinFault && !(Number.isInteger(spec.pin) && (spec.pin ?? -1) >= 0)) return `pin: a ${spec.kind} fault strikes a pin: give its number`;
  if (!pinFault && spec.pin !== undefined && spec.pin !== -1) return `pin: a ${spec.kind} fault strikes an I2C device, not a pin: drop pin`;
  const address = spec.address ?? -1;
  if (!(Number.isInteger(address) && address >= -1 && address <= 127)) return `address ${address} must be a 7-bit I2C address (0–127)`;
  if ((code === FaultCode.vanish || code === FaultCode.outOfRange) && address === -1) return `address: a ${spec.kind} fault needs the address of a device`;
  return kindProblem(code, spec, untilMs);
}

function kindProblem(code: number, spec: FaultSpec, untilMs: number): string | undefined {
  if (code === FaultCode.nackAfterBytes && !(Number.isInteger(spec.bytes ?? 0) && (spec.bytes ?? 0) >= 0)) return `bytes ${spec.bytes} must be a whole number ≥ 0`;
  if (code === FaultCode.clockStretch && !((spec.latencyMs ?? 0) > 0)) return `latencyMs ${spec.latencyMs ?? 0} must be > 0: the latency a clock-stretch adds`;
  if (code === FaultCode.interruptStorm && !((spec.edgesPerMs ?? 0) > 0)) return `edgesPerMs ${spec.edgesPerMs ?? 0} must be > 0`;
  if (code === FaultCode.interruptStorm && untilMs === Infinity) return "untilMs: an interrupt storm needs an end";
  return undefined;
}

export function fault(spec: FaultSpec): Fault {
  return Object.freeze({
    kind: spec.kind, code: FAULT_KINDS.indexOf(spec.kind), address: spec.address ?? -1, bus: spec.bus ?? 0, pin: spec.pin ?? -1, atMs: spec.atMs ?? 0,
    untilMs: spec.untilMs ?? Infinity, bytes: spec.bytes ?? 0, latencyMs: spec.latencyMs ?? 0,
    value: spec.value ?? 0, edgesPerMs: spec.edgesPerMs ?? 0,
  });
}

/**
 * The windows not yet ended, in the order they were added, at most FAULT_PLAN_CAPACITY; `prune` moves those that
 * ended into a ring of the last ENDED_WINDOWS_KEPT, so a long run of injections costs bounded memory and the
 * per-transaction check only looks at windows that can still strike.
 */
export class FaultPlan {
  readonly #faults: Fault[] = [];
  readonly #ended: Array<Fault | undefined> = new Array<Fault | undefined>(ENDED_WINDOWS_KEPT).fill(undefined);
  #endedNext = 0;
  /** The earliest end among the windows in the plan: pruning before it would find nothing. */
  #earliestEndMs = Infinity;
  /** Injections that took effect, by FaultCode; `injected` names them. */
  readonly counts = new Uint32Array(FAULT_KINDS.length);
  /** Windows in the plan now (not yet ended): while 0, the bus skips its per-transaction checks. */
  planned = 0;
  /** Windows that ended and left the plan. */
  ended = 0;

  /** Adds a window (checked with faultProblem, RangeError) after pruning those ended by `nowMs`; FaultPlanFull when full. */
  add(spec: FaultSpec, nowMs = 0): Fault {
    const problem = faultProblem(spec);
    if (problem !== undefined) throw new RangeError(problem);
    this.prune(nowMs);
    if (this.#faults.length >= FAULT_PLAN_CAPACITY) {
      throw new FaultPlanFull(`the fault plan holds ${FAULT_PLAN_CAPACITY} windows not yet ended: wait for some to end`);
    }
    const added = fault(spec);
    this.#faults.push(added);
    this.#earliestEndMs = Math.min(this.#earliestEndMs, added.untilMs);
    this.planned = this.#faults.length;
    return added;
  }

  /** Moves the windows that ended by `nowMs` out of the plan, into the ring of ended ones. Allocation-free. */
  prune(nowMs: number): void {
    if (nowMs < this.#earliestEndMs) return;
    const faults = this.#faults;
    let kept = 0;
    let earliest = Infinity;
    for (let i = 0; i < faults.length; i++) {
      const f = faults[i] as Fault;
      if (f.untilMs <= nowMs) this.#endOf(f);
      else {
        faults[kept++] = f;
        if (f.untilMs < earliest) earliest = f.untilMs;
      }
    }
    faults.length = kept;
    this.#earliestEndMs = earliest;
    this.planned = kept;
  }

  #endOf(f: Fault): void {
    this.#ended[this.#endedNext] = f;
    this.#endedNext = (this.#endedNext + 1) % ENDED_WINDOWS_KEPT;
    this.ended++;
  }

  /** The windows not yet ended (as of the last prune), in the order added. */
  get all(): readonly Fault[] {
    return this.#faults;
  }

  /** At most `max` windows that have started by `nowMs`, ended ones included (the last ENDED_WINDOWS_KEPT), latest start first. */
  recent(nowMs: number, max: number): Fault[] {
    const found: Fault[] = [];
    for (const f of this.#faults) if (f.atMs <= nowMs) found.push(f);
    for (const f of this.#ended) if (f !== undefined) found.push(f);
    return found.sort((a, b) => b.atMs - a.atMs).slice(0, max);
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
