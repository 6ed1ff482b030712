/**
 * Several mutations in one operation run one after another, and each answers with what it left: not
 * with what the request had loaded before it (the per-request loaders, the role checks and the
 * ORM's identity map start afresh for every mutation).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrincipal } from '../src/access/tokens.js';
import { Assignment } from '../src/db/entities/index.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const CITY_COUNCIL = '99923301';

describeEachDatabase('mutations in one operation', (db) => {
  let gw: TestGateway;
  let council: string;
  let assignmentId: string;

  beforeAll(async () => {
    gw = await startTestGateway(db);
    council = (
      await createPrincipal(gw.orm.em.fork(), { name: 'ЗМР', role: 'agency', agencyCode: CITY_COUNCIL })
    ).token;
    const res = await gw.post(
      '/intake/regional-line',
      JSON.stringify({
        cardId: 'RL-SERIAL-1',
        registeredAt: '2026-11-20T09:00:00+02:00',
        kind: '3.2',
        topic: '009.01',
        territory: 'UA23060070010069526',
        summary: 'Просимо відремонтувати освітлення у дворі будинку на вулиці Гоголя.',
        author: { lastName: 'Мельник', firstName: 'Ольга', phone: '+380675551234', address: 'м. Запоріжжя' },
      }),
      { contentType: 'application/json' },
    );
    const appealId = res.body.accepted[0]?.appealId as string;
    assignmentId = (
      await gw.orm.em.fork().findOneOrFail(Assignment, { appeal: appealId, agency: { code: CITY_COUNCIL } })
    ).id;
  });
  afterAll(() => gw?.close());

  it('answer each with its own result', async () => {
    const step = (alias: string, event: string, reg: string) => `
      ${alias}: reportAssignmentStatus(input: { assignmentId: $a, event: ${event}, registrationNumber: "${reg}" }) {
        __typename ... on MutationReportAssignmentStatusSuccess { data { status agencyRegNumber } }
      }`;
    const res = await gw.gql<
      Record<string, { __typename: string; data: { status: string; agencyRegNumber: string } }>
    >(
      `mutation($a: ID!) { ${step('first', 'DELIVER', 'ЗМР-1')} ${step('second', 'ACCEPT', 'ЗМР-2')} }`,
      { a: assignmentId },
      council,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.first?.data).toEqual({ status: 'DELIVERED', agencyRegNumber: 'ЗМР-1' });
    expect(res.body.data?.second?.data).toEqual({ status: 'UNDER_CONSIDERATION', agencyRegNumber: 'ЗМР-2' });
  });
});
