/**
 * Results back to the Government Contact Center: appeals taken from the UCC's feed, their status
 * changes queued once and sent as 1207 receipts and answers, in order, with retries while the UCC is
 * down, dead letters for refusals and replay by an operator; a message sent twice is applied once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Appeal, Assignment, JobRun, UccMessage } from '../src/db/entities/index.js';
import { pullGovLine } from '../src/jobs/pull-gov-line.js';
import { createLogger } from '../src/log.js';
import { pushUccStatuses } from '../src/sync/push-ucc-statuses.js';
import { startUccSimulator, type UccSimulator } from '../src/ucc/sim.js';
import { describeEachDatabase } from './support/databases.js';
import { NOW, reportStatus, startTestGateway, type TestGateway } from './support/gateway.js';
import { uccHeader } from './support/ucc.js';

const REPLAY = `mutation($id: ID) {
  replayUccMessages(id: $id) {
    __typename
    ... on MutationReplayUccMessagesSuccess { data }
    ... on Problem { code field message }
  }
}`;
type ReplayResult =
  | { __typename: 'MutationReplayUccMessagesSuccess'; data: number }
  | { __typename: 'Problem'; code: string; field: string | null; message: string };

describeEachDatabase('push-ucc-statuses', (db) => {
  let gw: TestGateway;
  let ucc: UccSimulator;
  let clock = new Date(NOW.getTime() + 60_000);
  const push = () =>
    pushUccStatuses({
      orm: gw.orm,
      now: () => clock,
      random: () => 0.5,
      ucc: { statusUrl: ucc.statusUrl, token: 'ucc-token' },
    });
  const responsibleCopy = async (externalId: string) => {
    const em = gw.orm.em.fork();
    const appeal = await em.findOneOrFail(Appeal, { source: 'gov_hotline_1545', externalId });
    return em.findOneOrFail(Assignment, { appeal, role: 'responsible' });
  };
  const report = async (externalId: string, input: Record<string, unknown>) => {
    const copy = await responsibleCopy(externalId);
    await reportStatus(gw, copy.id, input);
  };

  beforeAll(async () => {
    gw = await startTestGateway(db);
    ucc = await startUccSimulator({ token: 'ucc-token' });
    ucc.publish(
      uccHeader({ id: 'UCC-P-1', phone: '+380671000001', lastName: 'Бондар', topic: '006.02' }),
      uccHeader({ id: 'UCC-P-2', phone: '+380671000002', lastName: 'Кравець', topic: '006.02' }),
      uccHeader({ id: 'UCC-P-3', phone: '+380671000003', lastName: 'Мельник', topic: '006.02' }),
    );
    const pulled = await pullGovLine({
      orm: gw.orm,
      log: createLogger('silent'),
      now: () => NOW,
      feed: { feedUrl: ucc.feedUrl, token: 'ucc-token' },
    });
    expect(pulled.counts.created).toBe(3);
  });
  afterAll(async () => {
    await ucc.close();
    await gw.close();
  });

  it('tells the UCC each appeal was registered and sent to its executor, in that order', async () => {
    const run = await push();
    expect(run).toMatchObject({ outcome: 'succeeded', counts: { queued: 6, sent: 6, dead: 0 } });
    for (const n of ['UCC-P-1', 'UCC-P-2', 'UCC-P-3']) {
      const view = ucc.appeals.get(n);
      expect(view?.events).toEqual(['register', 'route']);
      expect(view?.state).toBe('routed');
      expect(view?.executor).toMatch(/^\d{8}$/);
    }
    // The registration receipt acknowledges the UCC's own message and carries the gateway's number.
    const first = ucc.received.find((x) => x.includes('msg_id="msg-UCC-P-1"')) ?? '';
    expect(first).toContain('msg_type="0"');
    expect(first).toMatch(/<Acknowledgement msg_id="msg-UCC-P-1" ack_type="3">/);
    expect(first).toContain('Зареєстровано');
  });

  it('sends the answer as a 1207 answer document with the result, text and the body’s number', async () => {
    await report('UCC-P-1', { event: 'DELIVER', registrationNumber: 'ВХ-77/2026' });
    await report('UCC-P-1', { event: 'ACCEPT' });
    await report('UCC-P-1', {
      event: 'ANSWER',
      result: 'RESOLVED_POSITIVELY',
      answerText: 'Виплату субсидії відновлено з 1 грудня, заборгованість буде перераховано.',
    });
    const run = await push();
    expect(run.counts).toMatchObject({ queued: 3, sent: 3 });
    const view = ucc.appeals.get('UCC-P-1');
    expect(view).toMatchObject({
      state: 'answered',
      result: '9.1',
      answerText: 'Виплату субсидії відновлено з 1 грудня, заборгованість буде перераховано.',
      executorRegNumber: 'ВХ-77/2026',
    });
    expect(view?.events).toEqual(['register', 'route', 'deliver', 'accept', 'answer']);
    const answer = ucc.received.at(-1) ?? '';
    expect(answer).toContain('msg_type="3"');
    expect(answer).toMatch(/<Referred idnumber="UCC-P-1" retype="д">/);
    // Nothing new: nothing queued, nothing sent.
    expect((await push()).counts).toMatchObject({ queued: 0, claimed: 0 });
  });

  it('keeps trying while the UCC is down, in order, without losing or reordering anything', async () => {
    await report('UCC-P-2', { event: 'DELIVER' });
    await report('UCC-P-2', { event: 'ACCEPT' });
    ucc.failStatusNext(1);
    const before = ucc.applied.size;
    const down = await push();
    expect(down.counts).toMatchObject({ queued: 2, sent: 0, retried: 1, dead: 0 });
    expect(ucc.applied.size).toBe(before);
    const waiting = await gw.orm.em
      .fork()
      .find(UccMessage, { state: 'pending' }, { orderBy: { seq: 'asc' } });
    expect(waiting).toHaveLength(2);
    expect(waiting[0]).toMatchObject({ lastErrorCode: 'HTTP_503', outages: 1, attempts: 0 });
    // Not yet due: the next run sends nothing.
    expect((await push()).counts).toMatchObject({ claimed: 0 });
    clock = new Date(clock.getTime() + 10 * 60_000);
    expect((await push()).counts).toMatchObject({ sent: 2, retried: 0 });
    expect(ucc.appeals.get('UCC-P-2')?.events).toEqual(['register', 'route', 'deliver', 'accept']);
  });

  it('makes a refused message a dead letter at once, and sends it when an operator replays it', async () => {
    await report('UCC-P-3', { event: 'DELIVER' });
    ucc.rejectStatusNext(1);
    const refused = await push();
    expect(refused.counts).toMatchObject({ queued: 1, sent: 0, dead: 1 });
    const dead = await gw.orm.em.fork().findOneOrFail(UccMessage, { state: 'dead' });
    expect(dead).toMatchObject({ deadReason: 'permanent', lastErrorCode: 'UCC_REJECTED' });
    expect(dead.lastError).toContain('refused by the simulator');

    const replay = await gw.gql<{ replayUccMessages: ReplayResult }>(REPLAY, { id: dead.id });
    expect(replay.body.errors).toBeUndefined();
    expect(replay.body.data?.replayUccMessages).toEqual({
      __typename: 'MutationReplayUccMessagesSuccess',
      data: 1,
    });
    expect((await push()).counts).toMatchObject({ sent: 1, dead: 0 });
    expect(ucc.appeals.get('UCC-P-3')?.events).toEqual(['register', 'route', 'deliver']);
  });

  it('applies a message sent twice once (a lost reply): the msg_id is the same on every attempt', async () => {
    const em = gw.orm.em.fork();
    const last = await em.findOneOrFail(UccMessage, { state: 'delivered' }, { orderBy: { seq: 'desc' } });
    await em.nativeUpdate(UccMessage, { id: last.id }, { state: 'pending', nextAttemptAt: clock });
    const applied = ucc.applied.size;
    const received = ucc.received.length;
    expect((await push()).counts).toMatchObject({ sent: 1 });
    expect(ucc.received.length).toBe(received + 1);
    expect(ucc.applied.size).toBe(applied);
    expect(ucc.appeals.get('UCC-P-3')?.events).toEqual(['register', 'route', 'deliver']);
  });

  it('never replays a refused change the UCC has since been told a newer state for', async () => {
    await report('UCC-P-2', {
      event: 'EXTEND',
      dueAt: '2027-01-02T12:00:00+02:00',
      reason: 'Потрібен запит до органу соцзахисту.',
    });
    await report('UCC-P-2', { event: 'ANSWER', result: 'EXPLAINED', answerText: 'Роз’яснено порядок.' });
    ucc.rejectStatusNext(1);
    expect((await push()).counts).toMatchObject({ queued: 2, sent: 1, dead: 1 });
    expect(ucc.appeals.get('UCC-P-2')).toMatchObject({ state: 'answered', result: '9.3' });
    const replay = await gw.gql<{ replayUccMessages: ReplayResult }>(REPLAY);
    expect(replay.body.errors).toBeUndefined();
    expect(replay.body.data?.replayUccMessages).toEqual({
      __typename: 'MutationReplayUccMessagesSuccess',
      data: 0,
    });
    const stale = await gw.orm.em.fork().findOneOrFail(UccMessage, { state: 'dead' });
    expect(stale.deadReason).toBe('superseded');
    expect((await push()).counts).toMatchObject({ claimed: 0 });
    expect(ucc.appeals.get('UCC-P-2')?.state).toBe('answered');
  });

  it('lists the outbox for operators and records every run', async () => {
    const res = await gw.gql<{ uccMessages: { event: string; state: string; kind: string }[] }>(
      '{ uccMessages(first: 100) { event state kind msgId attempts appeal { id } } }',
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.uccMessages).toHaveLength(14); // 6 + 3 + 2 + 1 + 2
    expect(res.body.data?.uccMessages.filter((m) => m.kind === 'ANSWER')).toHaveLength(2);
    expect(await gw.orm.em.fork().count(JobRun, { job: 'push-ucc-statuses' })).toBeGreaterThan(5);
  });
});
