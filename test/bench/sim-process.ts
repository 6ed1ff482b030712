/**
 * A simulator in its own process, as a body's system is: prints `{ settings, env }` as one JSON line,
 * then serves until its parent closes stdin. Each further stdin line is a JSON array of status
 * updates the body reports (answered with a `{"reported":N}` line once they are in its feed).
 * Usage: `node --import tsx sim-process.ts <webhook|sev-ovv|trembita> <code>`.
 */
import { createInterface } from 'node:readline';
import type { StatusUpdate } from '../../adapters/port.js';
import { startSimulatorOf } from '../../adapters/simulators.js';

const [kind = 'webhook', agencyCode = '99923101'] = process.argv.slice(2);
const sim = await startSimulatorOf(kind, { agencyCode });
process.stdout.write(`${JSON.stringify({ settings: sim.settings(), env: sim.env() })}\n`);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const updates = JSON.parse(line) as StatusUpdate[];
  for (const u of updates) sim.report(u);
  process.stdout.write(`${JSON.stringify({ reported: updates.length })}\n`);
});
lines.on('close', () => {
  void sim.close().then(() => process.exit(0));
});
