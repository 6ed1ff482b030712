/**
 * The nightly reconcile against the UCC: what the UCC holds open is compared with the gateway; a UCC
 * that missed a change is told again (dead messages replayed, or the latest change re-sent), what
 * cannot be repaired safely is reported for an operator, and the report is queryable in GraphQL;
 * and against a body's system that can list its open copies.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator as startWebhook, type WebhookSimulator } from '../adapters/webhook/sim.js';
import { Agency, Appeal, Assignment, ReconcileItem } from '../src/db/entities/index.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import { pullGovLine } from '../src/jobs/pull-gov-line.js';
import { createLogger } from '../src/log.js';
import { pushUccStatuses } from '../src/sync/push-ucc-statuses.js';
import { reconcile } from '../src/sync/reconcile.js';
import { startUccSimulator, type UccSimulator } from '../src/ucc/sim.js';
import { describeEachDatabase } from './support/databases.js';
import { NOW, reportStatus, startTestGateway, type TestGateway } from './support/gateway.js';
import { uccHeader } from './support/ucc.js';

const SOCIAL = '99923101';

describeEachDatabase('reconcile with the UCC', (db) => {
  let gw: TestGateway;
  let ucc: UccSimulator;
  const clock = new Date(NOW.getTime() + 60_000);
  const push = () =>
    pushUccStatuses({ orm: gw.orm, now: () => clock, ucc: { statusUrl: ucc.statusUrl, token: 'ucc-token' } });
  const runReconcile = () =>
    reconcile({ orm: gw.orm, now: () => clock, ucc: { openUrl: ucc.openUrl, token: 'ucc-token' } });
  const appealOf = (n: string) =>
    gw.orm.em.fork().findOneOrFail(Appeal, { source: 'gov_hotline_1545', externalId: n });

  beforeAll(async () => {
    gw = await startTestGateway(db);
    ucc = await startUccSimulator({ token: 'ucc-token' });
    ucc.publish(
      uccHeader({ id: 'UCC-R-1', phone: '+380672000001', lastName: 'Шевчук' }),
      uccHeader({ id: 'UCC-R-2', phone: '+380672000002', lastName: 'Лисенко' }),
      uccHeader({ id: 'UCC-R-3', phone: '+380672000003', lastName: 'Ткаченко' }),
    );
    await pullGovLine({
      orm: gw.orm,
      log: createLogger('silent'),
      now: () => NOW,
      feed: { feedUrl: ucc.feedUrl, token: 'ucc-token' },
    });
    expect((await push()).counts).toMatchObject({ sent: 6 });
  });
  afterAll(async () => {
    await ucc.close();
    await gw.close();
  });

  it('finds nothing when both sides agree', async () => {
    const run = await runReconcile();
    expect(run.outcome).toBe('succeeded');
    expect(run.counts).toMatchObject({ uccOpen: 3, gatewayOpenFromUcc: 3 });
    expect(await gw.orm.em.fork().count(ReconcileItem, { report: run.reportId, side: 'ucc' })).toBe(0);
  });

  it('repairs what the UCC missed, reports what it cannot repair, and the next push closes the gap', async () => {
    // 1: answered here, but the UCC refused every message about it (dead letters).
    const appeal1 = await appealOf('UCC-R-1');
    const copy = await gw.orm.em
      .fork()
      .findOneOrFail(Assignment, { appeal: appeal1.id, role: 'responsible' });
    for (const i of [
      { event: 'DELIVER' },
      { event: 'ACCEPT' },
      {
        event: 'ANSWER',
        result: 'EXPLAINED',
        answerText: 'Надано роз’яснення щодо порядку перерахунку пенсії.',
      },
    ]) {
      await reportStatus(gw, copy.id, i);
    }
    ucc.rejectStatusNext(3);
    expect((await push()).counts).toMatchObject({ dead: 3 });
    // 2: the UCC lost what it was told (its state went back).
    const lost = ucc.appeals.get('UCC-R-2');
    if (lost) lost.state = 'registered';
    // 3: the UCC took it off control, while the gateway still has it open.
    const closed = ucc.appeals.get('UCC-R-3');
    if (closed) closed.state = 'closed';
    // 9: the UCC has an appeal the gateway never received.
    ucc.appeals.set('UCC-R-9', {
      number: 'UCC-R-9',
      msgId: 'msg-UCC-R-9',
      state: 'sent_to_region',
      result: null,
      answerText: null,
      executor: null,
      executorRegNumber: null,
      answeredAt: null,
      events: [],
    });

    const run = await runReconcile();
    expect(run.outcome).toBe('succeeded');
    const items = await gw.orm.em
      .fork()
      .find(ReconcileItem, { report: run.reportId, side: 'ucc' }, { orderBy: { externalRef: 'asc' } });
    expect(items.map((i) => [i.externalRef, i.kind, i.ours, i.theirs, i.repair])).toEqual([
      ['UCC-R-1', 'missing_here', 'answered', 'routed', 'replay-ucc-message'],
      ['UCC-R-2', 'status_mismatch', 'routed', 'registered', 'resend-ucc-status'],
      ['UCC-R-3', 'missing_there', 'routed', null, null],
      ['UCC-R-9', 'missing_here', null, 'sent_to_region', null],
    ]);
    expect(run.counts).toMatchObject({ repaired: 2, leftForOperator: 2 });

    expect((await push()).counts).toMatchObject({ sent: 4, dead: 0 });
    expect(ucc.appeals.get('UCC-R-1')).toMatchObject({ state: 'answered', result: '9.3' });
    expect(ucc.appeals.get('UCC-R-2')?.state).toBe('routed');
  });

  it('shows the reports to operators, and a run by hand without the UCC configured says so', async () => {
    const byHand = await gw.gql<{
      runJob:
        | { __typename: 'MutationRunJobSuccess'; data: { outcome: string } }
        | { __typename: 'Problem'; code: string; field: string | null; message: string };
    }>(
      'mutation { runJob(name: RECONCILE) { __typename ... on MutationRunJobSuccess { data { outcome } } ... on Problem { code field message } } }',
    );
    expect(byHand.body.errors).toBeUndefined();
    expect(byHand.body.data?.runJob).toEqual({
      __typename: 'MutationRunJobSuccess',
      data: { outcome: 'succeeded' },
    });
    const res = await gw.gql<{
      reconcileReports: {
        skipped: Record<string, string>;
        items: { kind: string; repair: string | null }[];
      }[];
    }>(
      '{ reconcileReports(first: 3) { skipped counts items(unrepairedOnly: true) { kind repair externalRef detail } } }',
    );
    expect(res.body).not.toHaveProperty('errors');
    const reports = res.body.data?.reconcileReports ?? [];
    const byHandReport = reports.find((r) => 'ucc' in r.skipped);
    const previous = reports.find((r) => r.items.length > 0);
    expect(byHandReport?.skipped).toMatchObject({ ucc: 'UCC_OPEN_URL is not configured' });
    expect(previous?.items.map((i) => i.kind)).toEqual(['MISSING_HERE', 'MISSING_THERE']);
    expect(previous?.items.every((i) => i.repair === null)).toBe(true);
  });
});

describeEachDatabase('reconcile with a body’s system', (db) => {
  let gw: TestGateway;
  let body: WebhookSimulator;
  const clock = new Date(NOW.getTime() + 60_000);
  const secret = (name: string) => body.env()[name];
  const dispatch = (at = clock) =>
    new Dispatcher({ orm: gw.orm, owner: 'reconcile-test', now: () => at, secret }).runUntilIdle();
  const ids: string[] = [];

  beforeAll(async () => {
    gw = await startTestGateway(db);
    body = await startWebhook({ agencyCode: SOCIAL });
    await gw.orm.em
      .fork()
      .nativeUpdate(Agency, { code: SOCIAL }, { adapterKind: 'webhook', adapterSettings: body.settings() });
    const card = (n: number) => ({
      cardId: `RL-REC-000000${n}`,
      registeredAt: '2026-11-20T10:00:00+02:00',
      kind: '3.2',
      topic: '006.02',
      summary: 'Прошу роз’яснити порядок призначення допомоги на дітей одиноким матерям.',
      author: { lastName: 'Гнатюк', firstName: 'Ольга', phone: `+3806700000${n}0` },
    });
    const res = await gw.post(
      '/intake/regional-line',
      JSON.stringify({ appeals: [card(1), card(2), card(3)] }),
      {
        contentType: 'application/json',
      },
    );
    expect(res.body.rejected).toEqual([]);
    ids.push(...res.body.accepted.map((a) => a.appealId as string));
    expect((await dispatch()).delivered).toBe(3);
  });
  afterAll(async () => {
    await body?.close();
    await gw?.close();
  });

  it('sends again a copy the body lost, pulls statuses from a body ahead, and leaves agreement alone', async () => {
    const [lost, ahead, answered] = ids as [string, string, string];
    body.forget(lost);
    // Copies delivered a moment ago may not be listed yet: the reconcile looks at older ones only.
    const soon = await reconcile({ orm: gw.orm, now: () => clock, ucc: null, secret });
    expect(await gw.orm.em.fork().count(ReconcileItem, { report: soon.reportId, side: 'agency' })).toBe(0);
    // Answered by the body but not pulled yet: gone from its open list, and not lost.
    body.report({
      appealId: answered,
      externalEventId: 'rec-ev-0',
      event: 'answer',
      occurredAt: clock.toISOString(),
      result: 'explained',
      registrationNumber: 'ВХ-78/2026',
      dueAt: null,
      note: 'Надано роз’яснення',
    });
    // Accepted by the body, which is ahead of the gateway until its statuses are pulled.
    body.report({
      appealId: ahead,
      externalEventId: 'rec-ev-1',
      event: 'accept',
      occurredAt: clock.toISOString(),
      result: null,
      registrationNumber: 'ВХ-77/2026',
      dueAt: null,
      note: null,
    });
    const later = new Date(clock.getTime() + 15 * 60_000);
    const run = await reconcile({ orm: gw.orm, now: () => later, ucc: null, secret });
    expect(run.outcome).toBe('succeeded');
    const items = await gw.orm.em.fork().find(ReconcileItem, { report: run.reportId, side: 'agency' });
    expect(
      items
        .map((i) => [i.appeal?.id, i.kind, i.ours, i.theirs, i.repair])
        .sort((x, y) => String(x).localeCompare(String(y))),
    ).toEqual(
      [
        [lost, 'missing_there', 'delivered', null, 'resend-delivery'],
        [answered, 'status_mismatch', 'delivered', null, 'pull-statuses'],
        [ahead, 'status_mismatch', 'delivered', 'under_consideration', 'pull-statuses'],
      ].sort((x, y) => String(x).localeCompare(String(y))),
    );
    expect(run.counts).toMatchObject({ agencyOpen: 1, repaired: 3, pulledAgain: 1 });
    // The pull ran: the gateway caught up with the body.
    const copy = await gw.orm.em.fork().findOneOrFail(Assignment, { appeal: ahead, role: 'responsible' });
    expect(copy.status).toBe('under_consideration');
    // The lost copy goes out again under a new key generation, and the body has it once more.
    expect((await dispatch(later)).delivered).toBe(1);
    expect(body.acceptedKeys().filter((k) => k.startsWith(lost))).toEqual([
      `${lost}:${SOCIAL}`,
      `${lost}:${SOCIAL}#2`,
    ]);
    const again = await reconcile({ orm: gw.orm, now: () => later, ucc: null, secret });
    expect(await gw.orm.em.fork().count(ReconcileItem, { report: again.reportId, side: 'agency' })).toBe(0);
  });
});
