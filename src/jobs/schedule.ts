/** Wires jobs to node-cron (Europe/Kyiv, no overlap). Jobs themselves are plain async functions. */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.js';

export interface ScheduledJob {
  name: string;
  /** Cron expression, evaluated in Europe/Kyiv. */
  expression: string;
  run: () => Promise<unknown>;
  /** A run that did nothing worth an info line (logged at debug instead). */
  idle?: (result: unknown) => boolean;
}

export function scheduleJobs(jobs: ScheduledJob[], log: Logger): { stop(): Promise<void> } {
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.expression,
      async () => {
        try {
          const result = await job.run();
          if (job.idle?.(result)) log.debug({ job: job.name, result }, 'job finished');
          else log.info({ job: job.name, result }, 'job finished');
        } catch (err) {
          log.error({ job: job.name, err }, 'job failed');
        }
      },
      { name: job.name, timezone: 'Europe/Kyiv', noOverlap: true },
    ),
  );
  return {
    stop: async () => {
      await Promise.all(tasks.map((t) => t.destroy()));
    },
  };
}
