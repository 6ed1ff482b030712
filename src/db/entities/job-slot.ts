import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * A claim on one scheduled slot of a job (`<job>:<slot time, ISO>`), so that when several gateway
 * processes share a database each slot runs on exactly one of them: the first insert wins, the
 * others find the key taken. While a slot's run is going, no instance starts the job's next slot.
 * Rows past `expiresAt` are swept.
 */
export const JobSlot = defineEntity({
  name: 'JobSlot',
  tableName: 'job_slot',
  properties: {
    key: p.string().length(200).primary(),
    job: p.string().length(64),
    instance: p.string().length(128),
    claimedAt: p.datetime(),
    /** Set when the run ends; a claim without it is a run still going (or one that died: see lease). */
    finishedAt: p.datetime().nullable(),
    expiresAt: p.datetime(),
  },
  indexes: [{ properties: ['job', 'finishedAt'] }, { properties: ['expiresAt'] }],
});
export type IJobSlot = InferEntity<typeof JobSlot>;
