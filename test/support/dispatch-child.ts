/**
 * A dispatcher in a process of its own, for the crash test (`test/delivery-crash.test.ts`), which
 * kills it with SIGKILL mid-batch and starts another. It delivers until nothing is pending or in
 * flight, writing one JSON line per round to stdout, then exits 0 (1 on an error or past its deadline).
 *
 * Environment:
 * - `DISPATCH_DATABASE`: a database target as JSON (`{"kind":"sqlite","path":…}`, `{"kind":"postgresql",…}`)
 *   or a `DATABASE_URL`-style `sqlite:PATH` / `postgres://…`;
 * - `DISPATCH_OWNER`: who holds the leases;
 * - `DISPATCH_LEASE_MS`, `DISPATCH_BATCH_SIZE`: the dispatcher's lease and batch (defaults 2,000 and 20);
 * - `DISPATCH_DEADLINE_MS`: give up (exit 1) if not idle by then (default 30,000);
 * - the secrets the adapter settings name (the simulator's `env()`).
 */
import { setTimeout as wait } from 'node:timers/promises';
import { type DatabaseTarget, parseDatabaseUrl } from '../../src/db/database-url.js';
import { Delivery } from '../../src/db/entities/index.js';
import { type Orm, openOrm } from '../../src/db/orm.js';
import { Dispatcher, type DispatchReport } from '../../src/delivery/dispatcher.js';

function target(raw: string | undefined): DatabaseTarget {
  if (!raw) throw new Error('DISPATCH_DATABASE is not set');
  return raw.trim().startsWith('{')
    ? (JSON.parse(raw) as DatabaseTarget)
    : parseDatabaseUrl(raw, process.cwd());
}

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** Stdout is a pipe to the test: writes to it are synchronous, so a line is out before the next step. */
function line(value: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** What is left to do, and when the earliest of it becomes claimable (a retry's time, a lease's end). */
async function remaining(orm: Orm): Promise<{ pending: number; inFlight: number; nextDueAt: number | null }> {
  const rows = await orm.em
    .fork()
    .find(
      Delivery,
      { state: { $in: ['pending', 'in_flight'] } },
      { fields: ['state', 'nextAttemptAt', 'leaseUntil'] },
    );
  let nextDueAt: number | null = null;
  for (const r of rows) {
    const due = r.state === 'pending' ? r.nextAttemptAt.getTime() : (r.leaseUntil?.getTime() ?? 0);
    nextDueAt = nextDueAt === null ? due : Math.min(nextDueAt, due);
  }
  return {
    pending: rows.filter((r) => r.state === 'pending').length,
    inFlight: rows.filter((r) => r.state === 'in_flight').length,
    nextDueAt,
  };
}

async function main(): Promise<void> {
  const owner = process.env.DISPATCH_OWNER ?? `dispatch-child-${process.pid}`;
  const leaseMs = positive('DISPATCH_LEASE_MS', 2_000);
  const batchSize = positive('DISPATCH_BATCH_SIZE', 20);
  const deadline = Date.now() + positive('DISPATCH_DEADLINE_MS', 30_000);
  const orm = await openOrm(target(process.env.DISPATCH_DATABASE));
  const dispatcher = new Dispatcher({
    orm,
    owner,
    leaseMs,
    batchSize,
    secret: (name) => process.env[name],
  });
  const total: DispatchReport = { claimed: 0, delivered: 0, retried: 0, dead: 0, stale: 0 };
  line({ started: owner, pid: process.pid });
  for (let round = 1; ; round++) {
    // One round at a time (runUntilIdle with a single round), so that every round gets its line.
    const report = await dispatcher.runUntilIdle(1);
    for (const k of Object.keys(total) as (keyof DispatchReport)[]) total[k] += report[k];
    const left = await remaining(orm);
    line({ round, ...report, pending: left.pending, inFlight: left.inFlight });
    if (left.pending === 0 && left.inFlight === 0) break;
    if (report.claimed > 0) continue;
    // Nothing claimable yet (a retry later, or someone's lease still running): wait until it is.
    const until = Math.max(left.nextDueAt ?? 0, Date.now()) + 10;
    if (until > deadline) throw new Error(`not idle by the deadline: ${JSON.stringify(left)}`);
    line({ waitingMs: until - Date.now() });
    await wait(until - Date.now());
  }
  await orm.close(true);
  line({ done: true, ...total });
}

main().then(
  // Exit at once: the adapter's keep-alive connections must not hold the process open.
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `dispatch-child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
