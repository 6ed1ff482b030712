import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrincipal } from '../src/access/tokens.js';
import { LIMIT_CODES, MAX_ALIASES, MAX_DEPTH, MAX_DIRECTIVES, MAX_TOKENS } from '../src/graphql/limits.js';
import { createApp } from '../src/http/app.js';
import { createLogger } from '../src/log.js';
import { describeEachDatabase } from './support/databases.js';
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from './support/gateway.js';

type App = ReturnType<typeof createApp>;

async function gql(app: App, query: string, token = ADMIN_TOKEN) {
  const res = await app.request('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query }),
  });
  const text = await res.text();
  return { res, body: JSON.parse(text) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
}

const nested = (levels: number) => `{ agencies { ${'parent { '.repeat(levels)}code${' }'.repeat(levels)} } }`;

describeEachDatabase('GraphQL limits', (db) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(db);
  });
  afterAll(() => gw.close());

  const app = () => gw.app;

  it('answers an ordinary query', async () => {
    const { res, body } = await gql(
      app(),
      '{ agencies { code parent { code } } classifier { kinds { code } } }',
    );
    expect(res.status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  it.each([
    ['too deep', nested(MAX_DEPTH), LIMIT_CODES.depth],
    [
      'too many aliases',
      `{ ${Array.from({ length: MAX_ALIASES + 1 }, (_, i) => `a${i}: agencies { code }`).join(' ')} }`,
      LIMIT_CODES.aliases,
    ],
    [
      'too many directives',
      `{ agencies { code ${'@include(if: true) '.repeat(MAX_DIRECTIVES + 1)}} }`,
      LIMIT_CODES.directives,
    ],
    ['too many tokens', `{ ${'__typename '.repeat(MAX_TOKENS)}}`, LIMIT_CODES.tokens],
    [
      'too costly',
      `{ appeals(first: 100) { edges { node { id status summary dueAt topicCode topicLabel receivedAt
          applicant { lastName firstName patronymic phone email address categories coAuthors { lastName address } }
          assignments { role status reason ruleId agency { code name kind parent { code name kind parent { code name } } }
            delivery { state attempts lastError agency { code name parent { code name } } } notes { text authorName } }
          lastChange { event state occurredAt } duplicateOf { id summary status } repeatOf { id summary status } } } } }`,
      LIMIT_CODES.cost,
    ],
  ])('refuses a query %s with 400 and its code', async (_label, query, code) => {
    const { res, body } = await gql(app(), query);
    expect(res.status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions?.code).toBe(code);
  });

  it('allows introspection outside production', async () => {
    const { res, body } = await gql(app(), '{ __schema { queryType { name } } }');
    expect(res.status).toBe(200);
    expect(body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  describe('in production', () => {
    const prod = () => createApp({ orm: gw.orm, log: createLogger('silent'), production: true });

    it('refuses introspection', async () => {
      const { body } = await gql(prod(), '{ __schema { queryType { name } } }');
      expect(body.data).toBeUndefined();
      expect(body.errors?.length).toBeGreaterThan(0);
    });

    it('suggests no field names', async () => {
      const { body } = await gql(prod(), '{ agencies { codee } }');
      expect(JSON.stringify(body)).not.toMatch(/Did you mean/);
    });

    it('answers an unexpected failure with a masked error: no SQL, no stack', async () => {
      const conn = gw.orm.em.getConnection();
      // A table gone from under the API (a broken migration, a DBA's slip): the resolver's SQL fails.
      await conn.execute('alter table audit_entry rename to audit_entry_away');
      try {
        const { res, body } = await gql(prod(), '{ auditEntries { id } }');
        expect(res.status).toBe(200);
        expect(body.errors).toEqual([
          expect.objectContaining({
            message: 'Unexpected error.',
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          }),
        ]);
        expect(JSON.stringify(body)).not.toMatch(/audit_entry|select|stack|\.ts:/i);
      } finally {
        await conn.execute('alter table audit_entry_away rename to audit_entry');
      }
    });

    it('serves no GraphiQL page', async () => {
      const res = await prod().request('/graphql', { headers: { accept: 'text/html' } });
      expect(res.status).toBe(401);
    });
  });

  describe('rate limit', () => {
    let clock = 0;
    let limited: App;
    let otherToken: string;
    beforeAll(async () => {
      limited = createApp({
        orm: gw.orm,
        log: createLogger('silent'),
        production: false,
        graphqlRateLimit: { perMinute: 60, burst: 3, clock: () => clock },
      });
      ({ token: otherToken } = await createPrincipal(gw.orm.em.fork(), { name: 'ops', role: 'operator' }));
    });

    it('answers 429 with Retry-After to one principal, not to another, and recovers', async () => {
      for (let i = 0; i < 3; i++) expect((await gql(limited, '{ __typename }')).res.status).toBe(200);
      const refused = await gql(limited, '{ __typename }');
      expect(refused.res.status).toBe(429);
      expect(refused.res.headers.get('retry-after')).toBe('1');
      expect(refused.body).toMatchObject({ code: 'RATE_LIMITED' });

      expect((await gql(limited, '{ __typename }', otherToken)).res.status).toBe(200);

      clock += 1_000; // one request a second refills
      expect((await gql(limited, '{ __typename }')).res.status).toBe(200);
      expect((await gql(limited, '{ __typename }')).res.status).toBe(429);
    });
  });
});
