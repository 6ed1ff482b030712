/**
 * A body with no system of its own (adapter `api`) works its copies through GraphQL: it sees the
 * copy at once, acknowledges, accepts, extends within Art. 20 and answers; the appeal follows its
 * responsible body, and nothing the state machine forbids is applied.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrincipal } from '../src/access/tokens.js';
import { Appeal, Assignment, Delivery, StatusEvent } from '../src/db/entities/index.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const CITY_COUNCIL = '99923301';

const REPORT = `mutation($i: ReportStatusInput!) { reportAssignmentStatus(input: $i) {
  __typename
  ... on MutationReportAssignmentStatusSuccess { data { id status agencyRegNumber } }
  ... on Problem { code field message } } }`;

type Problem = { __typename: 'Problem'; code: string; field: string | null; message: string };
type Result<T> = { __typename: string; data: T } | Problem;

describeEachDatabase('status reported by a body through GraphQL', (db) => {
  let gw: TestGateway;
  let council: string;
  let other: string;
  let assignmentId: string;
  let appealId: string;

  beforeAll(async () => {
    gw = await startTestGateway(db);
    council = (
      await createPrincipal(gw.orm.em.fork(), { name: 'ЗМР', role: 'agency', agencyCode: CITY_COUNCIL })
    ).token;
    other = (await createPrincipal(gw.orm.em.fork(), { name: 'ДОЗ', role: 'agency', agencyCode: '99923102' }))
      .token;
    ({ appealId, assignmentId } = await councilCopy('RL-BODY-1'));
  });
  afterAll(() => gw.close());

  /** One appeal for the city council through the regional line, from its own author: its copy. */
  const councilCopy = async (
    cardId: string,
    summary = 'Просимо відремонтувати освітлення у дворі будинку на вулиці Гоголя.',
    phone = '+380675551234',
  ) => {
    const res = await gw.post(
      '/intake/regional-line',
      JSON.stringify({
        cardId,
        registeredAt: '2026-11-20T09:00:00+02:00',
        kind: '3.2',
        topic: '009.01',
        territory: 'UA23060070010069526',
        summary,
        author: { lastName: 'Мельник', firstName: 'Ольга', phone, address: 'м. Запоріжжя' },
      }),
      { contentType: 'application/json' },
    );
    const appeal = res.body.accepted[0]?.appealId as string;
    const copy = await gw.orm.em.fork().findOneOrFail(Assignment, { appeal, agency: { code: CITY_COUNCIL } });
    return { appealId: appeal, assignmentId: copy.id };
  };

  const report = (input: Record<string, unknown>, token = council) =>
    gw.gql<{
      reportAssignmentStatus: {
        __typename: string;
        data: { status: string; agencyRegNumber: string | null };
      };
    }>(REPORT, { i: { assignmentId, ...input } }, token);

  it('has the copy at once: nothing is pushed to an api body', async () => {
    const d = await gw.orm.em.fork().findOneOrFail(Delivery, { assignment: assignmentId });
    expect(d).toMatchObject({ adapterKind: 'api', state: 'delivered', attempts: 0 });
  });

  /** The Problem a refused report answers, with no GraphQL error. */
  const refused = async (input: Record<string, unknown>) => {
    const res = await report(input);
    expect(res.body.errors).toBeUndefined();
    return res.body.data?.reportAssignmentStatus;
  };

  it('walks the copy through the law: received, accepted, extended within 45 days, answered', async () => {
    expect(await refused({ event: 'ACCEPT' })).toMatchObject({
      __typename: 'Problem',
      code: 'INVALID_TRANSITION',
      field: 'input.event',
    });

    expect(
      (await report({ event: 'DELIVER', registrationNumber: 'ЗМР-01-7/2026' })).body.data
        ?.reportAssignmentStatus,
    ).toMatchObject({
      __typename: 'MutationReportAssignmentStatusSuccess',
      data: { status: 'DELIVERED', agencyRegNumber: 'ЗМР-01-7/2026' },
    });
    expect((await report({ event: 'ACCEPT' })).body.data?.reportAssignmentStatus.data.status).toBe(
      'UNDER_CONSIDERATION',
    );

    const reason = 'Потрібне обстеження мережі зовнішнього освітлення підрядником.';
    expect(await refused({ event: 'EXTEND', dueAt: '2027-01-20T12:00:00+02:00', reason })).toMatchObject({
      __typename: 'Problem',
      code: 'DEADLINE_EXTENSION_TOO_LONG',
      field: 'input.dueAt',
    });
    for (const none of [{}, { reason: '   ' }]) {
      expect(await refused({ event: 'EXTEND', dueAt: '2027-01-02T12:00:00+02:00', ...none })).toMatchObject({
        __typename: 'Problem',
        code: 'EXTENSION_REASON_REQUIRED',
        field: 'input.reason',
      });
    }
    expect(
      await refused({ event: 'EXTEND', dueAt: '2027-01-02T12:00:00+02:00', reason: 'я'.repeat(2_001) }),
    ).toMatchObject({ __typename: 'Problem', code: 'EXTENSION_REASON_TOO_LONG', field: 'input.reason' });
    expect(
      await refused({
        event: 'EXTEND',
        dueAt: '2027-01-02T12:00:00+02:00',
        reason,
        answerText: 'Відновлено.',
      }),
    ).toMatchObject({
      code: 'NOT_FOR_THIS_EVENT',
      field: 'input.answerText',
    });
    expect((await gw.orm.em.fork().findOneOrFail(Appeal, appealId)).dueAt.toISOString()).toBe(
      '2026-12-20T21:59:59.999Z',
    );
    expect(await gw.orm.em.fork().findOneOrFail(Assignment, assignmentId)).toMatchObject({
      status: 'under_consideration',
      extensionReason: null,
    });
    expect(
      (await report({ event: 'EXTEND', dueAt: '2027-01-02T12:00:00+02:00', reason: `  ${reason} ` })).body
        .data?.reportAssignmentStatus.data.status,
    ).toBe('EXTENDED');

    expect(await refused({ event: 'ANSWER', answerText: 'Освітлення відновлено.' })).toMatchObject({
      __typename: 'Problem',
      code: 'RESULT_REQUIRED',
      field: 'input.result',
    });
    const answer = { event: 'ANSWER', result: 'RESOLVED_POSITIVELY' };
    for (const [input, code, field] of [
      [{}, 'ANSWER_TEXT_REQUIRED', 'input.answerText'],
      [{ answerText: ' \n ' }, 'ANSWER_TEXT_REQUIRED', 'input.answerText'],
      [{ answerText: 'я'.repeat(10_001) }, 'ANSWER_TEXT_TOO_LONG', 'input.answerText'],
      // Now is 28 November 12:00 in Kyiv; five minutes of a body's clock running ahead are forgiven.
      [
        { answerText: 'Відновлено.', answeredAt: '2026-11-28T12:06:00+02:00' },
        'ANSWERED_AT_IN_FUTURE',
        'input.answeredAt',
      ],
      [
        { answerText: 'Відновлено.', answeredAt: '2026-11-20T08:59:00+02:00' },
        'ANSWERED_AT_BEFORE_RECEIPT',
        'input.answeredAt',
      ],
    ] as const) {
      expect(await refused({ ...answer, ...input }), code).toMatchObject({
        __typename: 'Problem',
        code,
        field,
      });
    }
    // Refused: nothing of it stored.
    expect(await gw.orm.em.fork().findOneOrFail(Assignment, assignmentId)).toMatchObject({
      status: 'extended',
      answerText: null,
      answeredAt: null,
      answerResult: null,
      extensionReason: reason,
    });
    const answered = await report({
      ...answer,
      answerText: ' Освітлення у дворі відновлено, замінено 4 світильники. ',
      answeredAt: '2026-11-27T15:30:00+02:00',
    });
    expect(answered.body.data?.reportAssignmentStatus.data.status).toBe('ANSWERED');

    const appeal = await gw.orm.em.fork().findOneOrFail(Appeal, appealId);
    expect(appeal.status).toBe('answered');
    expect(appeal.result).toBe('resolved_positively');
    expect(appeal.dueAt.toISOString()).toBe('2027-01-02T21:59:59.999Z');
    const events = await gw.orm.em
      .fork()
      .find(StatusEvent, { assignment: assignmentId }, { orderBy: { recordedAt: 'asc' } });
    expect(events.map((e) => [e.event, e.state, e.origin, e.note])).toEqual([
      ['deliver', 'delivered', 'agency', null],
      ['accept', 'under_consideration', 'agency', null],
      ['extend', 'extended', 'agency', reason],
      ['answer', 'answered', 'agency', 'Освітлення у дворі відновлено, замінено 4 світильники.'],
    ]);
    // Late or repeated: never backwards.
    expect(await refused({ event: 'ACCEPT' })).toMatchObject({
      __typename: 'Problem',
      code: 'INVALID_TRANSITION',
    });
  });

  it('shows the body’s answer and reason to the contact center and to the body, not to an auditor', async () => {
    const READ = `query($id: ID!) { appeal(id: $id) {
      assignments { agency { code } answer { text answeredAt result } extensionReason } } }`;
    type Read = {
      appeal: {
        assignments: { agency: { code: string }; answer: unknown; extensionReason: string | null }[];
      };
    };
    const work = {
      answer: {
        text: 'Освітлення у дворі відновлено, замінено 4 світильники.',
        answeredAt: '2026-11-27T13:30:00.000Z',
        result: 'RESOLVED_POSITIVELY',
      },
      extensionReason: 'Потрібне обстеження мережі зовнішнього освітлення підрядником.',
    };
    const operator = (await createPrincipal(gw.orm.em.fork(), { name: 'оператор', role: 'operator' })).token;
    const staff = await gw.gql<Read>(READ, { id: appealId }, operator);
    expect(staff.body.errors).toBeUndefined();
    expect(staff.body.data?.appeal.assignments.find((a) => a.agency.code === CITY_COUNCIL)).toEqual({
      agency: { code: CITY_COUNCIL },
      ...work,
    });
    const own = await gw.gql<Read>(READ, { id: appealId }, council);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data?.appeal.assignments).toEqual([{ agency: { code: CITY_COUNCIL }, ...work }]);
    const auditor = (await createPrincipal(gw.orm.em.fork(), { name: 'аудитор', role: 'auditor' })).token;
    const audited = await gw.gql<Read>(READ, { id: appealId }, auditor);
    expect(audited.body.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    expect(audited.body.data?.appeal.assignments.find((a) => a.agency.code === CITY_COUNCIL)).toMatchObject({
      answer: null,
      extensionReason: null,
    });
  });

  it("does not let a body touch another body's copy, or an operator pose as a body", async () => {
    const foreign = await report({ event: 'DELIVER' }, other);
    expect(foreign.body.errors).toBeUndefined();
    expect(foreign.body.data?.reportAssignmentStatus).toMatchObject({
      __typename: 'Problem',
      code: 'NOT_FOUND',
    });
    const operator = (await createPrincipal(gw.orm.em.fork(), { name: 'оператор', role: 'operator' })).token;
    const posing = await report({ event: 'DELIVER' }, operator);
    expect(posing.body.errors).toBeUndefined();
    expect(posing.body.data?.reportAssignmentStatus).toMatchObject({
      __typename: 'Problem',
      code: 'FORBIDDEN',
    });
  });

  it('lets a body record its registration number and add notes without moving the status', async () => {
    const ANNOTATE = `mutation($i: AnnotateAssignmentInput!) {
      annotateAssignment(input: $i) {
        __typename
        ... on MutationAnnotateAssignmentSuccess { data { status agencyRegNumber notes { authorName text } } }
        ... on Problem { code field message } } }`;
    const before = await gw.orm.em.fork().findOneOrFail(Assignment, assignmentId);
    const first = await gw.gql<{ annotateAssignment: Result<Record<string, unknown>> }>(
      ANNOTATE,
      { i: { assignmentId, registrationNumber: 'ЗМР-01-7/2026-доп', note: 'Передано до КП «Міськсвітло»' } },
      council,
    );
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data?.annotateAssignment).toEqual({
      __typename: 'MutationAnnotateAssignmentSuccess',
      data: {
        status: before.status.toUpperCase(),
        agencyRegNumber: 'ЗМР-01-7/2026-доп',
        notes: [{ authorName: 'ЗМР', text: 'Передано до КП «Міськсвітло»' }],
      },
    });
    type Annotated = { annotateAssignment: Result<Record<string, unknown>> };
    const empty = await gw.gql<Annotated>(ANNOTATE, { i: { assignmentId, note: '   ' } }, council);
    expect(empty.body.errors).toBeUndefined();
    expect(empty.body.data?.annotateAssignment).toMatchObject({
      __typename: 'Problem',
      code: 'NOTHING_TO_RECORD',
      field: 'input.note',
    });
    const long = await gw.gql<Annotated>(ANNOTATE, { i: { assignmentId, note: 'я'.repeat(4_001) } }, council);
    expect(long.body.errors).toBeUndefined();
    expect(long.body.data?.annotateAssignment).toMatchObject({
      __typename: 'Problem',
      code: 'NOTE_TOO_LONG',
      field: 'input.note',
    });
    const foreign = await gw.gql<Annotated>(ANNOTATE, { i: { assignmentId, note: 'чуже' } }, other);
    expect(foreign.body.errors).toBeUndefined();
    expect(foreign.body.data?.annotateAssignment).toMatchObject({ __typename: 'Problem', code: 'NOT_FOUND' });
    const after = await gw.orm.em.fork().findOneOrFail(Assignment, assignmentId);
    expect(after.status).toBe(before.status);
  });
  it('answers each of several mutations in one operation with what that mutation left', async () => {
    // Not with what the request had loaded before it: the loaders, the access checks' copies and
    // roles and the ORM's identity map start afresh for every mutation (src/graphql/schema.ts).
    const copy = await councilCopy(
      'RL-BODY-SERIAL',
      'Просимо прибрати сміття біля зупинки громадського транспорту на вулиці Перемоги.',
      '+380675557788',
    );
    const step = (alias: string, event: string, reg: string) => `
      ${alias}: reportAssignmentStatus(input: { assignmentId: $a, event: ${event}, registrationNumber: "${reg}" }) {
        __typename ... on MutationReportAssignmentStatusSuccess { data { status agencyRegNumber } }
      }`;
    const res = await gw.gql<Record<string, { data: { status: string; agencyRegNumber: string } }>>(
      `mutation($a: ID!) { ${step('first', 'DELIVER', 'ЗМР-1')} ${step('second', 'ACCEPT', 'ЗМР-2')} }`,
      { a: copy.assignmentId },
      council,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.first?.data).toEqual({ status: 'DELIVERED', agencyRegNumber: 'ЗМР-1' });
    expect(res.body.data?.second?.data).toEqual({ status: 'UNDER_CONSIDERATION', agencyRegNumber: 'ЗМР-2' });
  });
});
