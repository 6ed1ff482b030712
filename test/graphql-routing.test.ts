/**
 * Routing through the gateway as operators and bodies use it: every appeal routed in its intake
 * transaction with the version, rule and reason; the ruleset lifecycle (refused drafts with every
 * problem, dry run, atomic publish, history); re-routing by hand; a body returning its copy as not
 * competent, the Art. 7 five-day forward term and its report; and who may do what.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrincipal } from '../src/access/tokens.js';
import { Agency, Appeal, Assignment, RuleSet, StatusEvent } from '../src/db/entities/index.js';
import { newId } from '../src/db/ids.js';
import { describeEachDatabase } from './support/databases.js';
import { NOW, startTestGateway, type TestGateway } from './support/gateway.js';

const EXAMPLE = JSON.parse(
  readFileSync(new URL('../schema/routing/examples/zaporizhzhia.json', import.meta.url), 'utf8'),
) as { rules: { id: string; when: Record<string, unknown>; then: Record<string, unknown> }[] };

const CITY_COUNCIL = '99923301';
const HOUSING_DEPT = '99923104';
const OVA = '99923000';
const TRIAGE_QUEUE = '99923900';
const ZAPORIZHZHIA_CITY = 'UA23060070010069526';

const APPEAL = `query($id: ID!) { appeal(id: $id) {
  status routeExplanation forwardDueAt forwardedAt forwardOverdue
  assignments { id role status ruleSetVersion ruleId reason agency { code } }
} }`;

type AppealView = {
  status: string;
  routeExplanation: string | null;
  forwardDueAt: string | null;
  forwardedAt: string | null;
  forwardOverdue: boolean;
  assignments: {
    id: string;
    role: string;
    status: string;
    ruleSetVersion: number | null;
    ruleId: string;
    reason: string;
    agency: { code: string };
  }[];
};

/** What a mutation answers instead of its result when it refuses the request. */
type Problem = { __typename: 'Problem'; code: string; field: string | null; message: string };
/** A mutation's success: what it used to return, now under `data`. */
type Success<T> = { __typename: string; data: T };
const PROBLEM = '... on Problem { code field message }';
/** A hand re-routing that reads back the status only. */
const REROUTE_STATUS = `mutation($i: RerouteInput!) { rerouteAppeal(input: $i) {
  __typename ... on MutationRerouteAppealSuccess { data { status } } ${PROBLEM} } }`;

