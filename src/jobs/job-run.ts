import { AsyncLocalStorage } from 'node:async_hooks';
import { hostname } from 'node:os';
import type { EntityManager } from '@mikro-orm/knex';
import { JobRun } from '../db/entities/index.js';
import { newId } from '../db/ids.js';

export type JobCounts = Record<string, number>;

/** This process, as job runs and slot claims name it. */
export const instanceName = (): string => `${hostname()}:${process.pid}`;

/**
 * The scheduled slot the current call runs for, set by the scheduler around a job's run (an
 * AsyncLocalStorage, so the job's own code does not carry it); null for a run started by hand.
 */
export const slotContext = new AsyncLocalStorage<string>();
const currentSlot = (): string | null => slotContext.getStore() ?? null;

/** Runs `work` as a recorded JobRun: started, finished, outcome, counts, error. */
export async function recordJobRun(
  em: EntityManager,
  job: string,
  now: () => Date,
  work: (counts: JobCounts) => Promise<void>,
  slot: string | null = currentSlot(),
): Promise<{ id: string; outcome: 'succeeded' | 'failed'; counts: JobCounts; error: string | null }> {
  const run = em.create(JobRun, {
    id: newId(),
    job,
    instance: instanceName(),
    slot,
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
