/**
 * Wires jobs to node-cron (Europe/Kyiv, no overlap). Jobs themselves are plain async functions.
 * With a run coordinator (the database's, see coordinator.ts) every slot is claimed first, so that
 * of several instances exactly one runs it; the slot's key is recorded on the job's run.
 */
import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.js';
import { slotContext } from './job-run.js';

export interface ScheduledJob {
  name: string;
  /** Cron expression, evaluated in Europe/Kyiv. */
  expression: string;
  run: () => Promise<unknown>;
  /** A run that did nothing worth an info line (logged at debug instead). */
  idle?: (result: unknown) => boolean;
  /** How long a run may take before another instance may start the job again. Default 15 minutes. */
  leaseMs?: number;
}

export const DEFAULT_JOB_LEASE_MS = 15 * 60_000;

/** The key node-cron gives the coordinator for a slot of a job. */
export const slotKey = (job: string, slot: Date): string => `${job}:${slot.toISOString()}`;

export function scheduleJobs(
  jobs: ScheduledJob[],
  log: Logger,
  coordinator?: RunCoordinator,
): { stop(): Promise<void> } {
  const slots = new SlotsInFlight();
  const coordinated = coordinator && slots.track(coordinator);
  const tasks: ScheduledTask[] = jobs.map((job) => {
    const task = cron.schedule(
      job.expression,
      (ctx) =>
        slots.during(async () => {
          try {
            const result = await slotContext.run(slotKey(job.name, ctx.date), job.run);
            if (job.idle?.(result)) log.debug({ job: job.name, result }, 'job finished');
            else log.info({ job: job.name, result }, 'job finished');
          } catch (err) {
            log.error({ job: job.name, err }, 'job failed');
          }
        }),
      {
        name: job.name,
        timezone: 'Europe/Kyiv',
        noOverlap: true,
        ...(coordinator
          ? {
              distributed: true,
              runCoordinator: coordinated,
              distributedLease: job.leaseMs ?? DEFAULT_JOB_LEASE_MS,
            }
          : {}),
      },
    );
    task.on('execution:skipped', (c) =>
      log.debug({ job: job.name, slot: c.date, reason: c.reason }, 'slot skipped'),
    );
    return task;
  });
  return {
    stop: async () => {
      for (const t of tasks) t.destroy();
      // A run still going holds its slot's claim: it finishes and releases the claim before the
      // database closes, or the job would wait out its lease on every other instance.
      await slots.settled();
    },
  };
}

/** Slots from their claim to its release (or, without a coordinator, runs), so that stop can wait for them. */
class SlotsInFlight {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly releases = new Map<string, () => void>();

  during<T>(work: () => Promise<T>): Promise<T> {
    const p = work();
    this.pending.add(p);
    const forget = () => this.pending.delete(p);
    p.then(forget, forget);
    return p;
  }

  track(coordinator: RunCoordinator): RunCoordinator {
    return {
      shouldRun: (key, leaseMs) => {
        let release = () => {};
        void this.during(() => new Promise<void>((resolve) => (release = resolve)));
        return this.during(async () => {
          try {
            const claimed = await coordinator.shouldRun(key, leaseMs);
            if (claimed) this.releases.set(key, release);
            else release();
            return claimed;
          } catch (err) {
            release();
            throw err;
          }
        });
      },
      onComplete: (key) =>
        this.during(async () => {
          try {
            await coordinator.onComplete?.(key);
          } finally {
            this.releases.get(key)?.();
            this.releases.delete(key);
          }
        }),
    };
  }

  async settled(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}
