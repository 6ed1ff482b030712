/**
 * node-cron's run coordinator backed by the database: when several gateway processes share one
 * PostgreSQL database, each scheduled slot of a job (`<job>:<slot time>`, the key node-cron passes)
 * runs on exactly one of them, and a job whose run is still going anywhere does not start again.
 * - The claim is a row in `job_slot` inserted with ON CONFLICT DO NOTHING: the instance whose insert
 *   took the row runs the slot, every other instance skips it.
 * - A claim without `finished_at` younger than the job's lease (node-cron's `distributedLease`) is a
 *   run still going: no instance claims the job's next slot meanwhile (overlap prevention across
 *   instances; an instance that died mid-run blocks the job for one lease at most).
 * - On PostgreSQL the check and the claim hold a transaction-scoped advisory lock on the job's name.
 * - Claims are kept at least a day after their slot (a late clock cannot run a slot twice) and swept.
 */
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { RunCoordinator } from 'node-cron';
import { runStatement, selectRows } from '../db/knex-query.js';
import type { Orm } from '../db/orm.js';

export interface DbRunCoordinatorOptions {
  orm: Pick<Orm, 'em'>;
  /** This instance, as recorded on the claim. */
  instance: string;
  now?: () => Date;
}

const DAY_MS = 86_400_000;

export class DbRunCoordinator implements RunCoordinator {
  private lastSweep = 0;

  constructor(private readonly opts: DbRunCoordinatorOptions) {}

  private now(): Date {
    return (this.opts.now ?? (() => new Date()))();
  }

  async shouldRun(key: string, leaseMs: number): Promise<boolean> {
    const now = this.now();
    const job = jobName(key);
    await this.sweep(now);
    return this.opts.orm.em.fork().transactional(async (tx) => {
      if (tx.getDriver() instanceof PostgreSqlDriver) {
        await tx
          .getConnection()
          .execute(
            'select pg_advisory_xact_lock(hashtext(?))',
            [`job:${job}`],
            'all',
            tx.getTransactionContext(),
          );
      }
      const running = await selectRows<{ key: string }>(
        tx,
        tx
          .getKnex()('job_slot')
          .select('key')
          .where('job', job)
          .whereNull('finished_at')
          .andWhere(
            'claimed_at',
            '>',
            tx.getPlatform().processDateProperty(new Date(now.getTime() - leaseMs)) as never,
          )
          .limit(1),
      );
      if (running.length) return false;
      const inserted = await runStatement(
        tx,
        'insert into job_slot (key, job, instance, claimed_at, finished_at, expires_at) values (?, ?, ?, ?, null, ?) on conflict (key) do nothing',
        [key, job, this.opts.instance, now, new Date(now.getTime() + Math.max(leaseMs, DAY_MS))],
      );
      return inserted === 1;
    });
  }

  async onComplete(key: string): Promise<void> {
    const now = this.now();
    await this.opts.orm.em
      .fork()
      .transactional((tx) =>
        runStatement(tx, 'update job_slot set finished_at = ? where key = ? and instance = ?', [
          now,
          key,
          this.opts.instance,
        ]),
      );
  }

  /** Claims past their time are removed, at most once an hour per instance. */
  private async sweep(now: Date): Promise<void> {
    if (now.getTime() - this.lastSweep < 3_600_000) return;
    this.lastSweep = now.getTime();
    await this.opts.orm.em
      .fork()
      .transactional((tx) => runStatement(tx, 'delete from job_slot where expires_at < ?', [now]));
  }
}

/** The job's name in a slot key `<job>:<slot time as ISO 8601>` (the time holds colons too). */
export function jobName(key: string): string {
  const m = /^(.*):\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/.exec(key);
  return m?.[1] ?? key;
}
