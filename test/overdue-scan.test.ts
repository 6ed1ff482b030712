/**
 * The deadline watch: per body, open appeals past due and near due; an overdue appeal escalated once
 * to the responsible body's parent as a copy for information; run by hand through GraphQL and
 * recorded as a job run.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Assignment, Delivery } from '../src/db/entities/index.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const SOCIAL = '99923101'; // its parent in the seed: the oblast military administration
const OVA = '99923000';

describeEachDatabase('overdue-scan', (db) => {
  let gw: TestGateway;
  let overdueId: string;

  beforeAll(async () => {
    gw = await startTestGateway(db); // the gateway's clock: 2026-11-28T10:00Z
    const card = (cardId: string, registeredAt: string) => ({
      cardId,
      registeredAt,
      kind: '3.2',
      topic: '006.02',
      summary: 'Прошу роз’яснити порядок призначення допомоги на дітей одиноким матерям.',
      author: { lastName: 'Гнатюк', firstName: 'Ольга', phone: `+38067${cardId.slice(-7)}` },
    });
    const res = await gw.post(
      '/intake/regional-line',
      JSON.stringify({
        appeals: [
          card('RL-OVD-0000001', '2026-09-01T10:00:00+03:00'), // due 1 Oct: overdue
          card('RL-OVD-0000002', '2026-10-29T10:00:00+02:00'), // due 29 Nov: near due
          card('RL-OVD-0000003', '2026-11-27T10:00:00+02:00'), // due 27 Dec: neither
        ],
      }),
      { contentType: 'application/json' },
    );
    expect(res.body.rejected).toEqual([]);
    overdueId = res.body.accepted[0]?.appealId as string;
  });
  afterAll(() => gw.close());

  it('counts overdue and near-due appeals per responsible body', async () => {
    const { body } = await gw.gql<{
      deadlineSummary: { agency: { code: string }; overdue: number; nearDue: number }[];
    }>('{ deadlineSummary { agency { code } overdue nearDue } }');
    expect(body.data?.deadlineSummary).toEqual([{ agency: { code: SOCIAL }, overdue: 1, nearDue: 1 }]);
  });

  it('escalates an overdue appeal once to the parent body, for information, and records each run', async () => {
    const RUN = `mutation { runJob(name: OVERDUE_SCAN) {
      __typename
      ... on MutationRunJobSuccess { data { job outcome counts error } }
      ... on Problem { code field message } } }`;
    const first = await gw.gql<{
      runJob: { __typename: string; data: { outcome: string; counts: Record<string, number> } };
    }>(RUN);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data?.runJob).toMatchObject({
      __typename: 'MutationRunJobSuccess',
      data: { outcome: 'succeeded', counts: { overdue: 1, nearDue: 1, escalated: 1 } },
    });
    const copy = await gw.orm.em
      .fork()
      .findOneOrFail(Assignment, { appeal: overdueId, agency: { code: OVA } });
    expect(copy).toMatchObject({ role: 'for_information', ruleId: 'overdue-escalation' });
    expect(copy.reason).toMatch(
      /^прострочено: строк розгляду минув 01\.10\.2026, відповіді від ДСЗН ОДА немає → до відома Запорізька ОВА$/,
    );
    expect(await gw.orm.em.fork().count(Delivery, { assignment: copy.id })).toBe(1);

    const second = await gw.gql<{ runJob: { __typename: string; data: { counts: Record<string, number> } } }>(
      RUN,
    );
    expect(second.body.data?.runJob.__typename).toBe('MutationRunJobSuccess');
    expect(second.body.data?.runJob.data.counts.escalated).toBe(0);
    const runs = await gw.gql<{ jobRuns: { job: string; outcome: string }[] }>(
      '{ jobRuns(job: OVERDUE_SCAN) { job outcome } }',
    );
    expect(runs.body.data?.jobRuns).toEqual([
      { job: 'overdue-scan', outcome: 'succeeded' },
      { job: 'overdue-scan', outcome: 'succeeded' },
    ]);
  });
});
