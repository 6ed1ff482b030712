/**
 * The run coordinator: of several instances sharing a database, each slot of a job runs once; a job
 * still running on one instance is not started by another; claims of a dead run expire with its
 * lease; a scheduled run records the slot it ran for.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobRun, JobSlot } from '../src/db/entities/index.js';
import { migrate, type Orm, openOrm } from '../src/db/orm.js';
import { DbRunCoordinator, jobName } from '../src/jobs/coordinator.js';
import { recordJobRun, slotContext } from '../src/jobs/job-run.js';
import { slotKey } from '../src/jobs/schedule.js';
import { describeEachDatabase } from './support/databases.js';

const SLOT = new Date('2026-11-28T10:05:00.000Z');
const LEASE = 15 * 60_000;

describeEachDatabase('job run coordinator', (db) => {
  let orm: Orm;
  let drop: () => Promise<void>;
  let clock = SLOT;
  const coordinator = (instance: string) => new DbRunCoordinator({ orm, instance, now: () => clock });

  beforeAll(async () => {
    const created = await db.create();
    drop = created.drop;
    orm = await openOrm(created.target);
    await migrate(orm);
  });
  afterAll(async () => {
    await orm?.close(true);
    await drop?.();
  });

  it('reads the job name back from a slot key', () => {
    expect(jobName(slotKey('push-ucc-statuses', SLOT))).toBe('push-ucc-statuses');
  });

  it('lets exactly one of several instances claim a slot, even when they ask at the same moment', async () => {
    const key = slotKey('pull-agency-statuses', SLOT);
    const answers = await Promise.all(['a', 'b', 'c', 'd'].map((i) => coordinator(i).shouldRun(key, LEASE)));
    expect(answers.filter(Boolean)).toHaveLength(1);
    const claims = await orm.em.fork().find(JobSlot, { job: 'pull-agency-statuses' });
    expect(claims).toHaveLength(1);
    expect(claims[0]?.finishedAt).toBeNull();
  });

  it('does not start the next slot while the last run is going on another instance', async () => {
    const a = coordinator('a');
    const b = coordinator('b');
    const first = slotKey('reconcile', SLOT);
    const second = slotKey('reconcile', new Date(SLOT.getTime() + 60_000));
    expect(await a.shouldRun(first, LEASE)).toBe(true);
    clock = new Date(SLOT.getTime() + 60_000);
    expect(await b.shouldRun(second, LEASE)).toBe(false); // a is still running the first slot
    await a.onComplete(first);
    const third = slotKey('reconcile', new Date(SLOT.getTime() + 120_000));
    clock = new Date(SLOT.getTime() + 120_000);
    expect(await b.shouldRun(third, LEASE)).toBe(true);
    await b.onComplete(third);
    clock = SLOT;
  });

  it('lets the job run again once a dead run’s lease is over', async () => {
    const first = slotKey('overdue-scan', SLOT);
    expect(await coordinator('crashed').shouldRun(first, LEASE)).toBe(true); // never completes
    clock = new Date(SLOT.getTime() + LEASE - 1_000);
    expect(await coordinator('b').shouldRun(slotKey('overdue-scan', clock), LEASE)).toBe(false);
    clock = new Date(SLOT.getTime() + LEASE + 1_000);
    expect(await coordinator('b').shouldRun(slotKey('overdue-scan', clock), LEASE)).toBe(true);
    clock = SLOT;
  });

  it('records the slot on a scheduled run and none on a run by hand', async () => {
    const key = slotKey('overdue-scan', SLOT);
    const scheduled = await slotContext.run(key, () =>
      recordJobRun(
        orm.em.fork(),
        'overdue-scan',
        () => SLOT,
        async () => {},
      ),
    );
    const byHand = await recordJobRun(
      orm.em.fork(),
      'overdue-scan',
      () => SLOT,
      async () => {},
    );
    const em = orm.em.fork();
    expect((await em.findOneOrFail(JobRun, scheduled.id)).slot).toBe(key);
    expect((await em.findOneOrFail(JobRun, byHand.id)).slot).toBeNull();
  });
});
