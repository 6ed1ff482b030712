import { hostname } from 'node:os';
import type { EntityManager } from '@mikro-orm/knex';
import { JobRun } from '../db/entities/index.js';
import { newId } from '../db/ids.js';

export type JobCounts = Record<string, number>;

/** Runs `work` as a recorded JobRun: started, finished, outcome, counts, error. */
export async function recordJobRun(
  em: EntityManager,
  job: string,
  now: () => Date,
  work: (counts: JobCounts) => Promise<void>,
): Promise<{ id: string; outcome: 'succeeded' | 'failed'; counts: JobCounts; error: string | null }> {
  const run = em.create(JobRun, {
    id: newId(),
    job,
    instance: `${hostname()}:${process.pid}`,
    startedAt: now(),
    finishedAt: null,
    outcome: 'running',
    counts: {},
    error: null,
  });
  await em.flush();
  const counts: JobCounts = {};
  let error: string | null = null;
  try {
    await work(counts);
  } catch (err) {
    error = (err as Error).message;
  }
  run.finishedAt = now();
  run.outcome = error ? 'failed' : 'succeeded';
  run.counts = { ...counts };
  run.error = error;
  await em.flush();
  return { id: run.id, outcome: run.outcome, counts, error };
}
