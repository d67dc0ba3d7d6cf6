/** The panel's Server-Sent Events, as the Node host writes them and the page reads them. */

export interface ReadingFrame {
  readonly name: string;
  /** null where there is no value yet (JSON has no NaN). */
  readonly latest: number | null;
  readonly mean10: number | null;
  readonly min10: number | null;
  readonly max10: number | null;
  readonly mean60: number | null;
  readonly min60: number | null;
  readonly max60: number | null;
}

export interface SensorFrame {
  readonly name: string;
  /** I2C address, -1 when unknown (no fault can be aimed at it). */
  readonly address: number;
  readonly produced: number;
  readonly delivered: number;
  /** Drops so far by reason; reasons with none are left out. */
  readonly dropped: Readonly<Record<string, number>>;
  readonly stalled: boolean;
  readonly readings: readonly ReadingFrame[];
}

export interface FaultWindow {
  readonly kind: string;
  readonly sensor: string;
  readonly fromMs: number;
  /** null: until the end. */
  readonly untilMs: number | null;
}

export interface MemoryFrame {
  /** Where the figures come from: the XS engine's own counters, or on Node an estimate (V8's heap). */
  readonly source: string;
  readonly exact: boolean;
  readonly chunkBytesUsed: number;
  /** -1 where the engine has no slots (Node). */
  readonly slotsUsed: number;
  /** -1 where the engine keeps no count (Node). */
  readonly gcCount: number;
}

export interface HttpFrame {
  readonly answered: number;
  readonly shedNoSlot: number;
  readonly shedQueueFull: number;
  /** Connections refused because their address held its share of the slots. */
  readonly shedClientShare: number;
  /** Connections closed unanswered: the port's socket cap, or their address's half of it. */
  readonly socketsDropped: number;
  readonly evicted: number;
  readonly open: number;
}

/** One `frame` event: everything at virtual time `t` (ms); counters are totals since start. */
export interface Frame {
  readonly t: number;
  readonly sensors: readonly SensorFrame[];
  /** Fault injections that took effect, by kind. */
  readonly injected: Readonly<Record<string, number>>;
  /**
   * Fault windows of the scenario or the page: at most 32, those that started last. Empty in the frames of a
   * backlog but its last: a page shades the windows of the newest frame it has.
   */
  readonly windows: readonly FaultWindow[];
  readonly memory: MemoryFrame;
  /** null where the host serves no HTTP (the RP2040 emulator's console). */
  readonly http: HttpFrame | null;
}

/**
 * The first event on every connection: what is being watched. The frames kept so far follow as `frame` events
 * (`backlog` of them, the latest that fit the server's backlog budget), then the live ones.
 */
export interface Hello {
  /** Changes when the watched process restarts, so a page starts its plots afresh. */
  readonly run: string;
  readonly title: string;
  /** Fault kinds the inject control may ask for; empty where faults cannot be injected. */
  readonly injectable: readonly string[];
  readonly backlog: number;
}

/** POST /v1/inject: a fault on one sensor's address from now for `durationMs` virtual milliseconds. */
export interface InjectRequest {
  readonly sensor: string;
  readonly kind: string;
  readonly durationMs: number;
}
