/**
 * Every pushing adapter's simulator, by kind: one table for the contract suite, the benchmarks, the
 * end-to-end tests and the demo.
 */
import type { AdapterKind } from './registry.js';
import { startSimulator as startSevOvv } from './sev-ovv/sim.js';
import type { Simulator, SimulatorOptions } from './simulator.js';
import { startSimulator as startTrembita } from './trembita/sim.js';
import { startSimulator as startWebhook } from './webhook/sim.js';

export const SIMULATORS: Partial<Record<AdapterKind, (options: SimulatorOptions) => Promise<Simulator>>> = {
  'sev-ovv': startSevOvv,
  trembita: startTrembita,
  webhook: startWebhook,
};

/** Starts the simulator of a body's system of this kind; throws for a kind that has none (`api`). */
export function startSimulatorOf(kind: string, options: SimulatorOptions): Promise<Simulator> {
  const start = SIMULATORS[kind as AdapterKind];
  if (!start) throw new Error(`no simulator for adapter kind ${kind}`);
  return start(options);
}
