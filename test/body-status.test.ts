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
    const res = await gw.post(
      '/intake/regional-line',
      JSON.stringify({
        cardId: 'RL-BODY-1',
        registeredAt: '2026-11-20T09:00:00+02:00',
        kind: '3.2',
        topic: '009.01',
        territory: 'UA23060070010069526',
        summary: 'Просимо відремонтувати освітлення у дворі будинку на вулиці Гоголя.',
        author: { lastName: 'Мельник', firstName: 'Ольга', phone: '+380675551234', address: 'м. Запоріжжя' },
      }),
      { contentType: 'application/json' },
    );
    appealId = res.body.accepted[0]?.appealId as string;
    const a = await gw.orm.em
      .fork()
      .findOneOrFail(Assignment, { appeal: appealId, agency: { code: CITY_COUNCIL } });
    assignmentId = a.id;
  });
  afterAll(() => gw.close());

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

  it('walks the copy through the law: received, accepted, extended within 45 days, answered', async () => {
    const wrongFirst = await report({ event: 'ACCEPT' });
    expect(wrongFirst.body.errors).toBeUndefined();
    expect(wrongFirst.body.data?.reportAssignmentStatus).toMatchObject({
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

    const tooLong = await report({ event: 'EXTEND', dueAt: '2027-01-20T12:00:00+02:00' });
    expect(tooLong.body.errors).toBeUndefined();
    expect(tooLong.body.data?.reportAssignmentStatus).toMatchObject({
      __typename: 'Problem',
      code: 'DEADLINE_EXTENSION_TOO_LONG',
      field: 'input.dueAt',
    });
    expect(
      (await report({ event: 'EXTEND', dueAt: '2027-01-02T12:00:00+02:00' })).body.data
        ?.reportAssignmentStatus.data.status,
    ).toBe('EXTENDED');
    const noResult = await report({ event: 'ANSWER' });
    expect(noResult.body.errors).toBeUndefined();
    expect(noResult.body.data?.reportAssignmentStatus).toMatchObject({
      __typename: 'Problem',
      code: 'RESULT_REQUIRED',
      field: 'input.result',
    });
    const answered = await report({
      event: 'ANSWER',
      result: 'RESOLVED_POSITIVELY',
      note: 'Освітлення відновлено.',
    });
    expect(answered.body.data?.reportAssignmentStatus.data.status).toBe('ANSWERED');

    const appeal = await gw.orm.em.fork().findOneOrFail(Appeal, appealId);
    expect(appeal.status).toBe('answered');
    expect(appeal.result).toBe('resolved_positively');
    expect(appeal.dueAt.toISOString()).toBe('2027-01-02T21:59:59.999Z');
    const events = await gw.orm.em
      .fork()
      .find(StatusEvent, { assignment: assignmentId }, { orderBy: { recordedAt: 'asc' } });
    expect(events.map((e) => [e.event, e.state, e.origin])).toEqual([
      ['deliver', 'delivered', 'agency'],
      ['accept', 'under_consideration', 'agency'],
      ['extend', 'extended', 'agency'],
      ['answer', 'answered', 'agency'],
    ]);
    // Late or repeated: never backwards.
    const again = await report({ event: 'ACCEPT' });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data?.reportAssignmentStatus).toMatchObject({
      __typename: 'Problem',
      code: 'INVALID_TRANSITION',
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
});
