/**
 * The panel over a running simulation: a frame every half virtual second (a timer on the simulator's clock, so the
 * plots follow virtual time), sent to every open page; faults injected from the page become fault windows in the
 * simulation, as a scenario's would.
 */
import type { DeclaredSensor, Gateway } from "../../../src/app/index.js";
import type { SimTimer } from "../../../simulator/clock.js";
import type { FaultKind } from "../../../simulator/faults.js";
import type { Simulation } from "../../../simulator/simulation.js";
import { FrameRecorder, FRAME_EVERY_MS, type FrameSources, type SensorTarget } from "./frames.js";
import { PanelServer } from "./server.js";
import type { InjectRequest } from "./web/protocol.js";

/** Faults a page may start on one sensor's address: those that need no more than a time window. */
export const PANEL_FAULTS: readonly FaultKind[] = Object.freeze(["nack-address", "crc-corruption", "bus-stuck", "vanish"]);

function isPanelFault(kind: string): kind is FaultKind {
  return (PANEL_FAULTS as readonly string[]).includes(kind);
}

export class SimPanel {
  readonly recorder: FrameRecorder;
  readonly server: PanelServer;
  #timer: SimTimer | undefined;

  constructor(readonly sources: FrameSources & { readonly gateway: Gateway }, port: number) {
    this.recorder = new FrameRecorder(sources);
    this.server = new PanelServer({
      title: `stillheap gateway on a simulated ${sources.sim.board.description}`,
      injectable: PANEL_FAULTS,
      history: () => this.recorder.history(),
      inject: (request) => this.inject(request),
    }, port);
  }

  /** Starts recording frames on the simulation's clock and serving; resolves with the bound port. */
  async start(): Promise<number> {
    const port = await this.server.listen();
    this.#timer = this.sources.sim.clock.set(() => this.server.broadcast(this.recorder.record()), 0, FRAME_EVERY_MS);
    return port;
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) this.sources.sim.clock.clear(this.#timer);
    this.#timer = undefined;
    await this.server.close();
  }

  inject(request: InjectRequest): string | undefined {
    return injectFault(this.sources.sim, this.sources.targets, request);
  }
}

/** Starts the fault window a page asked for on a sensor's bus and address; returns what is wrong with the request, if anything. */
export function injectFault(sim: Simulation, targets: Readonly<Record<string, SensorTarget>>, request: InjectRequest): string | undefined {
  const target = Object.hasOwn(targets, request.sensor) ? targets[request.sensor] : undefined;
  if (target === undefined) return `no sensor "${request.sensor}" on a bus (known: ${Object.keys(targets).join(", ")})`;
  if (!isPanelFault(request.kind)) return `kind must be one of ${PANEL_FAULTS.join(", ")}`;
  const now = sim.clock.now;
  sim.inject({ kind: request.kind, address: target.address, bus: target.bus, atMs: now, untilMs: now + request.durationMs });
  return undefined;
}

/** Each declared sensor on a bus, by name: the bus and address a fault window on that sensor targets. */
export function targetsOf(sensors: readonly DeclaredSensor[]): Record<string, SensorTarget> {
  const found: Record<string, SensorTarget> = {};
  for (const sensor of sensors) {
    const bus = sensor.bus;
    if (bus !== undefined) found[sensor.name] = { address: bus.address, bus: bus.name === "" ? { data: bus.data, clock: bus.clock } : bus.name };
  }
  return found;
}