describeEachDatabase('routing through GraphQL', (db) => {
  let gw: TestGateway;
  let operator: string;
  let cityCouncil: string;
  let housing: string;
  let n = 0;

  beforeAll(async () => {
    gw = await startTestGateway(db);
    operator = (await createPrincipal(gw.orm.em.fork(), { name: 'Оператор Петренко', role: 'operator' }))
      .token;
    cityCouncil = (
      await createPrincipal(gw.orm.em.fork(), { name: 'ЗМР', role: 'agency', agencyCode: CITY_COUNCIL })
    ).token;
    housing = (
      await createPrincipal(gw.orm.em.fork(), { name: 'ДЖКГ', role: 'agency', agencyCode: HOUSING_DEPT })
    ).token;
  });
  afterAll(() => gw.close());

  /** A courtyard-lighting appeal from the city: the example rules send it to the city council. */
  async function intake(overrides: Record<string, unknown> = {}): Promise<string> {
    n++;
    const card = {
      cardId: `RL-ROUTE-${n}`,
      registeredAt: '2026-11-27T09:00:00+02:00',
      kind: '3.2',
      topic: '009.01',
      territory: ZAPORIZHZHIA_CITY,
      summary: 'У дворі будинку третій тиждень не світять ліхтарі, просимо відновити освітлення.',
      author: {
        lastName: 'Мельник',
        firstName: 'Ольга',
        phone: `+38067555${String(1000 + n).padStart(4, '0')}`,
        address: `м. Запоріжжя, вул. Гоголя, ${n}`,
      },
      ...overrides,
    };
    const res = await gw.post('/intake/regional-line', JSON.stringify(card), {
      contentType: 'application/json',
    });
    expect(res.body.rejected).toEqual([]);
    return res.body.accepted[0]?.appealId as string;
  }

  const view = async (id: string) => {
    const { body } = await gw.gql<{ appeal: AppealView }>(APPEAL, { id });
    expect(body.errors).toBeUndefined();
    return body.data?.appeal as AppealView;
  };

  it('routes an appeal at intake, recording the version, the rule and the reason', async () => {
    const a = await view(await intake());
    expect(a.status).toBe('ROUTED');
    expect(a.assignments).toEqual([
      expect.objectContaining({
        role: 'RESPONSIBLE',
        status: 'ROUTED',
        ruleSetVersion: 1,
        ruleId: 'communal-city',
        agency: { code: CITY_COUNCIL },
      }),
    ]);
    expect(a.routeExplanation).toBe(
      'правило communal-city: тема 009.*, 010.*, територія UA2306007… → Запорізька міська рада',
    );
  });

  it("sends what no rule covers to the triage queue, and says so by the queue's name", async () => {
    // Topic 012 (corruption) has no rule in the example: the default decides.
    const a = await view(await intake({ topic: '012' }));
    expect(a.status).toBe('REGISTERED');
    expect(a.assignments.map((x) => [x.role, x.agency.code, x.ruleId])).toEqual([
      ['RESPONSIBLE', TRIAGE_QUEUE, 'default'],
    ]);
    expect(a.routeExplanation).toBe('default: жодне правило не підійшло → Контактний центр (розподіл)');
  });

  it('reads the body a complaint challenges at intake and keeps the complaint away from it (Art. 7)', async () => {
    // About the city council, on a courtyard in the city: the rules name the council, the law overrides.
    const aboutCouncil = await view(await intake({ kind: '3.3', complaintAbout: CITY_COUNCIL }));
    const responsible = aboutCouncil.assignments.find((x) => x.role === 'RESPONSIBLE');
    expect(responsible?.agency.code).not.toBe(CITY_COUNCIL);
    expect(aboutCouncil.routeExplanation).toMatch(
      /ст\. 7: скаргу не надсилають органу, дії якого оскаржуються \(Запорізька міська рада\)/,
    );
    // About a district administration: a rule of the example sends it to the oblast administration.
    const aboutDistrict = await view(await intake({ kind: '3.3', complaintAbout: '99923203' }));
    expect(aboutDistrict.assignments.find((x) => x.role === 'RESPONSIBLE')?.agency.code).toBe(OVA);
    const before = await gw.orm.em.fork().count(Appeal);
    const unknown = await gw.post(
      '/intake/regional-line',
      JSON.stringify({
        cardId: 'RL-ROUTE-UNKNOWN-BODY',
        registeredAt: '2026-11-27T09:00:00+02:00',
        kind: '3.3',
        topic: '009.01',
        summary: 'Скарга на бездіяльність невідомого органу щодо ремонту даху.',
        complaintAbout: '12345678',
      }),
      { contentType: 'application/json' },
    );
    expect(unknown.body.rejected).toMatchObject([
      { index: 0, code: 'UNKNOWN_AGENCY', path: 'complaintAbout' },
    ]);
    expect(await gw.orm.em.fork().count(Appeal)).toBe(before);
  });

  it('refuses an invalid draft with every problem by JSON pointer, storing nothing', async () => {
    const before = await gw.orm.em.fork().count(RuleSet);
    const bad = {
      name: 'Зламані правила',
      rules: [
        { id: 'a', when: { topics: ['006'] }, then: { responsible: '12345678' } },
        { id: 'b', when: { topics: ['006.01'] }, then: { responsible: HOUSING_DEPT } },
        { id: 'c', when: { territories: ['UA239'] }, then: { responsible: 'triage' } },
      ],
    };
    const missingDefault = await gw.gql<{ validateRuleSet: { valid: boolean; problems: unknown[] } }>(
      'query($d: JSON!) { validateRuleSet(document: $d) { valid problems { pointer code } } }',
      { d: bad },
    );
    expect(missingDefault.body.data?.validateRuleSet).toEqual({
      valid: false,
      problems: [{ pointer: '/default', code: 'MISSING_DEFAULT' }],
    });
    const { body } = await gw.gql<{ saveRuleSetDraft: Success<{ ruleSet: unknown; problems: unknown[] }> }>(
      `mutation($d: JSON!) { saveRuleSetDraft(document: $d) {
        __typename ... on MutationSaveRuleSetDraftSuccess { data { ruleSet { version } problems { pointer code } } } ${PROBLEM} } }`,
      { d: { ...bad, default: { responsible: 'triage' } } },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.saveRuleSetDraft.__typename).toBe('MutationSaveRuleSetDraftSuccess');
    expect(body.data?.saveRuleSetDraft.data.ruleSet).toBeNull();
    expect(body.data?.saveRuleSetDraft.data.problems).toEqual([
      { pointer: '/rules/0/then/responsible', code: 'UNKNOWN_AGENCY' },
      { pointer: '/rules/2/when/territories/0', code: 'INVALID_TERRITORY_PREFIX' },
    ]);
    const valid = await gw.gql<{ saveRuleSetDraft: Success<{ problems: unknown[] }> }>(
      `mutation($d: JSON!) { saveRuleSetDraft(document: $d) {
        __typename ... on MutationSaveRuleSetDraftSuccess { data { problems { pointer code } } } ${PROBLEM} } }`,
      {
        d: {
          ...bad,
          rules: bad.rules.slice(1, 2).concat(bad.rules.slice(0, 0)),
          default: { responsible: 'triage' },
        },
      },
    );
    expect(valid.body.errors).toBeUndefined();
    expect(valid.body.data?.saveRuleSetDraft.data.problems).toEqual([]);
    expect(await gw.orm.em.fork().count(RuleSet)).toBe(before + 1);
    const unreachable = await gw.gql<{ saveRuleSetDraft: Success<{ problems: unknown[] }> }>(
      `mutation($d: JSON!) { saveRuleSetDraft(document: $d) {
        __typename ... on MutationSaveRuleSetDraftSuccess { data { problems { pointer code } } } ${PROBLEM} } }`,
      {
        d: {
          name: 'x',
          rules: [
            { id: 'broad', when: { topics: ['006'] }, then: { responsible: HOUSING_DEPT } },
            { id: 'narrow', when: { topics: ['006.01'] }, then: { responsible: CITY_COUNCIL } },
          ],
          default: { responsible: 'triage' },
        },
      },
    );
    expect(unreachable.body.errors).toBeUndefined();
    expect(unreachable.body.data?.saveRuleSetDraft.data.problems).toEqual([
      { pointer: '/rules/1', code: 'UNREACHABLE_RULE' },
    ]);
  });

  it('dry-runs a draft against recent appeals, publishes it atomically and keeps the history', async () => {
    const earlier = await intake();
    // The draft: courtyard matters of the city go to the housing department instead.
    const draftDoc = {
      ...EXAMPLE,
      name: 'Правила v2: двори міста — ДЖКГ',
      rules: EXAMPLE.rules.map((r) =>
        r.id === 'communal-city' ? { ...r, then: { responsible: HOUSING_DEPT } } : r,
      ),
    };
    const saved = await gw.gql<{
      saveRuleSetDraft: Success<{ ruleSet: { version: number; state: string } }>;
    }>(
      `mutation($d: JSON!) { saveRuleSetDraft(document: $d) {
        __typename ... on MutationSaveRuleSetDraftSuccess { data { ruleSet { version state } problems { code } } } ${PROBLEM} } }`,
      { d: draftDoc },
      operator,
    );
    expect(saved.body.errors).toBeUndefined();
    const version = saved.body.data?.saveRuleSetDraft.data.ruleSet.version as number;
    expect(saved.body.data?.saveRuleSetDraft.data.ruleSet.state).toBe('DRAFT');

    const dry = await gw.gql<{
      dryRunRuleSet: {
        examined: number;
        changed: number;
        changes: {
          appeal: { id: string };
          beforeAgency: { code: string };
          afterAgency: { code: string };
          afterRuleId: string;
        }[];
      };
    }>(
      `query($v: Int!) { dryRunRuleSet(version: $v, last: 50, filter: { topicPrefix: "009" }) {
        examined changed changes { appeal { id } beforeAgency { code } afterAgency { code } afterRuleId afterReason } } }`,
      { v: version },
      operator,
    );
    expect(dry.body.errors).toBeUndefined();
    const report = dry.body.data?.dryRunRuleSet;
    expect(report?.examined).toBeGreaterThanOrEqual(2);
    // Every change moves a courtyard appeal of the city to the housing department; complaints
    // about the council are kept from it by the law either way (the earlier test's appeals).
    expect(report?.changed).toBeGreaterThanOrEqual(2);
    expect(report?.changes.every((c) => c.afterAgency.code === HOUSING_DEPT)).toBe(true);
    expect(report?.changes.find((c) => c.appeal.id === earlier)).toMatchObject({
      beforeAgency: { code: CITY_COUNCIL },
      afterAgency: { code: HOUSING_DEPT },
      afterRuleId: 'communal-city',
    });
    // A dry run changes nothing.
    expect((await view(earlier)).assignments[0]?.agency.code).toBe(CITY_COUNCIL);

    const aBody = await gw.gql<{ publishRuleSet: Problem }>(
      `mutation($v: Int!) { publishRuleSet(version: $v) {
        __typename ... on MutationPublishRuleSetSuccess { data { problems { code } } } ${PROBLEM} } }`,
      { v: version },
      cityCouncil,
    );
    expect(aBody.body.errors).toBeUndefined();
    expect(aBody.body.data?.publishRuleSet).toMatchObject({ __typename: 'Problem', code: 'FORBIDDEN' });
    // Operators publish (the issue: "operators additionally … publish rules").
    const pub = await gw.gql<{ publishRuleSet: Success<{ ruleSet: { version: number; state: string } }> }>(
      `mutation($v: Int!) { publishRuleSet(version: $v) {
        __typename ... on MutationPublishRuleSetSuccess { data { ruleSet { version state } problems { code } } } ${PROBLEM} } }`,
      { v: version },
      operator,
    );
    expect(pub.body.errors).toBeUndefined();
    expect(pub.body.data?.publishRuleSet.data.ruleSet).toEqual({ version, state: 'PUBLISHED' });

    const later = await view(await intake());
    expect(later.assignments).toEqual([
      expect.objectContaining({
        ruleSetVersion: version,
        ruleId: 'communal-city',
        agency: { code: HOUSING_DEPT },
      }),
    ]);
    const hist = await gw.gql<{ ruleSets: { version: number; state: string }[] }>(
      '{ ruleSets { version state } }',
    );
    const states = hist.body.data?.ruleSets ?? [];
    expect(states.filter((s) => s.state === 'PUBLISHED')).toEqual([{ version, state: 'PUBLISHED' }]);
    expect(states.find((s) => s.version === 1)?.state).toBe('RETIRED');

    const again = await gw.gql<{ publishRuleSet: Problem }>(
      `mutation($v: Int!) { publishRuleSet(version: $v) {
        __typename ... on MutationPublishRuleSetSuccess { data { problems { code } } } ${PROBLEM} } }`,
      { v: 1 },
    );
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data?.publishRuleSet).toMatchObject({
      __typename: 'Problem',
      code: 'RULESET_NOT_DRAFT',
    });
    const edit = await gw.gql<{ saveRuleSetDraft: Problem }>(
      `mutation($d: JSON!, $v: Int) { saveRuleSetDraft(document: $d, version: $v) {
        __typename ... on MutationSaveRuleSetDraftSuccess { data { problems { code } } } ${PROBLEM} } }`,
      { d: draftDoc, v: version },
    );
    expect(edit.body.errors).toBeUndefined();
    expect(edit.body.data?.saveRuleSetDraft).toMatchObject({
      __typename: 'Problem',
      code: 'RULESET_NOT_DRAFT',
    });
  });

  it('lets the database hold one published ruleset only', async () => {
    const em = gw.orm.em.fork();
    const live = await em.findOneOrFail(RuleSet, { state: 'published' });
    em.create(RuleSet, {
      ...live,
      id: newId(),
      version: 999,
      state: 'published',
    });
    await expect(em.flush()).rejects.toThrow();
    expect(await gw.orm.em.fork().count(RuleSet, { state: 'published' })).toBe(1);
  });

  it('re-routes one appeal by hand with a reason, recorded on its assignments and history', async () => {
    const id = await intake();
    const { body } = await gw.gql<{ rerouteAppeal: Success<AppealView> }>(
      `mutation($i: RerouteInput!) { rerouteAppeal(input: $i) {
        __typename
        ... on MutationRerouteAppealSuccess { data {
          status routeExplanation forwardDueAt forwardedAt forwardOverdue
          assignments { id role status ruleSetVersion ruleId reason agency { code } } } }
        ${PROBLEM} } }`,
      {
        i: {
          appealId: id,
          responsible: CITY_COUNCIL,
          forInformation: [OVA],
          reason: 'Освітлення двору — балансоутримувач міська рада',
        },
      },
      operator,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.rerouteAppeal.__typename).toBe('MutationRerouteAppealSuccess');
    const a = body.data?.rerouteAppeal.data as AppealView;
    const active = a.assignments.filter((x) => x.status !== 'FORWARDED');
    expect(active.map((x) => [x.role, x.agency.code, x.ruleId, x.ruleSetVersion])).toEqual([
      ['RESPONSIBLE', CITY_COUNCIL, 'manual', null],
      ['FOR_INFORMATION', OVA, 'manual', null],
    ]);
    expect(a.routeExplanation).toBe(
      'вручну (Оператор Петренко): Освітлення двору — балансоутримувач міська рада → Запорізька міська рада; до відома: Запорізька ОВА',
    );
    expect(a.assignments.find((x) => x.agency.code === HOUSING_DEPT)?.status).toBe('FORWARDED');
    const events = await gw.orm.em
      .fork()
      .find(StatusEvent, { appeal: id, event: 'route', origin: 'operator' });
    expect(events).toHaveLength(1);

    const noReason = await gw.gql<{ rerouteAppeal: Problem }>(
      REROUTE_STATUS,
      { i: { appealId: id, responsible: CITY_COUNCIL, reason: ' ' } },
      operator,
    );
    expect(noReason.body.errors).toBeUndefined();
    expect(noReason.body.data?.rerouteAppeal).toMatchObject({
      __typename: 'Problem',
      code: 'REASON_REQUIRED',
      field: 'input.reason',
    });
    const byBody = await gw.gql<{ rerouteAppeal: Problem }>(
      REROUTE_STATUS,
      { i: { appealId: id, responsible: HOUSING_DEPT, reason: 'хочемо собі' } },
      cityCouncil,
    );
    expect(byBody.body.errors).toBeUndefined();
    expect(byBody.body.data?.rerouteAppeal).toMatchObject({ __typename: 'Problem', code: 'FORBIDDEN' });
  });

  it('never sends a complaint to the body it challenges, by rules or by hand (Art. 7)', async () => {
    const em = gw.orm.em.fork();
    const city = await em.findOneOrFail(Agency, { code: CITY_COUNCIL });
    const id = await intake({ kind: '3.3' });
    await em.nativeUpdate(Appeal, { id }, { complaintAbout: city.id });
    const refused = await gw.gql<{ rerouteAppeal: Problem }>(
      REROUTE_STATUS,
      { i: { appealId: id, responsible: CITY_COUNCIL, reason: 'спробуємо все одно' } },
      operator,
    );
    expect(refused.body.errors).toBeUndefined();
    expect(refused.body.data?.rerouteAppeal).toMatchObject({
      __typename: 'Problem',
      code: 'COMPLAINT_TO_CHALLENGED_BODY',
      field: 'input.responsible',
    });
  });

  it('takes a copy back as not competent, re-routes it and tracks the 5-day forward term', async () => {
    const id = await intake(); // version 2: the housing department is responsible
    const start = await view(id);
    const mine = start.assignments.find(
      (x) => x.agency.code === HOUSING_DEPT,
    ) as AppealView['assignments'][number];

    const otherBody = await gw.gql<{ returnAppealAsNotCompetent: Problem }>(
      `mutation($a: ID!) { returnAppealAsNotCompetent(assignmentId: $a, reason: "не наше питання") {
        __typename ... on MutationReturnAppealAsNotCompetentSuccess { data { status } } ${PROBLEM} } }`,
      { a: mine.id },
      cityCouncil,
    );
    expect(otherBody.body.errors).toBeUndefined();
    expect(otherBody.body.data?.returnAppealAsNotCompetent).toMatchObject({
      __typename: 'Problem',
      code: 'NOT_FOUND',
    });

    const { body } = await gw.gql<{ returnAppealAsNotCompetent: Success<AppealView> }>(
      `mutation($a: ID!) { returnAppealAsNotCompetent(assignmentId: $a, reason: "Освітлення дворів — повноваження міської ради") {
        __typename
        ... on MutationReturnAppealAsNotCompetentSuccess { data {
          status routeExplanation forwardDueAt forwardedAt forwardOverdue
          assignments { id role status ruleSetVersion ruleId reason agency { code } } } }
        ${PROBLEM} } }`,
      { a: mine.id },
      housing,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.returnAppealAsNotCompetent.__typename).toBe(
      'MutationReturnAppealAsNotCompetentSuccess',
    );
    const returnedView = body.data?.returnAppealAsNotCompetent.data as AppealView;
    // The body sees its own copy only, now returned; where the appeal went is not its business.
    expect(returnedView.assignments.map((x) => [x.agency.code, x.status])).toEqual([
      [HOUSING_DEPT, 'FORWARDED'],
    ]);
    const after = await view(id);
    // The rules point straight back at the body that returned it: the triage queue must forward it.
    expect(
      after.assignments.find((x) => x.role === 'RESPONSIBLE' && x.status !== 'FORWARDED')?.agency.code,
    ).toBe(TRIAGE_QUEUE);
    expect(after.forwardDueAt).toBe(new Date(NOW.getTime() + 5 * 86_400_000).toISOString());
    expect(after.forwardedAt).toBeNull();
    expect(after.routeExplanation).toMatch(/повернуто органом ДЖКГ ОДА як не в компетенції/);
    const returned = await gw.orm.em.fork().findOneOrFail(Assignment, mine.id);
    expect(returned.returnReason).toBe('Освітлення дворів — повноваження міської ради');

    const pending = await gw.gql<{ pendingForwards: { id: string }[] }>(
      '{ pendingForwards { id } }',
      {},
      operator,
    );
    expect(pending.body.data?.pendingForwards.map((p) => p.id)).toContain(id);

    const forwarded = await gw.gql<{ rerouteAppeal: Success<{ status: string }> }>(
      REROUTE_STATUS,
      { i: { appealId: id, responsible: CITY_COUNCIL, reason: 'переслано за належністю' } },
      operator,
    );
    expect(forwarded.body.errors).toBeUndefined();
    expect(forwarded.body.data?.rerouteAppeal.__typename).toBe('MutationRerouteAppealSuccess');
    const done = await view(id);
    expect(done.forwardedAt).toBe(NOW.toISOString());
    expect(done.forwardOverdue).toBe(false);
    const still = await gw.gql<{ pendingForwards: { id: string }[] }>(
      '{ pendingForwards { id } }',
      {},
      operator,
    );
    expect(still.body.data?.pendingForwards.map((p) => p.id)).not.toContain(id);
  });
});
