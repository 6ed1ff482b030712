/**
 * Statuses pulled from a body's own system (the webhook simulator): each change applied once to the
 * body's copy through the state machine, the appeal following its responsible body; a page read again
 * changes nothing; a late change never moves a status backwards; a body that returns its copy as not
 * competent starts the Art. 7 forward; a code the adapter cannot map is logged and applied nowhere;
 * one body's failing system does not hold up the others.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StatusUpdate } from '../adapters/port.js';
import { startSimulator as startSevOvvSimulator } from '../adapters/sev-ovv/sim.js';
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
    // The body's note on an answer is its text; the answer is dated by the body's time of the change.
    expect(await copy(id)).toMatchObject({
      status: 'answered',
      agencyRegNumber: 'ВХ-77/2026',
      answerText: 'Надано роз’яснення',
      answeredAt: new Date('2026-11-28T09:00:00Z'),
      answerResult: 'explained',
    });
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
    // An answer without its text is still an answer: a body's system need not send one.
    expect(await copy(id)).toMatchObject({
      status: 'answered',
      answerText: null,
      answeredAt: new Date('2026-11-28T09:00:00Z'),
      answerResult: 'resolved_positively',
    });
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

  const change = (appealId: string, externalEventId: string, more: Partial<StatusUpdate>): StatusUpdate => ({
    appealId,
    externalEventId,
    event: 'accept',
    occurredAt: '2026-11-27T10:00:00Z',
    result: null,
    registrationNumber: null,
    dueAt: null,
    note: null,
    ...more,
  });

  it('applies a mixed page by the same rules as one change at a time', async () => {
    const [a, c] = [await delivered(), await delivered()];
    const page = [
      change(a, 'B-1', { registrationNumber: 'ВХ-9/2026' }),
      change(a, 'B-1', { registrationNumber: 'ВХ-9/2026' }),
      change(c, 'B-C', {}),
      // Beyond the 45 days of Art. 20 for an appeal received on 27 November.
      change(a, 'B-2', { event: 'extend', dueAt: '2027-02-20T10:00:00Z' }),
      change(a, 'B-3', { event: 'extend', dueAt: '2027-01-05T10:00:00Z', note: 'Запит до ПФУ' }),
      change(a, 'B-4', { event: 'answer' }),
      change(a, 'B-5', { event: 'answer', result: 'refused', note: 'Підстав для призначення немає' }),
      change(randomUUID(), 'B-6', {}),
      change('not-an-appeal', 'B-7', {}),
      change(a, 'B-8', { event: 'accept' }),
    ];
    for (const u of page) sim.report(u);
    const run = await pullAgencyStatuses(deps());
    expect(run.counts).toMatchObject({ updates: 10, applied: 4, duplicates: 1, ignored: 3, unknown: 2 });
    expect(await copy(a)).toMatchObject({
      status: 'answered',
      agencyRegNumber: 'ВХ-9/2026',
      extensionReason: 'Запит до ПФУ',
      answerText: 'Підстав для призначення немає',
      answerResult: 'refused',
    });
    expect((await copy(c)).status).toBe('under_consideration');
    const appeal = await gw.orm.em.fork().findOneOrFail(Appeal, a);
    expect(appeal).toMatchObject({ status: 'answered', result: 'refused' });
    expect(appeal.dueAt.toISOString()).toBe('2027-01-05T21:59:59.999Z');
    const events = await gw.orm.em
      .fork()
      .find(
        StatusEvent,
        { appeal: a, externalEventId: { $like: `${SOCIAL}:B-%` } },
        { orderBy: { occurredAt: 'asc' } },
      );
    expect(events.map((e) => [e.externalEventId, e.fromState, e.state])).toEqual([
      [`${SOCIAL}:B-1`, 'delivered', 'under_consideration'],
      [`${SOCIAL}:B-3`, 'under_consideration', 'extended'],
      [`${SOCIAL}:B-5`, 'extended', 'answered'],
    ]);
  });

  it('reads page after page and moves the cursor past each', async () => {
    const id = await delivered();
    for (let i = 0; i < 100; i++) sim.report(change(randomUUID(), `P-${i}`, {}));
    sim.report(change(id, 'P-100', { event: 'accept' }));
    const run = await pullAgencyStatuses(deps());
    expect(run.counts).toMatchObject({ updates: 101, applied: 1, unknown: 100 });
    expect(run.counts.pages).toBeGreaterThanOrEqual(2);
    expect((await copy(id)).status).toBe('under_consideration');
    expect((await pullAgencyStatuses(deps())).counts).toMatchObject({ pages: 1, updates: 0 });
  });

  it('logs a code the adapter cannot map and leaves the status as it was', async () => {
    const id = await delivered();
    // A code outside the webhook adapter's table, as a body's system might send after an upgrade.
    sim.report(change(id, 'U-1', { event: 'archived' as StatusUpdate['event'] }));
    sim.report(change(id, 'U-2', { event: 'accept' }));
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const run = await pullAgencyStatuses({ ...deps(), log });
    expect(run).toMatchObject({ outcome: 'succeeded', counts: { unmapped: 1, applied: 1, updates: 2 } });
    expect(lines).toEqual([
      expect.objectContaining({ agency: SOCIAL, code: 'archived', externalEventId: 'U-1', appealId: id }),
    ]);
    expect((await copy(id)).status).toBe('under_consideration');
    const stored = await gw.orm.em.fork().count(StatusEvent, { externalEventId: `${SOCIAL}:U-1` });
    expect(stored).toBe(0);
    expect((await pullAgencyStatuses({ ...deps(), log })).counts.unmapped).toBe(0);
  });

  it('goes on with the other bodies when one body’s system fails', async () => {
    const CHILDREN = '99923109';
    const failing = await startSevOvvSimulator({ agencyCode: CHILDREN });
    const agencies = gw.orm.em.fork();
    try {
      failing.fault('error500');
      await agencies.nativeUpdate(
        Agency,
        { code: CHILDREN },
        { adapterKind: 'sev-ovv', adapterSettings: failing.settings() },
      );
      const id = await delivered();
      sim.report(change(id, 'X-1', {}));
      const run = await pullAgencyStatuses(deps());
      expect(run).toMatchObject({ outcome: 'failed', counts: { failedAgencies: 1, applied: 1 } });
      expect(run.error).toContain(CHILDREN);
      expect((await copy(id)).status).toBe('under_consideration');
    } finally {
      await agencies.nativeUpdate(Agency, { code: CHILDREN }, { adapterKind: 'api', adapterSettings: {} });
      await failing.close();
    }
  });
});
