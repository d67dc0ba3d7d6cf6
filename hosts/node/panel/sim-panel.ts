/**
 * The panel over a running simulation: a frame every half virtual second (a timer on the simulator's clock, so the
 * plots follow virtual time), sent to every open page; faults injected from the page become fault windows in the
 * simulation, as a scenario's would, checked by Simulation.inject as a scenario's are.
 */
import type { DeclaredSensor, Gateway } from "../../../src/app/index.js";
import type { SimTimer } from "../../../simulator/clock.js";
import { FaultPlanFull, type FaultKind } from "../../../simulator/faults.js";
import type { Simulation } from "../../../simulator/simulation.js";
import { FrameRecorder, FRAME_EVERY_MS, type FrameSources, type SensorTarget, type SensorTargets } from "./frames.js";
import { PanelServer, type InjectRefusal } from "./server.js";
import type { InjectRequest } from "./web/protocol.js";

/** Faults a page may start on one sensor's address: those that need no more than a time window. */
export const PANEL_FAULTS: readonly FaultKind[] = Object.freeze(["nack-address", "crc-corruption", "bus-stuck", "vanish"]);
const PANEL_KINDS: ReadonlySet<string> = new Set(PANEL_FAULTS);

export class SimPanel {
  readonly recorder: FrameRecorder;
  readonly server: PanelServer;
  #timer: SimTimer | undefined;

  constructor(readonly sources: FrameSources & { readonly gateway: Gateway }, port: number) {
    this.recorder = new FrameRecorder(sources);
    this.server = new PanelServer({
      title: `stillheap gateway on a simulated ${sources.sim.board.description}`,
      injectable: PANEL_FAULTS,
      inject: (request) => this.inject(request),
    }, port);
  }

  /** Starts recording frames on the simulation's clock and serving; resolves with the bound port. */
  async start(): Promise<number> {
    const port = await this.server.listen();
    this.#timer = this.sources.sim.clock.set(() => this.server.broadcast(this.recorder.read()), 0, FRAME_EVERY_MS);
    return port;
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) this.sources.sim.clock.clear(this.#timer);
    this.#timer = undefined;
    await this.server.close();
  }

  inject(request: InjectRequest): InjectRefusal | undefined {
    return injectFault(this.sources.sim, this.sources.targets, request);
  }
}

/**
 * Starts the fault window a page asked for on a sensor's bus and address; says why not, if not: 404 for a sensor not
 * declared on a bus, 400 for a kind the panel does not offer or a window the simulation refuses, 503 when full.
 */
export function injectFault(sim: Simulation, targets: SensorTargets, request: InjectRequest): InjectRefusal | undefined {
  const target = targets.get(request.sensor);
  if (target === undefined) return { status: 404, error: `no sensor "${request.sensor}" on a bus (known: ${[...targets.keys()].join(", ")})` };
  if (!PANEL_KINDS.has(request.kind)) return { status: 400, error: `kind must be one of ${PANEL_FAULTS.join(", ")}` };
  const now = sim.clock.now;
  try {
    sim.inject({ kind: request.kind as FaultKind, address: target.address, bus: target.bus, atMs: now, untilMs: now + request.durationMs });
  } catch (error: unknown) {
    if (!(error instanceof RangeError)) throw error;
    return { status: error instanceof FaultPlanFull ? 503 : 400, error: `${request.sensor}: ${error.message}` };
  }
  return undefined;
}

/** Each declared sensor on a bus, by name: the bus and address a fault window on that sensor targets. */
export function targetsOf(sensors: readonly DeclaredSensor[]): SensorTargets {
  const found = new Map<string, SensorTarget>();
  for (const sensor of sensors) {
    const bus = sensor.bus;
    if (bus !== undefined) found.set(sensor.name, { address: bus.address, bus: bus.name === "" ? { data: bus.data, clock: bus.clock } : bus.name });
  }
  return found;
}
