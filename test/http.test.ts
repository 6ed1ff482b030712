import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrincipal } from '../src/access/tokens.js';
import { createApp } from '../src/http/app.js';
import { createLogger } from '../src/log.js';
import { describeEachDatabase } from './support/databases.js';
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from './support/gateway.js';

const post = (token: string | null, query: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: token }) },
  body: JSON.stringify({ query }),
});

describeEachDatabase('HTTP surface', (db) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(db);
  });
  afterAll(() => gw.close());

  it('reports health without a token', async () => {
    const res = await gw.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it.each([
    ['no header', null, 'UNAUTHENTICATED'],
    ['a non-bearer scheme', 'Basic YWRtaW46YWRtaW4=', 'UNAUTHENTICATED'],
    ['an empty bearer', 'Bearer ', 'UNAUTHENTICATED'],
    ['an unknown token', 'Bearer gw_unknown-token-value', 'INVALID_TOKEN'],
  ])('answers 401 JSON to %s', async (_label, header, code) => {
    const res = await gw.app.request('/graphql', post(header, '{ agencies { code } }'));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.json()).toMatchObject({ code });
  });

  it('accepts a token made for a body and stops accepting it when revoked', async () => {
    const em = gw.orm.em.fork();
    const { token, principal } = await createPrincipal(em, {
      name: 'ДСЗН',
      role: 'agency',
      agencyCode: '99923101',
    });
    const ok = await gw.app.request('/graphql', post(`Bearer ${token}`, '{ agencies { code } }'));
    expect(ok.status).toBe(200);
    principal.revokedAt = new Date();
    await em.flush();
    const revoked = await gw.app.request('/graphql', post(`Bearer ${token}`, '{ agencies { code } }'));
    expect(revoked.status).toBe(401);
  });

  it('answers the directory and the classifier to the admin token', async () => {
    const { body } = await gw.gql<{
      agencies: { code: string; kind: string; parent: { code: string } | null; territories: string[] }[];
      classifier: {
        kinds: { code: string; label: string }[];
        topics: { code: string }[];
        results: { code: string }[];
      };
    }>(`{ agencies { code kind parent { code } territories }
          classifier { kinds { code label } topics { code } results { code } } }`);
    expect(body.errors).toBeUndefined();
    const agencies = body.data?.agencies ?? [];
    expect(agencies).toHaveLength(18);
    const districts = agencies.filter((a) => a.kind === 'DISTRICT_ADMINISTRATION');
    expect(districts.map((d) => d.territories[0]).sort()).toEqual([
      'UA23020000000032289',
      'UA23040000000067730',
      'UA23060000000070350',
      'UA23080000000090746',
      'UA23100000000034132',
    ]);
    expect(districts.every((d) => d.parent?.code === '99923000')).toBe(true);
    expect(agencies.filter((a) => a.kind === 'CONTACT_CENTER')).toHaveLength(1);
    expect(body.data?.classifier.kinds).toEqual([
      { code: '3.1', label: 'Пропозиція (зауваження)' },
      { code: '3.2', label: 'Заява (клопотання)' },
      { code: '3.3', label: 'Скарга' },
    ]);
    expect(body.data?.classifier.results.map((r) => r.code)).toEqual([
      '9.1',
      '9.2',
      '9.3',
      '9.4',
      '9.5',
      '9.6',
    ]);
    expect(body.data?.classifier.topics.filter((t) => /^\d{3}$/.test(t.code))).toHaveLength(24);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await gw.app.request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('serves GraphiQL outside production and not in production', async () => {
    const page = await gw.app.request('/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('GraphiQL');
    const prod = createApp({ orm: gw.orm, log: createLogger('silent'), production: true });
    const closed = await prod.request('/graphql', { headers: { accept: 'text/html' } });
    expect(closed.status).toBe(401);
    const withToken = await prod.request('/graphql', {
      headers: { accept: 'text/html', authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(await withToken.text()).not.toContain('GraphiQL');
  });

  it('reports 503 when the database is gone', async () => {
    const created = await db.create();
    const other = await startTestGateway({ label: db.label, create: async () => created });
    await other.orm.close(true);
    const res = await other.app.request('/healthz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unavailable', code: 'DATABASE_UNAVAILABLE' });
    await created.drop();
  });

  it('writes one access line per request to the access log, with no token, query or body', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = { write: (line: string) => lines.push(JSON.parse(line)) };
    const app = createApp({
      orm: gw.orm,
      log: createLogger('silent'),
      accessLog: pino({ level: 'info' }, sink),
      production: true,
    });
    const res = await app.request('/graphql', {
      ...post(`Bearer ${ADMIN_TOKEN}`, '{ agencies { code } }'),
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${ADMIN_TOKEN}`,
        'x-request-id': 'req-42',
      },
    });
    expect(res.status).toBe(200);
    expect(await app.request('/nowhere')).toHaveProperty('status', 404);
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'request',
        reqId: 'req-42',
        method: 'POST',
        path: '/graphql',
        status: 200,
      }),
      expect.objectContaining({ msg: 'request', method: 'GET', path: '/nowhere', status: 404 }),
    ]);
    const text = JSON.stringify(lines);
    expect(text).not.toContain(ADMIN_TOKEN);
    expect(text).not.toContain('agencies');
  });
});
