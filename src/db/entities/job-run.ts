import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const JOB_OUTCOMES = ['running', 'succeeded', 'failed'] as const;

/** One run of a scheduled or hand-started job. */
export const JobRun = defineEntity({
  name: 'JobRun',
  tableName: 'job_run',
  properties: {
    id: p.uuid().primary(),
    job: p.string().length(64),
    instance: p.string().length(128),
    /** The scheduled slot it ran for (`<job>:<time>`); null when started by hand. */
    slot: p.string().length(200).nullable(),
    startedAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
    outcome: p.enum([...JOB_OUTCOMES]),
    counts: p.json<Record<string, number>>(),
    error: p.text().nullable(),
  },
  indexes: [{ properties: ['job', 'startedAt'] }],
});
export type IJobRun = InferEntity<typeof JobRun>;
