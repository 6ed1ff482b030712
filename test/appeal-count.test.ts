/**
 * On SQLite a body's inbox total reads its copies' `appeal_status` (kept equal to the appeal's state by
 * the database's triggers) instead of visiting each appeal; PostgreSQL counts the appeals. These tests
 * drive appeals through the ways their state changes — intake and routing, a body's steps, a return as
 * not competent and its re-routing, a plain SQL update as the status sync writes — and check, on both
 * databases, that every total equals the count of the appeals themselves, and on SQLite that every
 * copy's mirror matches its appeal and the kept per-body, per-state counts match the copies.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrincipal } from '../src/access/tokens.js';
import { Agency, Assignment } from '../src/db/entities/index.js';
import { describeEachDatabase } from './support/databases.js';
import { ADMIN_TOKEN, reportStatus, startTestGateway, type TestGateway } from './support/gateway.js';

const SOC = '99923101'; // social protection department: topic 006.02
const CITY = '99923301'; // Zaporizhzhia city council: topic 009.01

const OPEN = ['ROUTED', 'SENT', 'DELIVERED', 'UNDER_CONSIDERATION', 'EXTENDED'];
const TOTAL = `query($filter: AppealFilter) { appeals(first: 1, filter: $filter) { totalCount } }`;

describeEachDatabase('a body’s appeal totals', (db) => {
  let gw: TestGateway;
  let soc: string;
  let city: string;
  const ids: string[] = [];

  const card = (i: number, topic: string) => ({
    cardId: `RL-COUNT-${i}`,
    registeredAt: `2026-11-2${i % 7}T09:00:00+02:00`,
    kind: '3.2',
    topic,
    territory: 'UA23060070010069526',
    summary: `Звернення номер ${'абвгдеєжзиі'[i]} щодо питання, яке потребує розгляду органом.`,
    author: {
      lastName: 'Мельник',
      firstName: 'Ольга',
      phone: `+38067555${String(1000 + i)}`,
      address: `м. Запоріжжя, вул. Гоголя, ${i + 1}`,
    },
  });

  /** What the totals must equal: the body's appeals counted one by one, by the appeals' own state. */
  const counted = async (agencyCode: string, states: string[] | null) => {
    const agency = await gw.orm.em.fork().findOneOrFail(Agency, { code: agencyCode });
    const rows = await gw.orm.em
      .getConnection()
      .execute<{ id: string; status: string }[]>(
        'select a.id, a.status from appeal a where exists (select 1 from assignment s where s.appeal_id = a.id and s.agency_id = ?)',
        [agency.id],
      );
    return rows.filter((r) => !states || states.includes(r.status.toUpperCase())).length;
  };

  const total = async (token: string, filter: Record<string, unknown> | null) => {
    const res = await gw.gql<{ appeals: { totalCount: number } }>(TOTAL, { filter }, token);
    expect(res.body.errors).toBeUndefined();
    return res.body.data?.appeals.totalCount;
  };

  /**
   * Copies whose mirror differs from their appeal's state, and per-body, per-state counts that differ
   * from the copies counted one by one (SQLite; PostgreSQL keeps neither).
   */
  const drift = async () => {
    if (db.label !== 'sqlite') return [];
    const conn = gw.orm.em.getConnection();
    const mirrors = await conn.execute<{ id: string }[]>(
      'select s.id from assignment s join appeal a on a.id = s.appeal_id where s.appeal_status is null or s.appeal_status <> a.status',
    );
    const counts = await conn.execute<
      { agency_id: string; appeal_status: string; kept: number; real: number }[]
    >(
      `select k.agency_id, k.appeal_status, k.n as kept, coalesce(r.n, 0) as real
         from agency_appeal_count k
         left join (select agency_id, appeal_status, count(*) as n from assignment group by 1, 2) r
           on r.agency_id = k.agency_id and r.appeal_status = k.appeal_status
        where k.n <> coalesce(r.n, 0)
       union all
       select r.agency_id, r.appeal_status, 0, r.n
         from (select agency_id, appeal_status, count(*) as n from assignment group by 1, 2) r
        where not exists (select 1 from agency_appeal_count k where k.agency_id = r.agency_id and k.appeal_status = r.appeal_status)`,
    );
    return [...mirrors, ...counts];
  };

  const copyOf = (appealId: string, agencyCode: string) =>
    gw.orm.em.fork().findOneOrFail(Assignment, { appeal: appealId, agency: { code: agencyCode } });

  beforeAll(async () => {
    gw = await startTestGateway(db);
    soc = (await createPrincipal(gw.orm.em.fork(), { name: 'УСЗН', role: 'agency', agencyCode: SOC })).token;
    city = (await createPrincipal(gw.orm.em.fork(), { name: 'ЗМР', role: 'agency', agencyCode: CITY })).token;
    const res = await gw.post(
      '/intake/regional-line',
      JSON.stringify({ appeals: [0, 1, 2, 3, 4, 5].map((i) => card(i, i < 4 ? '006.02' : '009.01')) }),
      { contentType: 'application/json' },
    );
    expect(res.body.rejected).toEqual([]);
    ids.push(...res.body.accepted.map((a) => a.appealId));
  });
  afterAll(() => gw.close());

  it('match the appeals counted one by one, as appeals are taken in and move through their states', async () => {
    expect(await drift()).toEqual([]);
    expect(await total(soc, { status: OPEN })).toBe(4);
    expect(await total(city, { status: OPEN })).toBe(2);

    // A body's steps through the API: delivered, under consideration, answered.
    const first = await copyOf(ids[0] as string, SOC);
    await reportStatus(gw, first.id, { event: 'DELIVER' });
    await reportStatus(gw, first.id, { event: 'ACCEPT' });
    await reportStatus(gw, (await copyOf(ids[1] as string, SOC)).id, { event: 'DELIVER' });
    await reportStatus(gw, first.id, { event: 'ANSWER', result: 'EXPLAINED', answerText: 'Роз’яснено.' });
    // A copy returned as not competent: the appeal is re-routed, and another body gets a copy.
    const returned = await gw.gql<{ returnAppealAsNotCompetent: { __typename: string } }>(
      `mutation($a: ID!) { returnAppealAsNotCompetent(assignmentId: $a, reason: "Питання благоустрою — міська рада") {
        __typename } }`,
      { a: (await copyOf(ids[4] as string, CITY)).id },
      city,
    );
    expect(returned.body.data?.returnAppealAsNotCompetent.__typename).toBe(
      'MutationReturnAppealAsNotCompetentSuccess',
    );
    // A writer that bypasses the ORM (as the status sync's batched UPDATE does).
    await gw.orm.em
      .getConnection()
      .execute(`update appeal set status = 'closed', version = version + 1 where id = ?`, [ids[2]]);

    expect(await drift()).toEqual([]);
    for (const [code, token] of [
      [SOC, soc],
      [CITY, city],
    ] as const) {
      for (const states of [OPEN, ['ANSWERED', 'CLOSED'], ['DELIVERED'], ['FORWARDED', 'RETURNED']]) {
        expect(await total(token, { status: states }), `${code} ${states}`).toBe(await counted(code, states));
      }
      expect(await total(token, null), code).toBe(await counted(code, null));
      // Staff asking for one body's appeals get the same totals.
      expect(await total(ADMIN_TOKEN, { agencyCode: code, status: OPEN })).toBe(await counted(code, OPEN));
    }
    expect(await total(soc, { status: OPEN })).toBe(2);
    expect(await total(soc, { status: ['ANSWERED', 'CLOSED'] })).toBe(2);
  });

  it('still count the appeals themselves for any other filter, and never another body’s', async () => {
    expect(await total(soc, { status: OPEN, topicPrefix: '006' })).toBe(await counted(SOC, OPEN));
    expect(await total(soc, { status: OPEN, topicPrefix: '009' })).toBe(0);
    // A body naming another body's code sees only appeals assigned to both: none here.
    expect(await total(soc, { status: OPEN, agencyCode: CITY })).toBe(0);
  });

  it('stay right when an appeal and with it its copies are deleted', async () => {
    const before = await counted(SOC, null);
    await gw.orm.em.getConnection().execute('delete from appeal where id = ?', [ids[1]]);
    expect(await drift()).toEqual([]);
    expect(await total(soc, null)).toBe(before - 1);
  });
});
