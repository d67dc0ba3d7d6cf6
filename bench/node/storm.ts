/**
 * What an interrupt storm costs the simulator, on Node: the gateway on a simulated Pico, a storm of N edges over one
 * second on the TMP117's ALERT pin (the driver listens for its falling edges), two virtual seconds run at full speed (as `stillheap sim --seconds 2` does). The cost per
 * edge should not grow with N. The naive column schedules one clock event per edge up front, as the simulator once did.
 */
import { performance } from "node:perf_hooks";
import { composeGateway, declaredSensors } from "../../hosts/sim/gateway.js";
import { installNodeEngine } from "../../hosts/node/engine.js";
import { loadScenario } from "../../simulator/scenario.js";

const SIZES = [25_000, 50_000, 100_000, 200_000];
/** The naive schedule is quadratic: past this it takes minutes, so it is not run. */
const NAIVE_LIMIT = 50_000;

export interface StormRun {
  readonly edges: number;
  /** The same two seconds without a storm, subtracted before dividing by the edges. */
  readonly baselineMs: number;
  readonly ms: number;
  readonly microsPerEdge: number;
  readonly naiveMs: number | null;
  readonly naiveMicrosPerEdge: number | null;
}

function board(edges: number, naive: boolean) {
  const storm = { kind: "interrupt-storm", pin: "alert", atMs: 500, untilMs: 1500, edgesPerMs: edges / 1000 };
  const sim = loadScenario({
    board: "pico",
    devices: [{ type: "sht3x" }, { type: "bmp280" }, { type: "tmp117", alertPin: 16 }, { type: "lis3dh", int1Pin: 17 }],
    faults: naive || edges === 0 ? [] : [storm],
  });
  if (naive) {
    for (let i = 0; i < edges; i++) sim.clock.at(500 + i / storm.edgesPerMs, () => sim.pins.drive(16, i % 2));
  }
  return sim;
}

/** The median of three runs. */
function median(edges: number, naive: boolean): number {
  const times = [run(edges, naive), run(edges, naive), run(edges, naive)].sort((a, b) => a - b);
  return times[1] ?? 0;
}

function run(edges: number, naive: boolean): number {
  const sim = board(edges, naive);
  const { gateway } = composeGateway({ sim, sensors: declaredSensors(sim, undefined, ""), apiToken: "" });
  gateway.start();
  const started = performance.now();
  sim.clock.advance(2000);
  const ms = performance.now() - started;
  gateway.stop();
  return ms;
}

export function runStormBench(log: (line: string) => void): StormRun[] {
  installNodeEngine();
  for (let i = 0; i < 3; i++) run(100_000, false); // warm the JIT
  const baseline = median(0, false);
  const round = (value: number): number => Math.round(value * 100) / 100;
  const perEdge = (ms: number, edges: number): number => round((Math.max(0, ms - baseline) * 1000) / edges);
  return SIZES.map((edges) => {
    const ms = median(edges, false);
    const naiveMs = edges <= NAIVE_LIMIT ? run(edges, true) : null;
    log(`storm: ${edges} edges in ${ms.toFixed(0)} ms${naiveMs === null ? "" : ` (naive ${naiveMs.toFixed(0)} ms)`}`);
    return { edges, baselineMs: Math.round(baseline), ms: Math.round(ms), microsPerEdge: perEdge(ms, edges),
      naiveMs: naiveMs === null ? null : Math.round(naiveMs), naiveMicrosPerEdge: naiveMs === null ? null : perEdge(naiveMs, edges) };
  });
}
