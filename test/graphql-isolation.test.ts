/**
 * A body sees only its own appeals, through every path an attacker might try: lists, single lookups,
 * aliases, fragments, nested paths, filters naming another body, guessed ids, counts, cursors taken
 * from another principal, and the operators' queries. Personal data is masked per role, and every
 * read of it in clear is audited (who, which appeal, which fields, why).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrincipal } from '../src/access/tokens.js';
import { Assignment, AuditEntry } from '../src/db/entities/index.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const SOCIAL = '99923101'; // social protection department
const HEALTH = '99923102';
const OVA = '99923000'; // the oblast military administration (copies for information)
const CHILDREN = '99923109';

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

describeEachDatabase('a body sees only its own appeals; personal data guarded and audited', (db) => {
  let gw: TestGateway;
  const tokens: Record<string, string> = {};
  const id: Record<string, string> = {};
  const as = async (who: string, query: string, variables: Record<string, unknown> = {}) =>
    (await gw.gql(query, variables, tokens[who])).body as Body;

  beforeAll(async () => {
    gw = await startTestGateway(db);
    const em = () => gw.orm.em.fork();
    const make = async (
      name: string,
      role: 'agency' | 'operator' | 'auditor' | 'integration',
      agencyCode?: string,
    ) =>
      (tokens[name] = (
        await createPrincipal(em(), { name, role, ...(agencyCode ? { agencyCode } : {}) })
      ).token);
    await make('social', 'agency', SOCIAL);
    await make('health', 'agency', HEALTH);
    await make('ova', 'agency', OVA);
    await make('children', 'agency', CHILDREN);
    await make('operator', 'operator');
    await make('auditor', 'auditor');
    await make('integration', 'integration');
    const card = (
      cardId: string,
      topic: string,
      extra: Record<string, unknown> = {},
      categories: string[] = [],
    ) => ({
      cardId,
      registeredAt: '2026-11-20T10:00:00+02:00',
      kind: '3.2',
      topic,
      summary: `Звернення ${cardId}: прошу розглянути питання щодо виплат і надати відповідь.`,
      author: {
        lastName: 'Коваленко',
        firstName: 'Олена',
        patronymic: 'Петрівна',
        phone: `+38067${cardId.slice(-7)}`,
        email: 'o.kovalenko@ukr.net',
        address: 'м. Запоріжжя, вул. Соборна, 12, кв. 5',
        categories,
      },
      ...extra,
    });
    const res = await gw.post(
      '/intake/regional-line',
      JSON.stringify({
        appeals: [
          card('RL-ISO-0000001', '006.02'), // A: social responsible
          card('RL-ISO-0000002', '013', { nonDisclosure: true }, ['7.11']), // B: children responsible, social co-executor
          card('RL-ISO-0000003', '008.01'), // C: health only
          card('RL-ISO-0000004', '006.02', {}, ['7.1']), // D: social responsible, OVA for information
        ],
      }),
      { contentType: 'application/json' },
    );
    expect(res.body.rejected).toEqual([]);
    const [a, b, c, d] = res.body.accepted.map((x) => x.appealId as string);
    Object.assign(id, { A: a, B: b, C: c, D: d });
    // The routing the attacks rely on.
    const roles = async (appeal: string) =>
      (await em().find(Assignment, { appeal }, { populate: ['agency'] }))
        .map((x) => `${x.role}:${x.agency.code}`)
        .sort();
    expect(await roles(id.B as string)).toEqual([`co_executor:${SOCIAL}`, `responsible:${CHILDREN}`]);
    expect(await roles(id.D as string)).toEqual([`for_information:${OVA}`, `responsible:${SOCIAL}`]);
  });
  afterAll(async () => {
    await gw?.close();
  });

  const ids = (body: Body, path = 'appeals') =>
    ((body.data?.[path] as { edges?: { node: { id: string } }[] } | undefined)?.edges ?? [])
      .map((e) => e.node.id)
      .sort();

  describe('isolation', () => {
    it('lists and counts only the body’s own appeals', async () => {
      const body = await as('social', '{ appeals(first: 100) { totalCount edges { node { id } } } }');
      expect(body.errors).toBeUndefined();
      expect(ids(body)).toEqual([id.A, id.B, id.D].sort());
      expect((body.data?.appeals as { totalCount: number } | undefined)?.totalCount).toBe(3);
    });

    it('answers a filter naming another body with nothing', async () => {
      const body = await as(
        'social',
        `{ appeals(first: 100, filter: { agencyCode: "${HEALTH}" }) { totalCount edges { node { id } } } }`,
      );
      expect(ids(body)).toEqual([]);
      expect((body.data?.appeals as { totalCount: number } | undefined)?.totalCount).toBe(0);
    });

    it('answers a filter naming a body it shares appeals with with nothing: whose copies those are stays hidden', async () => {
      // B has a copy for the children's service (responsible) and one for social protection (co-executor).
      for (const code of [CHILDREN, OVA]) {
        const body = await as(
          'social',
          `{ appeals(first: 100, filter: { agencyCode: "${code}" }) { totalCount edges { node { id } } } }`,
        );
        expect(body.errors).toBeUndefined();
        expect(ids(body), code).toEqual([]);
        expect((body.data?.appeals as { totalCount: number } | undefined)?.totalCount, code).toBe(0);
      }
      // Its own code is no secret: its own appeals.
      const own = await as(
        'social',
        `{ appeals(first: 100, filter: { agencyCode: "${SOCIAL}" }) { edges { node { id } } } }`,
      );
      expect(ids(own)).toEqual([id.A, id.B, id.D].sort());
    });

    it('finds nothing by a guessed id, under aliases or through fragments', async () => {
      const body = await as(
        'social',
        `query($c: ID!, $a: ID!) {
          theirs: appeal(id: $c) { ...F }
          again: appeal(id: $c) { id summary applicant { lastName phone } }
          mine: appeal(id: $a) { ...F }
        }
        fragment F on Appeal { id summary }`,
        { c: id.C, a: id.A },
      );
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual({
        theirs: null,
        again: null,
        mine: { id: id.A, summary: expect.any(String) },
      });
    });

    it('hides other bodies’ copies of a shared appeal, on every nested path', async () => {
      const body = await as(
        'social',
        `query($b: ID!) { appeal(id: $b) {
          assignments { role agency { code } delivery { agency { code } } }
          routeExplanation
        } }`,
        { b: id.B },
      );
      expect(body.errors).toBeUndefined();
      const appeal = body.data?.appeal as { assignments: { role: string; agency: { code: string } }[] };
      expect(appeal.assignments).toEqual([
        { role: 'CO_EXECUTOR', agency: { code: SOCIAL }, delivery: { agency: { code: SOCIAL } } },
      ]);
    });

    it('does not let a cursor taken from another principal reach foreign appeals', async () => {
      const all = await as('operator', '{ appeals(first: 100) { edges { cursor node { id } } } }');
      const edges =
        (all.data?.appeals as { edges: { cursor: string; node: { id: string } }[] } | undefined)?.edges ?? [];
      const at = edges.findIndex((e) => e.node.id === id.C);
      expect(at).toBeGreaterThanOrEqual(0);
      // The operator's cursor just before C (a foreign appeal's), or after the last when C comes first.
      const cursor =
        at > 0 ? (edges[at - 1] as { cursor: string }).cursor : (edges.at(-1) as { cursor: string }).cursor;
      const body = await as(
        'health',
        'query($c: String!) { appeals(first: 100, after: $c) { totalCount edges { node { id } } } }',
        { c: cursor },
      );
      expect(body.errors).toBeUndefined();
      expect(ids(body)).toEqual(at > 0 ? [id.C] : []);
      expect((body.data?.appeals as { totalCount: number } | undefined)?.totalCount).toBe(1);
    });

    it('refuses the operators’ and auditors’ queries to a body, and everything to an integration', async () => {
      for (const q of [
        '{ deliveries { id } }',
        '{ uccMessages { id } }',
        '{ jobRuns { id } }',
        '{ deadlineSummary { overdue } }',
        '{ auditEntries { id } }',
        '{ reconcileReports { id } }',
      ]) {
        const body = await as('social', q);
        expect(body.errors?.[0]?.extensions?.code, q).toBe('FORBIDDEN');
        expect(body.data ?? null, q).toBeNull();
      }
      const integration = await as(
        'integration',
        '{ appeals(first: 5) { totalCount edges { node { id } } } }',
      );
      expect(integration.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('cannot act on another body’s copy by its id', async () => {
      const theirs = await gw.orm.em.fork().findOneOrFail(Assignment, { appeal: id.C });
      const report = await as(
        'social',
        `mutation($a: ID!) { reportAssignmentStatus(input: { assignmentId: $a, event: DELIVER }) {
          __typename
          ... on MutationReportAssignmentStatusSuccess { data { id status } }
          ... on Problem { code field message } } }`,
        { a: theirs.id },
      );
      expect(report.errors).toBeUndefined();
      expect(report.data?.reportAssignmentStatus).toMatchObject({ __typename: 'Problem', code: 'NOT_FOUND' });
      const giveBack = await as(
        'social',
        `mutation($a: ID!) { returnAppealAsNotCompetent(assignmentId: $a, reason: "не наше") {
          __typename
          ... on MutationReturnAppealAsNotCompetentSuccess { data { id } }
          ... on Problem { code field message } } }`,
        { a: theirs.id },
      );
      expect(giveBack.errors).toBeUndefined();
      expect(giveBack.data?.returnAppealAsNotCompetent).toMatchObject({
        __typename: 'Problem',
        code: 'NOT_FOUND',
      });
      expect((await gw.orm.em.fork().findOneOrFail(Assignment, theirs.id)).status).toBe(theirs.status);
    });
  });

  it('shows a body as the latest change of a shared appeal only a change it may see', async () => {
    // The responsible body (children's service) takes a step on its own copy of B.
    const theirs = await gw.orm.em
      .fork()
      .findOneOrFail(Assignment, { appeal: id.B, agency: { code: CHILDREN } });
    const step = await as(
      'children',
      `mutation($a: ID!) { reportAssignmentStatus(input: { assignmentId: $a, event: DELIVER }) { __typename } }`,
      { a: theirs.id },
    );
    expect(step.data?.reportAssignmentStatus).toEqual({
      __typename: 'MutationReportAssignmentStatusSuccess',
    });
    const latest = `query($b: ID!) {
      appeal(id: $b) { lastChange { event origin } }
      appeals(first: 100) { edges { node { id lastChange { event origin } } } }
    }`;
    type Latest = {
      appeal: { lastChange: { event: string; origin: string } };
      appeals: { edges: { node: { id: string; lastChange: { event: string; origin: string } } }[] };
    };
    const staff = (await as('operator', latest, { b: id.B })).data as Latest;
    expect(staff.appeal.lastChange).toEqual({ event: 'deliver', origin: 'agency' });
    // The co-executor sees the latest change made by the gateway, not the other body's step.
    const social = (await as('social', latest, { b: id.B })).data as Latest;
    expect(social.appeal.lastChange).toEqual({ event: 'route', origin: 'gateway' });
    expect(social.appeals.edges.find((e) => e.node.id === id.B)?.node.lastChange).toEqual({
      event: 'route',
      origin: 'gateway',
    });
  });

  describe('personal data', () => {
    const APPLICANT = `query($id: ID!) { appeal(id: $id) { applicant { masked lastName firstName phone email address } } }`;
    const applicant = async (who: string, appeal: string) =>
      (
        (await as(who, APPLICANT, { id: appeal })).data?.appeal as {
          applicant: Record<string, unknown>;
        } | null
      )?.applicant;
    const audits = async (appealId: string) =>
      gw.orm.em
        .fork()
        .find(AuditEntry, { appealId, action: 'read-personal-data' }, { orderBy: { at: 'asc', id: 'asc' } });

    it('shows it in clear to the responsible body and the contact center, auditing each read', async () => {
      const before = (await audits(id.A as string)).length;
      for (const who of ['social', 'operator']) {
        expect(await applicant(who, id.A as string)).toEqual({
          masked: false,
          lastName: 'Коваленко',
          firstName: 'Олена',
          phone: '+380670000001',
          email: 'o.kovalenko@ukr.net',
          address: 'м. Запоріжжя, вул. Соборна, 12, кв. 5',
        });
      }
      const written = (await audits(id.A as string)).slice(before);
      expect(written.map((e) => [e.principalName, [...e.fields].sort(), e.purpose])).toEqual([
        [
          'social',
          ['address', 'email', 'firstName', 'lastName', 'phone'],
          expect.stringMatching(/розгляд звернення органом/),
        ],
        [
          'operator',
          ['address', 'email', 'firstName', 'lastName', 'phone'],
          expect.stringMatching(/контакт-центром/),
        ],
      ]);
    });

    it('records only the fields asked for, with the purpose given', async () => {
      const before = (await audits(id.A as string)).length;
      await as(
        'operator',
        'query($id: ID!) { appeal(id: $id) { applicant(purpose: "дзвінок заявнику") { phone categories } } }',
        {
          id: id.A,
        },
      );
      const [entry] = (await audits(id.A as string)).slice(before);
      expect(entry).toMatchObject({
        principalName: 'operator',
        fields: ['phone'],
        purpose: 'дзвінок заявнику',
      });
    });

    it('refuses a purpose longer than the audit log keeps, reading nothing', async () => {
      const before = (await audits(id.A as string)).length;
      const body = await as(
        'operator',
        'query($id: ID!, $p: String!) { appeal(id: $id) { applicant(purpose: $p) { phone } } }',
        { id: id.A, p: 'дзвінок заявнику '.repeat(13) },
      );
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'PURPOSE_TOO_LONG', field: 'purpose' });
      expect(JSON.stringify(body.data ?? null)).not.toContain('+380670000001');
      expect((await audits(id.A as string)).length).toBe(before);
    });

    it('masks it for a copy for information and for auditors, without an audit entry', async () => {
      const before = (await audits(id.D as string)).length;
      for (const who of ['ova', 'auditor']) {
        expect(await applicant(who, id.D as string)).toEqual({
          masked: true,
          lastName: 'К********',
          firstName: 'О****',
          phone: '+38067*****04',
          email: 'o***@ukr.net',
          address: '*** (приховано)',
        });
      }
      expect((await audits(id.D as string)).length).toBe(before);
    });

    it('withholds name and address of a non-disclosure author from a co-executor, not the contacts', async () => {
      expect(await applicant('social', id.B as string)).toMatchObject({
        masked: false,
        lastName: 'К********',
        address: '*** (приховано)',
        phone: '+380670000002',
      });
      expect(await applicant('children', id.B as string)).toMatchObject({ lastName: 'Коваленко' });
      const entries = await audits(id.B as string);
      expect(entries.map((e) => [e.principalName, [...e.fields].sort()])).toEqual([
        ['social', ['email', 'phone']],
        ['children', ['address', 'email', 'firstName', 'lastName', 'phone']],
      ]);
    });

    it('lets auditors, and only them and admins, read the audit log', async () => {
      const body = await as(
        'auditor',
        'query($a: ID!) { auditEntries(appealId: $a) { principalName fields purpose at } }',
        {
          a: id.A,
        },
      );
      expect(body.errors).toBeUndefined();
      expect((body.data?.auditEntries as unknown[] | undefined)?.length).toBeGreaterThanOrEqual(3);
      const operator = await as('operator', '{ auditEntries { id } }');
      expect(operator.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('lets auditors page through the log without losing or repeating entries of one instant', async () => {
      // One request reads three authors: three entries written together, with the same time.
      await as('operator', '{ appeals(first: 3) { edges { node { applicant { phone } } } } }');
      const LOG = `query($after: String) {
        auditEntries(action: "read-personal-data", first: 2, after: $after) { id at cursor }
      }`;
      type Entry = { id: string; at: string; cursor: string };
      const all = ((
        await as('auditor', '{ auditEntries(action: "read-personal-data", first: 500) { id at } }')
      ).data?.auditEntries ?? []) as Entry[];
      expect(new Set(all.map((e) => e.at)).size).toBeLessThan(all.length); // some share their time
      const seen: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 50; pages++) {
        const page = ((await as('auditor', LOG, { after })).data?.auditEntries ?? []) as Entry[];
        if (!page.length) break;
        seen.push(...page.map((e) => e.id));
        after = page.at(-1)?.cursor ?? null;
      }
      expect(seen).toEqual(all.map((e) => e.id));
      const transfers = ((await as('auditor', '{ auditEntries(action: "deliver:") { action } }')).data
        ?.auditEntries ?? []) as { action: string }[];
      // Nothing was delivered in this suite: the prefix of transfers matches none of the reads.
      expect(transfers).toEqual([]);
      const bad = await as('auditor', '{ auditEntries(after: "x") { id } }');
      expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CURSOR', field: 'after' });
    });

    it('masks it for a body the appeal was re-routed away from, without an audit entry', async () => {
      // C was the health department's alone; an operator hands it to social protection.
      const moved = await as(
        'operator',
        `mutation($i: RerouteInput!) { rerouteAppeal(input: $i) { __typename } }`,
        {
          i: {
            appealId: id.C,
            responsible: SOCIAL,
            reason: 'Питання соціального захисту, не охорони здоров’я',
          },
        },
      );
      expect(moved.data?.rerouteAppeal).toEqual({ __typename: 'MutationRerouteAppealSuccess' });
      const before = (await audits(id.C as string)).length;
      expect(await applicant('health', id.C as string)).toMatchObject({
        masked: true,
        lastName: 'К********',
        phone: '+38067*****03',
        address: '*** (приховано)',
      });
      expect((await audits(id.C as string)).length).toBe(before);
      // The body it went to sees the author in clear, and that read is audited.
      expect(await applicant('social', id.C as string)).toMatchObject({
        masked: false,
        lastName: 'Коваленко',
      });
      expect((await audits(id.C as string)).slice(before).map((e) => e.principalName)).toEqual(['social']);
    });
  });
});
