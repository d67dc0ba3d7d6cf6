/**
 * What the panel plots, read from the running gateway and simulation on the host: one frame every half virtual
 * second (the server keeps the last HISTORY_FRAMES for a page that connects). Each frame carries at most
 * WINDOWS_PER_FRAME fault windows, however many were injected. Reads only public counters; the firmware neither
 * knows nor pays for it.
 */
import type { Gateway, SensorChannel } from "../../../src/app/index.js";
import type { ConnectionService } from "../../../src/net/connections.js";
import { SAMPLE_STATUS_NAMES } from "../../../src/drivers/common/errors.js";
import { WindowStats } from "../../../src/app/gateway/window.js";
import type { Simulation } from "../../../simulator/simulation.js";
import { FAULT_KINDS } from "../../../simulator/faults.js";
import type { Frame, FaultWindow, SensorFrame } from "./web/protocol.js";
import type { BusPins } from "../../../simulator/buses.js";

/** Where a declared sensor sits: what a fault on it targets. */
export interface SensorTarget {
  readonly address: number;
  /** A board bus by name, or the pins of one the declaration gave. */
  readonly bus: string | BusPins;
}

/** Sensors by name, as a Map: a name such as "constructor" or "__proto__" finds nothing of Object.prototype. */
export type SensorTargets = ReadonlyMap<string, SensorTarget>;

/** A table of targets as a Map of its own entries (a plain object's inherited keys are not targets). */
export function targetMap(targets: SensorTargets | Readonly<Record<string, SensorTarget>>): SensorTargets {
  return targets instanceof Map ? targets : new Map(Object.entries(targets));
}

/** Frames kept for a page that connects: ten virtual minutes at two a second. */
export const HISTORY_FRAMES = 1200;
export const FRAME_EVERY_MS = 500;
/** Fault windows a frame carries at most: those that started last, ended ones included. */
export const WINDOWS_PER_FRAME = 32;

export interface FrameSources {
  readonly gateway: Gateway;
  readonly sim: Simulation;
  /** The HTTP service and the sockets it serves, once the server is up. */
  readonly http?: { readonly service: ConnectionService; readonly openSockets: () => number; readonly dropped?: () => number };
  /** The bus and address of each declared sensor on a bus; names the sensor a fault window targets. */
  readonly targets: SensorTargets;
}

const window10 = new WindowStats();
const window60 = new WindowStats();

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function sensorFrame(sensor: SensorChannel, nowMs: number, address: number | undefined): SensorFrame {
  const dropped: Record<string, number> = {};
  for (let status = 1; status < SAMPLE_STATUS_NAMES.length; status++) {
    const count = sensor.dropped[status] ?? 0;
    if (count > 0) dropped[SAMPLE_STATUS_NAMES[status] ?? String(status)] = count;
  }
  const readings = sensor.readings.map((reading) => {
    reading.window.over(10, nowMs, window10);
    reading.window.over(60, nowMs, window60);
    return {
      name: reading.name, latest: finite(reading.window.latest),
      mean10: finite(window10.mean), min10: finite(window10.min), max10: finite(window10.max),
      mean60: finite(window60.mean), min60: finite(window60.min), max60: finite(window60.max),
    };
  });
  return { name: sensor.name, address: address ?? -1, produced: sensor.produced, delivered: sensor.delivered, dropped,
    stalled: sensor.stalled(nowMs), readings };
}

export class FrameRecorder {
  constructor(readonly sources: FrameSources) {}

  read(): Frame {
    const { gateway, sim, http, targets } = this.sources;
    const now = sim.clock.now;
    const memory = gateway.memory.read();
    const counters = http?.service.counters;
    return {
      t: now,
      sensors: gateway.channels.map((sensor) => sensorFrame(sensor, now, targets.get(sensor.name)?.address)),
      injected: injectedFaults(sim),
      windows: faultWindows(sim, targets),
      memory: {
        source: memory.source, exact: memory.exact, chunkBytesUsed: memory.chunkBytesUsed, slotsUsed: memory.slotsUsed,
        gcCount: memory.gcCount,
      },
      http: http === undefined || counters === undefined ? null : {
        answered: counters.answered, shedNoSlot: counters.noSlot, shedQueueFull: http.service.queue.refused,
        shedClientShare: counters.clientShare, socketsDropped: http.dropped?.() ?? 0, evicted: counters.evicted, open: http.openSockets(),
      },
    };
  }
}

/** The fault windows that started last (WINDOWS_PER_FRAME at most, latest first), named by the sensor at their address. */
export function faultWindows(sim: Simulation, targets: SensorTargets): FaultWindow[] {
  const names = new Map<string, string>();
  for (const [name, target] of targets) names.set(`${sim.busOf(target.bus).id}/${target.address}`, name);
  return sim.faults.recent(sim.clock.now, WINDOWS_PER_FRAME).map((fault) => ({
    kind: fault.kind,
    sensor: fault.address === -1 ? "every device" : names.get(`${fault.bus}/${fault.address}`) ?? `0x${fault.address.toString(16)}`,
    fromMs: fault.atMs, untilMs: fault.untilMs === Infinity ? null : fault.untilMs,
  }));
}

/** Injections that took effect, by kind. */
export function injectedFaults(sim: Simulation): Record<string, number> {
  const injected: Record<string, number> = {};
  for (let code = 0; code < FAULT_KINDS.length; code++) injected[FAULT_KINDS[code] ?? String(code)] = sim.faults.counts[code] ?? 0;
  return injected;
}
