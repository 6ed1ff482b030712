/**
 * A simulator in its own process, as a body's system is: prints `{ settings, env }` as one JSON line,
 * then serves until its parent closes stdin. Usage: `node --import tsx sim-process.ts <kind> <code>`.
 */
import { startSimulator } from '../../adapters/webhook/sim.js';

const [kind = 'webhook', agencyCode = '99923101'] = process.argv.slice(2);
if (kind !== 'webhook') throw new Error(`no simulator process for ${kind}`);
const sim = await startSimulator({ agencyCode });
process.stdout.write(`${JSON.stringify({ settings: sim.settings(), env: sim.env() })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void sim.close().then(() => process.exit(0));
});
