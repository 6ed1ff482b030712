import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrincipal } from '../src/access/tokens.js';
import { Appeal } from '../src/db/entities/index.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const SUBMIT = `mutation Submit($input: SubmitAppealInput!) {
  submitAppeal(input: $input) {
    __typename
    ... on MutationSubmitAppealSuccess {
      data {
        outcome
        appeal { id source kind subject receiptSign topicCode priority status lawReview { action }
          applicant { lastName firstName phone address } directLine { session official agency { code } } }
      }
    }
    ... on Problem { code field message }
  }
}`;

type Problem = { __typename: 'Problem'; code: string; field: string | null; message: string };

type Payload = {
  submitAppeal: {
    __typename: 'MutationSubmitAppealSuccess';
    data: {
      outcome: string;
      appeal: {
        id: string;
        source: string;
        topicCode: string;
        applicant: Record<string, unknown>;
        [k: string]: unknown;
      };
    };
  };
};

type Result = { submitAppeal: Payload['submitAppeal'] | Problem };

const input = (over: Record<string, unknown> = {}) => ({
  clientRequestId: `op-${Math.random().toString(36).slice(2)}`,
  registeredAt: '2026-11-27T14:05:00+02:00',
  kind: 'COMPLAINT',
  localTopic: 'Опалення',
  territory: 'UA23060070010069526',
  summary: 'У квартирі +12 °C, управителька не реагує на заявки.',
  author: {
    lastName: 'сидоренко',
    firstName: 'ГАННА',
    phone: '0503332211',
    address: 'м. Запоріжжя, вул. Космічна, 90, кв. 44',
    categories: ['7.13'],
  },
  ...over,
});

describeEachDatabase('GraphQL submitAppeal', (db) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(db);
  });
  afterAll(() => gw.close());

  it('stores an operator’s appeal through the same checks as a regional-line card', async () => {
    const { body } = await gw.gql<Payload>(SUBMIT, { input: input() });
    expect(body.errors).toBeUndefined();
    expect(body.data?.submitAppeal.__typename).toBe('MutationSubmitAppealSuccess');
    expect(body.data?.submitAppeal.data).toMatchObject({
      outcome: 'CREATED',
      appeal: {
        source: 'REGIONAL_HOTLINE',
        kind: 'COMPLAINT',
        subject: 'INDIVIDUAL',
        receiptSign: 'PRIMARY',
        topicCode: '009.01',
        priority: true,
        status: 'ROUTED',
        lawReview: null,
        applicant: { lastName: 'Сидоренко', firstName: 'Ганна', phone: '+380503332211' },
      },
    });
  });

  it('returns the same appeal for the same client request id', async () => {
    const same = input();
    const first = await gw.gql<Payload>(SUBMIT, { input: same });
    const again = await gw.gql<Payload>(SUBMIT, { input: same });
    expect(first.body.errors).toBeUndefined();
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data?.submitAppeal.data.outcome).toBe('REPLAYED');
    expect(again.body.data?.submitAppeal.data.appeal.id).toBe(first.body.data?.submitAppeal.data.appeal.id);
  });

  it('records a direct phone line with an official', async () => {
    const { body } = await gw.gql<Payload>(SUBMIT, {
      input: input({
        channel: 'DIRECT_LINE',
        directLine: {
          sessionId: 'ВЗГ-2026-11-27',
          agencyCode: '99923104',
          officialName: 'Ковальчук Ігор Васильович',
        },
      }),
    });
    expect(body.errors).toBeUndefined();
    expect(body.data?.submitAppeal.data.appeal).toMatchObject({
      source: 'DIRECT_LINE',
      directLine: {
        session: 'ВЗГ-2026-11-27',
        official: 'Ковальчук Ігор Васильович',
        agency: { code: '99923104' },
      },
    });
  });

  it.each([
    [{ localTopic: 'Невідома тема' }, 'UNKNOWN_LOCAL_TOPIC', 'input.localTopic'],
    [{ localTopic: undefined, topic: '123' }, 'UNKNOWN_TOPIC', 'input.topic'],
    [{ territory: 'UA99' }, 'INVALID_KATOTTG', 'input.territory'],
    [
      { author: { lastName: 'Сидоренко', firstName: 'Ганна', phone: '123' } },
      'INVALID_PHONE',
      'input.author.phone',
    ],
    [{ channel: 'GOV_HOTLINE_1545' }, 'INCONSISTENT_CHANNEL', 'input.channel'],
  ])('refuses %j with a code and the field, storing nothing', async (over, code, field) => {
    const before = await gw.orm.em.fork().count(Appeal);
    const { body } = await gw.gql<Result>(SUBMIT, { input: input(over) });
    expect(body.errors).toBeUndefined();
    expect(body.data?.submitAppeal).toMatchObject({ __typename: 'Problem', code, field });
    expect(await gw.orm.em.fork().count(Appeal)).toBe(before);
  });

  it('is for operators and admins only', async () => {
    const agency = await createPrincipal(gw.orm.em.fork(), {
      name: 'ДЖКГ',
      role: 'agency',
      agencyCode: '99923104',
    });
    const before = await gw.orm.em.fork().count(Appeal);
    const { body } = await gw.gql<Result>(SUBMIT, { input: input() }, agency.token);
    expect(body.errors).toBeUndefined();
    expect(body.data?.submitAppeal).toMatchObject({ __typename: 'Problem', code: 'FORBIDDEN' });
    expect(await gw.orm.em.fork().count(Appeal)).toBe(before);
    const operator = await createPrincipal(gw.orm.em.fork(), { name: 'оператор', role: 'operator' });
    expect(
      (await gw.gql<Payload>(SUBMIT, { input: input() }, operator.token)).body.data?.submitAppeal.data
        .outcome,
    ).toBe('CREATED');
  });
});
