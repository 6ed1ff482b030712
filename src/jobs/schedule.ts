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
  const tasks: ScheduledTask[] = jobs.map((job) => {
    const task = cron.schedule(
      job.expression,
      async (ctx) => {
        try {
          const result = await slotContext.run(slotKey(job.name, ctx.date), job.run);
          if (job.idle?.(result)) log.debug({ job: job.name, result }, 'job finished');
          else log.info({ job: job.name, result }, 'job finished');
        } catch (err) {
          log.error({ job: job.name, err }, 'job failed');
        }
      },
      {
        name: job.name,
        timezone: 'Europe/Kyiv',
        noOverlap: true,
        ...(coordinator
          ? {
              distributed: true,
              runCoordinator: coordinator,
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
      await Promise.all(tasks.map((t) => t.destroy()));
    },
  };
}
