/**
 * Statuses pulled from a body's own system (the webhook simulator): each change applied once to the
 * body's copy through the state machine, the appeal following its responsible body; a page read again
 * changes nothing; a late change never moves a status backwards; a body that returns its copy as not
 * competent starts the Art. 7 forward.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Simulator } from '../adapters/simulator.js';
import { startSimulator } from '../adapters/webhook/sim.js';
import { Agency, Appeal, Assignment, JobRun, StatusEvent, SyncCursor } from '../src/db/entities/index.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import { cursorName, pullAgencyStatuses } from '../src/sync/pull-agency-statuses.js';
import { describeEachDatabase } from './support/databases.js';
import { NOW, startTestGateway, type TestGateway } from './support/gateway.js';

const SOCIAL = '99923101';

describeEachDatabase('pull-agency-statuses', (db) => {
  let gw: TestGateway;
  let sim: Simulator;
  let n = 0;

  beforeAll(async () => {
    gw = await startTestGateway(db);
    sim = await startSimulator({ agencyCode: SOCIAL });
    await gw.orm.em
      .fork()
      .nativeUpdate(Agency, { code: SOCIAL }, { adapterKind: 'webhook', adapterSettings: sim.settings() });
  });
  afterAll(async () => {
    await sim.close();
    await gw.close();
  });

  const deps = () => ({ orm: gw.orm, now: () => NOW, secret: (name: string) => sim.env()[name] });

  /** An appeal routed to the social-protection department and delivered to its system. */
  async function delivered(): Promise<string> {
    n++;
    const res = await gw.post(
      '/intake/regional-line',
      JSON.stringify({
        cardId: `RL-PULL-${n}`,
        registeredAt: '2026-11-27T09:00:00+02:00',
        kind: '3.2',
        topic: '006.02',
        summary: 'Прошу роз’яснити, чому не призначено допомогу при народженні дитини.',
        author: {
          lastName: 'Руденко',
          firstName: 'Анна',
          phone: `+38063444${String(1000 + n).padStart(4, '0')}`,
        },
      }),
      { contentType: 'application/json' },
    );
    const id = res.body.accepted[0]?.appealId as string;
    await new Dispatcher({
      orm: gw.orm,
      owner: 'test',
      now: () => NOW,
      secret: (k) => sim.env()[k],
    }).runUntilIdle();
    return id;
  }

  const copy = (appealId: string) =>
    gw.orm.em.fork().findOneOrFail(Assignment, { appeal: appealId, agency: { code: SOCIAL } });

  it('applies the body’s changes once, in order, and the appeal follows', async () => {
    const id = await delivered();
    expect((await copy(id)).status).toBe('delivered');
    sim.report({
      appealId: id,
      externalEventId: 'E-1',
      event: 'accept',
      occurredAt: '2026-11-27T10:00:00Z',
      result: null,
      registrationNumber: 'ВХ-77/2026',
      dueAt: null,
      note: null,
    });
    sim.report({
      appealId: id,
      externalEventId: 'E-2',
      event: 'answer',
      occurredAt: '2026-11-28T09:00:00Z',
      result: 'explained',
      registrationNumber: null,
      dueAt: null,
      note: 'Надано роз’яснення',
    });
    const first = await pullAgencyStatuses(deps());
    expect(first).toMatchObject({ outcome: 'succeeded', counts: { applied: 2, duplicates: 0, ignored: 0 } });
    expect(await copy(id)).toMatchObject({ status: 'answered', agencyRegNumber: 'ВХ-77/2026' });
    const appeal = await gw.orm.em.fork().findOneOrFail(Appeal, id);
    expect(appeal).toMatchObject({ status: 'answered', result: 'explained' });
    const events = await gw.orm.em
      .fork()
      .find(StatusEvent, { appeal: id, origin: 'agency', event: { $in: ['accept', 'answer'] } });
    expect(events.map((e) => e.externalEventId).sort()).toEqual([`${SOCIAL}:E-1`, `${SOCIAL}:E-2`]);

    // Read again from the start (a lost cursor, an overlapping window): duplicates, nothing moves.
    await gw.orm.em.fork().nativeDelete(SyncCursor, { name: cursorName(SOCIAL) });
    const again = await pullAgencyStatuses({ ...deps() });
    expect(again.counts).toMatchObject({ applied: 0, duplicates: 2 });
    expect(await copy(id)).toMatchObject({ status: 'answered' });
    const runs = await gw.orm.em.fork().count(JobRun, { job: 'pull-agency-statuses', outcome: 'succeeded' });
    expect(runs).toBeGreaterThanOrEqual(2);
  });

  it('never moves a status backwards on a late change', async () => {
    const id = await delivered();
    sim.report({
      appealId: id,
      externalEventId: 'L-2',
      event: 'answer',
      occurredAt: '2026-11-28T09:00:00Z',
      result: 'resolved_positively',
      registrationNumber: null,
      dueAt: null,
      note: null,
    });
    sim.report({
      appealId: id,
      externalEventId: 'L-1',
      event: 'deliver',
      occurredAt: '2026-11-27T09:30:00Z',
      result: null,
      registrationNumber: null,
      dueAt: null,
      note: null,
    });
    const run = await pullAgencyStatuses(deps());
    expect(run.counts).toMatchObject({ applied: 1, ignored: 1 });
    expect((await copy(id)).status).toBe('answered');
  });

  it('starts the Art. 7 forward when the body returns its copy as not competent', async () => {
    const id = await delivered();
    sim.report({
      appealId: id,
      externalEventId: 'F-1',
      event: 'forward',
      occurredAt: '2026-11-28T09:00:00Z',
      result: null,
      registrationNumber: null,
      dueAt: null,
      note: 'Питання належить до компетенції Пенсійного фонду',
    });
    const run = await pullAgencyStatuses(deps());
    expect(run.counts.applied).toBe(1);
    const appeal = await gw.orm.em.fork().findOneOrFail(Appeal, id);
    expect(appeal.forwardDueAt?.toISOString()).toBe(new Date(NOW.getTime() + 5 * 86_400_000).toISOString());
    const returned = await copy(id);
    expect(returned).toMatchObject({
      status: 'forwarded',
      returnReason: 'Питання належить до компетенції Пенсійного фонду',
    });
    expect((await pullAgencyStatuses(deps())).counts.applied).toBe(0);
  });
});
