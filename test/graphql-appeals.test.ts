import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IAppeal } from '../src/db/entities/index.js';
import { storeAppeals } from './support/appeals.js';
import { describeEachDatabase } from './support/databases.js';
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from './support/gateway.js';

const SOC = '99923101'; // social protection department
const CITY = '99923301'; // Zaporizhzhia city council
const MELITOPOL_RVA = '99923204';

const PAGE = `query Page($first: Int, $after: String, $filter: AppealFilter, $orderBy: AppealOrder) {
  appeals(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount
    edges { cursor node { externalId receivedAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Page = {
  appeals: {
    totalCount: number;
    edges: { cursor: string; node: { externalId: string; receivedAt: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

describeEachDatabase('GraphQL appeals', (db) => {
  let gw: TestGateway;
  let stored: IAppeal[];

  beforeAll(async () => {
    gw = await startTestGateway(db);
    stored = await storeAppeals(gw.orm.em.fork(), [
      // Overdue: received 2026-10-01, general term → due 2026-11-01, still under consideration.
      {
        externalId: 'UCC-1',
        receivedAt: '2026-10-01T07:00:00Z',
        status: 'under_consideration',
        assignedTo: [[SOC, 'responsible']],
      },
      // Same instant as UCC-1: the id decides the order, and no page may lose or repeat either.
      {
        externalId: 'UCC-2',
        receivedAt: '2026-10-01T07:00:00Z',
        topicCode: '009.01',
        assignedTo: [
          [CITY, 'responsible'],
          [SOC, 'for_information'],
        ],
      },
      {
        externalId: 'UCC-3',
        receivedAt: '2026-11-20T09:15:00Z',
        topicCode: '008',
        territoryCode: 'UA23080070010092407',
        assignedTo: [[MELITOPOL_RVA, 'responsible']],
      },
      // Answered long ago: past its due date but not overdue, the deadline no longer runs.
      {
        externalId: 'UCC-4',
        receivedAt: '2026-09-01T06:00:00Z',
        status: 'answered',
        topicCode: '006.02',
        territoryCode: null,
      },
      {
        externalId: 'UCC-5',
        receivedAt: '2026-11-27T12:00:00Z',
        topicCode: '009.05',
        territoryCode: 'UA23060070010154443',
        lastName: 'Коваленко',
        summary: 'Опалення у під’їзді не працює з жовтня; 50% батарей холодні.',
      },
    ]);
  });
  afterAll(() => gw.close());

  const ids = (p: Page) => p.appeals.edges.map((e) => e.node.externalId);

  it('lists newest first and pages through every appeal exactly once with stable cursors', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const { body } = await gw.gql<Page>(PAGE, { first: 2, after });
      expect(body.errors).toBeUndefined();
      const page = body.data as Page;
      expect(page.appeals.totalCount).toBe(5);
      seen.push(...ids(page));
      if (!page.appeals.pageInfo.hasNextPage) break;
      after = page.appeals.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(seen.slice(0, 3)).toEqual(['UCC-5', 'UCC-3', seen[2]]);
    expect(seen.slice(2, 4).sort()).toEqual(['UCC-1', 'UCC-2']);
    expect(seen[4]).toBe('UCC-4');
    // The same cursor gives the same page again.
    const first = (await gw.gql<Page>(PAGE, { first: 2 })).body.data as Page;
    const again = (await gw.gql<Page>(PAGE, { first: 2, after: first.appeals.pageInfo.endCursor })).body
      .data as Page;
    const twice = (await gw.gql<Page>(PAGE, { first: 2, after: first.appeals.pageInfo.endCursor })).body
      .data as Page;
    expect(ids(again)).toEqual(ids(twice));
  });

  it('orders by due date or oldest first, each order paging with its own cursors', async () => {
    const walk = async (orderBy: string) => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i++) {
        const { body } = await gw.gql<Page>(PAGE, { first: 2, after, orderBy });
        expect(body.errors).toBeUndefined();
        const page = body.data as Page;
        seen.push(...ids(page));
        if (!page.appeals.pageInfo.hasNextPage) return { seen, cursor: page.appeals.pageInfo.endCursor };
        after = page.appeals.pageInfo.endCursor;
      }
      return { seen, cursor: after };
    };
    // Due: UCC-4 1 Oct, UCC-1 and UCC-2 1 Nov (same instant: the id decides), UCC-3 20 Dec, UCC-5 27 Dec.
    const due = await walk('DUE_SOONEST');
    expect(due.seen).toHaveLength(5);
    expect(due.seen[0]).toBe('UCC-4');
    expect(due.seen.slice(1, 3).sort()).toEqual(['UCC-1', 'UCC-2']);
    expect(due.seen.slice(3)).toEqual(['UCC-3', 'UCC-5']);
    const oldest = await walk('OLDEST');
    expect(oldest.seen[0]).toBe('UCC-4');
    expect(oldest.seen.at(-1)).toBe('UCC-5');
    // A cursor of one order is refused in another.
    const mixed = await gw.gql<Page>(PAGE, { first: 2, after: due.cursor, orderBy: 'NEWEST' });
    expect(mixed.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CURSOR', field: 'after' });
  });

  const filtered = async (filter: Record<string, unknown>) => {
    const { body } = await gw.gql<Page>(PAGE, { first: 100, filter });
    expect(body.errors).toBeUndefined();
    return ids(body.data as Page).sort();
  };

  it('filters by status, source and agency code (any role on the appeal)', async () => {
    expect(await filtered({ status: ['UNDER_CONSIDERATION', 'ANSWERED'] })).toEqual(['UCC-1', 'UCC-4']);
    expect(await filtered({ source: ['REGIONAL_HOTLINE'] })).toEqual([]);
    expect(await filtered({ agencyCode: SOC })).toEqual(['UCC-1', 'UCC-2']);
    expect(await filtered({ agencyCode: MELITOPOL_RVA })).toEqual(['UCC-3']);
  });

  it('filters by topic prefix and by territory through the KATOTTG hierarchy', async () => {
    expect(await filtered({ topicPrefix: '009' })).toEqual(['UCC-2', 'UCC-5']);
    expect(await filtered({ topicPrefix: '006.01' })).toEqual(['UCC-1']);
    // Zaporizkyi district contains the city and its city district; Melitopol is elsewhere.
    expect(await filtered({ territoryPrefix: 'UA23060000000070350' })).toEqual(['UCC-1', 'UCC-2', 'UCC-5']);
    expect(await filtered({ territoryPrefix: 'ua2308' })).toEqual(['UCC-3']);
    expect(await filtered({ territoryPrefix: 'UA23060070010154443' })).toEqual(['UCC-5']);
  });

  it('filters by the receipt window and by overdue at the request time', async () => {
    expect(
      await filtered({ receivedFrom: '2026-11-01T00:00:00+02:00', receivedTo: '2026-11-27T12:00:00Z' }),
    ).toEqual(['UCC-3']);
    expect(await filtered({ overdue: true })).toEqual(['UCC-1', 'UCC-2']);
    expect(await filtered({ overdue: false })).toEqual(['UCC-3', 'UCC-4', 'UCC-5']);
  });

  it('filters by due date and by words in the essence, ignoring case', async () => {
    // Due dates: UCC-4 2026-10-01, UCC-1 and UCC-2 2026-11-01, UCC-3 2026-12-20, UCC-5 2026-12-27.
    expect(await filtered({ dueBefore: '2026-11-02T00:00:00Z' })).toEqual(['UCC-1', 'UCC-2', 'UCC-4']);
    expect(await filtered({ text: 'опалення' })).toEqual(['UCC-5']);
    expect(await filtered({ text: 'ОПАЛЕННЯ У' })).toEqual(['UCC-5']);
    expect(await filtered({ text: 'субсид' })).toEqual(['UCC-1', 'UCC-2', 'UCC-3', 'UCC-4']);
    const short = await gw.gql<Page>(PAGE, { first: 5, filter: { text: ' о ' } });
    expect(short.body.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_SEARCH_TEXT',
      field: 'filter.text',
    });
  });

  it('shows one appeal with its applicant, deadline and assignments', async () => {
    const target = stored[1] as IAppeal;
    const { body } = await gw.gql<{ appeal: Record<string, unknown> }>(
      `query One($id: ID!) { appeal(id: $id) {
        id externalId source kind topicCode topicLabel territoryCode status receivedAt dueAt overdue summary
        applicant { lastName firstName patronymic phone email address }
        assignments { role status reason agency { code name } }
      } }`,
      { id: target.id },
    );
    expect(body.errors).toBeUndefined();
    const appeal = body.data?.appeal as Record<string, unknown>;
    expect(appeal).toMatchObject({
      externalId: 'UCC-2',
      source: 'GOV_HOTLINE_1545',
      kind: 'APPLICATION',
      topicCode: '009.01',
      topicLabel: 'Теплопостачання',
      status: 'ROUTED',
      receivedAt: '2026-10-01T07:00:00.000Z',
      // One calendar month in Kyiv time, to the end of that day (UTC+2 in November).
      dueAt: '2026-11-01T21:59:59.999Z',
      overdue: true,
      applicant: { lastName: 'Шевченко', firstName: 'Олена', patronymic: 'Петрівна', phone: '+380671234567' },
    });
    const assignments = appeal.assignments as { role: string; agency: { code: string } }[];
    expect(assignments.map((a) => [a.agency.code, a.role]).sort()).toEqual([
      [SOC, 'FOR_INFORMATION'],
      [CITY, 'RESPONSIBLE'],
    ]);
  });

  it('answers null for an unknown or malformed id', async () => {
    for (const id of [crypto.randomUUID(), 'not-an-id', "1' OR '1'='1"]) {
      const { body } = await gw.gql<{ appeal: null }>('query($id: ID!) { appeal(id: $id) { id } }', { id });
      expect(body.errors).toBeUndefined();
      expect(body.data?.appeal).toBeNull();
    }
  });

  describe('bad input gets a GraphQL error with a stable code, never a stack', () => {
    const cases: [string, Record<string, unknown>, string, string | undefined][] = [
      ['an unknown status', { filter: { status: ['LOST'] } }, 'BAD_USER_INPUT', undefined],
      ['an unknown agency', { filter: { agencyCode: '00000000' } }, 'UNKNOWN_AGENCY', 'filter.agencyCode'],
      ['an unknown topic', { filter: { topicPrefix: '099' } }, 'UNKNOWN_TOPIC', 'filter.topicPrefix'],
      [
        'a bad territory',
        { filter: { territoryPrefix: 'UA2' } },
        'INVALID_TERRITORY_PREFIX',
        'filter.territoryPrefix',
      ],
      [
        'an inverted window',
        { filter: { receivedFrom: '2026-11-02T00:00:00Z', receivedTo: '2026-11-01T00:00:00Z' } },
        'INVALID_RANGE',
        'filter.receivedFrom',
      ],
      ['a date without zone', { filter: { receivedFrom: '2026-11-02' } }, 'INVALID_DATETIME', undefined],
      ['a malformed cursor', { after: 'bm90LWEtY3Vyc29y' }, 'INVALID_CURSOR', 'after'],
      [
        'a forged cursor',
        { after: `a1.${Buffer.from('["x","y"]').toString('base64url')}` },
        'INVALID_CURSOR',
        'after',
      ],
      [
        'a cursor past the last date there is',
        {
          after: `a2.${Buffer.from(JSON.stringify(['newest', 9e15, '00000000-0000-4000-8000-000000000000'])).toString('base64url')}`,
        },
        'INVALID_CURSOR',
        'after',
      ],
      ['an oversize page', { first: 101 }, 'PAGE_SIZE_OUT_OF_RANGE', 'first'],
      ['a negative page', { first: -1 }, 'PAGE_SIZE_OUT_OF_RANGE', 'first'],
    ];
    it.each(cases)('%s', async (_label, variables, code, field) => {
      const { body } = await gw.gql(PAGE, variables);
      expect(body.data?.appeals ?? null).toBeNull();
      const error = body.errors?.[0];
      expect(error?.extensions?.code).toBe(code);
      if (field) expect(error?.extensions?.field).toBe(field);
      expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
    });

    it('refuses backward pagination it does not support', async () => {
      const { body } = await gw.gql('{ appeals(last: 2) { totalCount } }');
      expect(body.errors?.[0]?.extensions?.code).toBe('BACKWARD_PAGINATION_UNSUPPORTED');
    });

    it('answers malformed GraphQL with a syntax error code', async () => {
      const { body } = await gw.gql('{ appeals(first: ) { ');
      expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      // A client that speaks the GraphQL-over-HTTP media type gets the 400 the spec asks for.
      const res = await gw.app.request('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          authorization: `Bearer ${ADMIN_TOKEN}`,
        },
        body: JSON.stringify({ query: '{ appeals(first: ) { ' }),
      });
      expect(res.status).toBe(400);
    });

    it('answers an unknown field with a validation error code', async () => {
      const { body } = await gw.gql('{ appeals { nope } }');
      expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });
});
