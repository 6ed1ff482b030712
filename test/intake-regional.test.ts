import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrincipal } from '../src/access/tokens.js';
import { Appeal, Applicant, Assignment, StatusEvent } from '../src/db/entities/index.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const JSON_TYPE = 'application/json';
const example = (name: string) =>
  readFileSync(new URL(`../schema/regional-line/examples/${name}`, import.meta.url), 'utf8');

let seq = 0;
/** A lawful card from the regional hotline; override what a test is about. */
function card(over: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return {
    cardId: `RL-T-${seq}`,
    registeredAt: '2026-11-20T09:15:00+02:00',
    kind: '3.2',
    topic: '006.01',
    territory: 'UA23060070010069526',
    summary: 'Прошу перерахувати житлову субсидію: у листопаді нарахування зменшилося вдвічі без пояснень.',
    author: {
      lastName: '  КОВАЛЕНКО ',
      firstName: 'марія',
      patronymic: 'іванівна',
      phone: '067 123 45 67',
      address: 'м. Запоріжжя, вул. Перемоги, 41, кв. 12',
      categories: ['7.5'],
    },
    ...over,
  };
}

describeEachDatabase('intake from the regional hotline', (db) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(db, { intakeMaxBytes: 256 * 1024 });
  });
  afterAll(() => gw.close());

  const send = (body: unknown, opts: { token?: string | null; contentType?: string } = {}) =>
    gw.post('/intake/regional-line', typeof body === 'string' ? body : JSON.stringify(body), {
      contentType: JSON_TYPE,
      ...opts,
    });
  const count = async (entity: typeof Appeal | typeof Applicant | typeof StatusEvent | typeof Assignment) =>
    gw.orm.em.fork().count(entity as typeof Appeal);

  it('stores one card normalised, with its deadline, routed in the same transaction', async () => {
    const { status, body } = await send(card({ cardId: 'RL-NORM-1' }));
    expect(status).toBe(200);
    expect(body.rejected).toEqual([]);
    expect(body.accepted).toMatchObject([
      { index: 0, externalId: 'RL-NORM-1', outcome: 'created', receiptSign: 'primary', flags: [] },
    ]);
    const id = body.accepted[0]?.appealId as string;
    const { body: q } = await gw.gql<{ appeal: Record<string, unknown> }>(
      `query($id: ID!) { appeal(id: $id) { source kind topicCode territoryCode priority status receivedAt dueAt lawReview { action }
        routeExplanation assignments { role ruleSetVersion ruleId agency { code } }
        applicant { lastName firstName patronymic phone address categories } } }`,
      { id },
    );
    expect(q.data?.appeal).toEqual({
      source: 'REGIONAL_HOTLINE',
      kind: 'APPLICATION',
      topicCode: '006.01',
      territoryCode: 'UA23060070010069526',
      priority: true,
      status: 'ROUTED',
      receivedAt: '2026-11-20T07:15:00.000Z',
      dueAt: '2026-12-20T21:59:59.999Z',
      lawReview: null,
      // A veteran (7.5) on social protection: the department answers, the oblast administration is told.
      routeExplanation: expect.stringMatching(
        /^правило veterans-social-protection: .+ → ДСЗН ОДА; до відома: Запорізька ОВА$/,
      ),
      assignments: [
        {
          role: 'RESPONSIBLE',
          ruleSetVersion: 1,
          ruleId: 'veterans-social-protection',
          agency: { code: '99923101' },
        },
        {
          role: 'FOR_INFORMATION',
          ruleSetVersion: 1,
          ruleId: 'veterans-social-protection',
          agency: { code: '99923000' },
        },
      ],
      applicant: {
        lastName: 'Коваленко',
        firstName: 'Марія',
        patronymic: 'Іванівна',
        phone: '+380671234567',
        address: 'м. Запоріжжя, вул. Перемоги, 41, кв. 12',
        categories: ['7.5'],
      },
    });
    const events = await gw.orm.em.fork().find(StatusEvent, { appeal: id });
    expect(events.map((e) => [e.event, e.state, e.origin]).sort()).toEqual([
      ['register', 'registered', 'gateway'],
      ['route', 'routed', 'gateway'],
    ]);
  });

  it('answers the same card again with the same appeal and changes nothing', async () => {
    const c = card({ cardId: 'RL-IDEM-1' });
    const first = await send(c);
    const before = await count(Appeal);
    const again = await send({ ...c, summary: 'інший текст, але той самий номер картки' });
    expect(again.body.accepted).toMatchObject([
      { appealId: first.body.accepted[0]?.appealId, outcome: 'replayed' },
    ]);
    expect(await count(Appeal)).toBe(before);
    const stored = await gw.orm.em.fork().findOneOrFail(Appeal, first.body.accepted[0]?.appealId as string);
    expect(stored.summary).toBe(c.summary);
  });

  it('answers a card repeated inside one batch as a replay of the first, with its sign and link', async () => {
    const author = { lastName: 'Лисенко', firstName: 'Іван', phone: '+380671110099' };
    const earlier = await send(
      card({ cardId: 'RL-TWICE-0', author, registeredAt: '2026-11-18T10:00:00+02:00' }),
    );
    const c = card({ cardId: 'RL-TWICE-1', author });
    const { body } = await send({ appeals: [c, c] });
    const [first, second] = body.accepted;
    expect(first).toMatchObject({
      outcome: 'created',
      receiptSign: 'duplicate',
      linkedTo: earlier.body.accepted[0]?.appealId,
    });
    expect(first?.flags).toEqual(['ART5_NO_ADDRESS']);
    expect(second).toEqual({ ...first, index: 1, outcome: 'replayed' });
    expect(await gw.orm.em.fork().count(Appeal, { externalId: 'RL-TWICE-1' })).toBe(1);
  });

  it('stores a card sent twice at the same moment once, answering both with the same appeal', async () => {
    const c = card({ cardId: 'RL-RACE-1' });
    const results = await Promise.all([send(c), send(c), send(c)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const ids = new Set(results.map((r) => r.body.accepted[0]?.appealId));
    expect(ids.size).toBe(1);
    expect(results.map((r) => r.body.accepted[0]?.outcome).sort()).toEqual([
      'created',
      'replayed',
      'replayed',
    ]);
    expect(await gw.orm.em.fork().count(Appeal, { externalId: 'RL-RACE-1' })).toBe(1);
  });

  it('takes the good cards of a batch and reports each bad one by pointer, storing nothing of it', async () => {
    const before = {
      appeals: await count(Appeal),
      applicants: await count(Applicant),
      events: await count(StatusEvent),
      assignments: await count(Assignment),
    };
    const { status, body } = await send({
      appeals: [
        card({ cardId: 'RL-B-0' }),
        card({ cardId: 'RL-B-1', topic: '099' }),
        card({
          cardId: 'RL-B-2',
          author: { lastName: 'Бондар', firstName: 'Ігор', address: 'с. Балабине', phone: '12' },
        }),
        card({ cardId: 'RL-B-3', urgent: 'так' }),
        card({ cardId: 'RL-B-4' }),
      ],
    });
    expect(status).toBe(200);
    expect(body.accepted.map((a) => [a.index, a.externalId])).toEqual([
      [0, 'RL-B-0'],
      [4, 'RL-B-4'],
    ]);
    expect(body.rejected.map((r) => [r.index, r.externalId, r.code])).toEqual([
      [1, 'RL-B-1', 'UNKNOWN_TOPIC'],
      [2, 'RL-B-2', 'INVALID_PHONE'],
      [3, 'RL-B-3', 'WRONG_TYPE'],
    ]);
    expect(body.rejected[0]?.path).toBe('/appeals/1/topic');
    expect(body.rejected[2]?.path).toBe('/appeals/3/urgent');
    expect(await count(Appeal)).toBe(before.appeals + 2);
    expect(await count(Applicant)).toBe(before.applicants + 2);
    // Each accepted card: its registration and its routing; nothing of the rejected ones.
    expect(await count(StatusEvent)).toBe(before.events + 4);
    expect(await count(Assignment)).toBe(before.assignments + 4);
  });

  it('refuses, alone and on every database, a card with a field longer than its column or a NUL character', async () => {
    const before = await count(Appeal);
    const longId = `RL-LONG-${'x'.repeat(130)}`;
    const { status, body } = await send({
      appeals: [
        card({ cardId: 'RL-L-0' }),
        card({ cardId: longId }),
        card({ cardId: 'RL-L-2', summary: 'Прошу відремонтувати дах\u0000 будинку' }),
        card({
          cardId: 'RL-L-3',
          author: { lastName: 'Ш'.repeat(201), firstName: 'Олена', address: 'м. Запоріжжя' },
        }),
        card({ cardId: 'RL-L-4' }),
        card({ cardId: 'RL-L-5', coAuthors: [{ lastName: 'Бонд\ud800ар', firstName: 'Ігор' }] }),
      ],
    });
    expect(status).toBe(200);
    expect(body.accepted.map((a) => a.externalId)).toEqual(['RL-L-0', 'RL-L-4']);
    // The published schema already bounds each field by its column; what it cannot say (a NUL), intake checks.
    expect(body.rejected.map((r) => [r.index, r.code, r.path])).toEqual([
      [1, 'TOO_LONG', '/appeals/1/cardId'],
      [2, 'INVALID_CHARACTER', 'summary'],
      [3, 'TOO_LONG', '/appeals/3/author/lastName'],
      [5, 'INVALID_CHARACTER', 'coAuthors[0].lastName'],
    ]);
    expect(await count(Appeal)).toBe(before + 2);
  });

  it('stores and flags unlawful but readable appeals for the operator', async () => {
    const anonymous = await send(example('anonymous.json'));
    expect(anonymous.body.accepted[0]?.flags).toEqual(['ART8_ANONYMOUS']);
    const noAddress = await send(
      card({ author: { lastName: 'Мельник', firstName: 'Олег', phone: '+380501112233' }, summary: '  ' }),
    );
    expect(noAddress.body.accepted[0]?.flags).toEqual(['ART5_NO_ADDRESS', 'ART5_NO_ESSENCE']);
    const { body } = await gw.gql<{ a: { lawReview: unknown }; b: { lawReview: unknown } }>(
      `query($a: ID!, $b: ID!) {
        a: appeal(id: $a) { lawReview { action returnBy flags { code label } } }
        b: appeal(id: $b) { lawReview { action returnBy flags { code } } }
      }`,
      { a: anonymous.body.accepted[0]?.appealId, b: noAddress.body.accepted[0]?.appealId },
    );
    expect(body.data?.a.lawReview).toEqual({
      action: 'NOT_SUBJECT',
      returnBy: null,
      flags: [{ code: 'ART8_ANONYMOUS', label: 'Анонімне звернення не розглядається (ст. 8)' }],
    });
    // Received 20 Nov 09:15 Kyiv → returned by the end of 30 Nov, Kyiv time.
    expect(body.data?.b.lawReview).toEqual({
      action: 'RETURN_TO_AUTHOR',
      returnBy: '2026-11-30T21:59:59.999Z',
      flags: [{ code: 'ART5_NO_ADDRESS' }, { code: 'ART5_NO_ESSENCE' }],
    });
  });

  it('flags a card without the first name, and a card from the web without any contact (Art. 5)', async () => {
    const { body } = await send({
      appeals: [
        card({
          cardId: 'RL-F-NONAME',
          author: { lastName: 'Бондар', address: 'м. Запоріжжя, вул. Миру, 3', phone: '+380501112200' },
        }),
        card({
          cardId: 'RL-F-WEB',
          channel: 'web',
          author: { lastName: 'Бондар', firstName: 'Ігор', address: 'м. Запоріжжя, вул. Миру, 3' },
        }),
        card({
          cardId: 'RL-F-PHONE',
          author: { lastName: 'Бондар', firstName: 'Ігор', address: 'м. Запоріжжя, вул. Миру, 3' },
        }),
      ],
    });
    expect(body.rejected).toEqual([]);
    expect(body.accepted.map((a) => [a.externalId, a.flags])).toEqual([
      ['RL-F-NONAME', ['ART5_NO_NAME']],
      ['RL-F-WEB', ['ART5_NO_CONTACT']],
      // Only an electronic appeal needs a contact; a call to the hotline is answered by post.
      ['RL-F-PHONE', []],
    ]);
    const stored = await gw.orm.em.fork().findOneOrFail(Appeal, { externalId: 'RL-F-WEB' });
    expect([stored.source, stored.flags]).toEqual(['web', ['ART5_NO_CONTACT']]);
  });

  it('links the same citizen on the same question: duplicate within 30 days, repeat after an answer', async () => {
    const author = {
      lastName: 'Ткаченко',
      firstName: 'Василь',
      phone: '+380661234500',
      address: 'м. Запоріжжя, пр. Соборний, 150',
    };
    const first = await send(card({ author, topic: '009.01', registeredAt: '2026-11-01T10:00:00+02:00' }));
    const second = await send(
      card({
        author: { ...author, phone: '(066) 123-45-00' },
        topic: '009',
        registeredAt: '2026-11-10T10:00:00+02:00',
      }),
    );
    expect(second.body.accepted[0]).toMatchObject({
      receiptSign: 'duplicate',
      linkedTo: first.body.accepted[0]?.appealId,
    });
    // Another question of the same citizen is not a duplicate.
    const other = await send(card({ author, topic: '008', registeredAt: '2026-11-11T10:00:00+02:00' }));
    expect(other.body.accepted[0]?.receiptSign).toBe('primary');
    // Once the first is answered, a new appeal on the same question is a repeat.
    const em = gw.orm.em.fork();
    const answered = await em.findOneOrFail(Appeal, first.body.accepted[0]?.appealId as string);
    answered.status = 'answered';
    await em.flush();
    const third = await send(card({ author, topic: '009.01', registeredAt: '2026-11-20T10:00:00+02:00' }));
    expect(third.body.accepted[0]).toMatchObject({ receiptSign: 'repeated', linkedTo: answered.id });
    const { body } = await gw.gql<{ appeal: { receiptSign: string; repeatOf: { id: string } } }>(
      'query($id: ID!) { appeal(id: $id) { receiptSign repeatOf { id } } }',
      { id: third.body.accepted[0]?.appealId },
    );
    expect(body.data?.appeal).toEqual({ receiptSign: 'REPEATED', repeatOf: { id: answered.id } });
  });

  it('groups near-identical text from many authors as a mass appeal, linked to the first', async () => {
    const text = (n: number) =>
      `Третій день немає опалення в будинку на вул. Чарівній, ${n}! Просимо терміново втрутитися.`;
    const authors = ['Романенко', 'Кравчук', 'Литвиненко', 'Савченко'].map((lastName, i) => ({
      lastName,
      firstName: 'Анна',
      phone: `+38050765432${i}`,
      address: `м. Запоріжжя, вул. Чарівна, ${100 + i}`,
    }));
    const ids: string[] = [];
    for (const [i, author] of authors.entries()) {
      const r = await send(
        card({
          author,
          topic: '009.01',
          summary: text(100 + i),
          registeredAt: `2026-11-2${i}T08:00:00+02:00`,
        }),
      );
      ids.push(r.body.accepted[0]?.appealId as string);
    }
    const rows = await gw.orm.em.fork().find(Appeal, { id: { $in: ids } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(ids.map((id) => byId.get(id)?.receiptSign)).toEqual(['mass', 'mass', 'mass', 'mass']);
    expect(ids.map((id) => byId.get(id)?.massOf?.id ?? null)).toEqual([null, ids[0], ids[0], ids[0]]);
  });

  it('maps local topic names through the table operators edit', async () => {
    const unknown = await send(card({ topic: undefined, localTopic: 'Ями у дворі' }));
    expect(unknown.body.rejected).toMatchObject([{ code: 'UNKNOWN_LOCAL_TOPIC', path: '/localTopic' }]);
    const { body } = await gw.gql(
      `mutation { setLocalTopic(localTopic: "Ями у дворі", topicCode: "009.07") {
        __typename
        ... on MutationSetLocalTopicSuccess { data { localTopic topicCode topicLabel } }
        ... on Problem { code field message }
      } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      setLocalTopic: {
        __typename: 'MutationSetLocalTopicSuccess',
        data: { localTopic: 'Ями у дворі', topicCode: '009.07', topicLabel: 'Благоустрій' },
      },
    });
    const known = await send(card({ topic: undefined, localTopic: '  ями У дворі ' }));
    const stored = await gw.orm.em.fork().findOneOrFail(Appeal, known.body.accepted[0]?.appealId as string);
    expect(stored.topicCode).toBe('009.07');
    const subsidy = await send(example('local-topic-subsidy.json'));
    expect(subsidy.body.accepted).toHaveLength(1);
  });

  it('records the direct phone line session and the official’s body, and refuses an unknown body', async () => {
    const ok = await send(example('direct-line.json'));
    expect(ok.body.rejected).toEqual([]);
    const { body } = await gw.gql<{
      appeal: { source: string; directLine: { session: string; agency: { code: string } } };
    }>('query($id: ID!) { appeal(id: $id) { source directLine { session official agency { code } } } }', {
      id: ok.body.accepted[0]?.appealId,
    });
    expect(body.data?.appeal.source).toBe('DIRECT_LINE');
    expect(body.data?.appeal.directLine.agency.code).toMatch(/^\d{8}$/);
    const before = await count(Appeal);
    const bad = await send(
      card({
        channel: 'direct_line',
        directLine: { sessionId: 'ВЗГ-2026-11-20', agencyCode: '12345678', officialName: 'Петренко П. П.' },
      }),
    );
    expect(bad.body.rejected).toMatchObject([{ code: 'UNKNOWN_AGENCY', path: 'directLine.agencyCode' }]);
    expect(await count(Appeal)).toBe(before);
  });

  it('accepts every example under schema/regional-line/examples', async () => {
    for (const name of [
      'anonymous.json',
      'batch.json',
      'collective.json',
      'direct-line.json',
      'local-topic-subsidy.json',
      'with-attachment.json',
    ]) {
      const { status, body } = await send(example(name));
      expect(status, name).toBe(200);
      expect(body.rejected, name).toEqual([]);
      expect(body.accepted.length, name).toBeGreaterThan(0);
    }
  });

  it('refuses what is not a readable JSON document as a whole', async () => {
    expect((await send('{"appeals": [')).status).toBe(400);
    expect((await send('{"appeals": [')).body.code).toBe('JSON_MALFORMED');
    expect((await send('[1, 2]')).body.code).toBe('JSON_WRONG_ROOT');
    const xml = await send('<Header/>', { contentType: 'application/xml' });
    expect(xml.status).toBe(415);
    expect(xml.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = await send({ appeals: Array.from({ length: 600 }, () => card()) });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('lets only integration and admin principals in', async () => {
    expect((await send(card(), { token: null })).status).toBe(401);
    const { token } = await createPrincipal(gw.orm.em.fork(), { name: 'оператор КЦ', role: 'operator' });
    const forbidden = await send(card(), { token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('FORBIDDEN');
    const integration = await createPrincipal(gw.orm.em.fork(), { name: 'КЦ 0800', role: 'integration' });
    expect((await send(card(), { token: integration.token })).status).toBe(200);
  });
});
