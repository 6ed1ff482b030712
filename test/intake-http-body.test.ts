/**
 * The intake's request body over real HTTP (@hono/node-server on loopback), where it is read straight
 * from the node request: with a Content-Length or chunked, under the size cap and over it.
 */
import { request } from 'node:http';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Appeal } from '../src/db/entities/index.js';
import { describeEachDatabase } from './support/databases.js';
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from './support/gateway.js';

const MAX = 64 * 1024;

const card = (n: number) => ({
  cardId: `RL-HTTP-${n}`,
  registeredAt: '2026-11-20T09:15:00+02:00',
  kind: '3.2',
  topic: '006.01',
  territory: 'UA23060070010069526',
  summary: 'Прошу перерахувати житлову субсидію: у листопаді нарахування зменшилося вдвічі без пояснень.',
  author: {
    lastName: 'Коваленко',
    firstName: 'Марія',
    phone: `067 123 45 ${String(n).padStart(2, '0')}`,
    address: 'м. Запоріжжя, вул. Перемоги, 41, кв. 12',
  },
});

describeEachDatabase('intake request bodies over HTTP', (db) => {
  let gw: TestGateway;
  let server: ServerType;
  let port: number;

  beforeAll(async () => {
    gw = await startTestGateway(db, { intakeMaxBytes: MAX });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: gw.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await gw.close();
  });

  /** POSTs `body` in pieces; with `chunked`, no Content-Length is sent (Transfer-Encoding: chunked). */
  const send = (body: string, chunked: boolean) =>
    new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
      const bytes = Buffer.from(body);
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/intake/regional-line',
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${ADMIN_TOKEN}`,
            ...(chunked ? {} : { 'content-length': bytes.length }),
          },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (p: Buffer) => parts.push(p));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(parts).toString()) }),
          );
        },
      );
      // An answer before the whole body went out (413) may reset the rest of the upload.
      req.on('error', (err) =>
        (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err),
      );
      for (let i = 0; i < bytes.length; i += 16 * 1024) req.write(bytes.subarray(i, i + 16 * 1024));
      req.end();
    });

  it('reads a body with a Content-Length and a chunked one alike', async () => {
    const sized = await send(JSON.stringify({ appeals: [card(1), card(2)] }), false);
    expect(sized.status).toBe(200);
    expect(sized.json).toMatchObject({ rejected: [] });
    expect((sized.json.accepted as unknown[]).length).toBe(2);
    const chunked = await send(JSON.stringify({ appeals: [card(3)] }), true);
    expect(chunked.status).toBe(200);
    expect((chunked.json.accepted as unknown[]).length).toBe(1);
    expect(await gw.orm.em.fork().count(Appeal, { externalId: { $like: 'RL-HTTP-%' } })).toBe(3);
  });

  it('answers 413 past the cap, declared or not, stores nothing and goes on serving', async () => {
    const big = JSON.stringify({ appeals: Array.from({ length: 200 }, (_, i) => card(100 + i)) });
    expect(Buffer.byteLength(big)).toBeGreaterThan(MAX);
    for (const chunked of [false, true]) {
      const refused = await send(big, chunked);
      expect(refused.status, `chunked: ${chunked}`).toBe(413);
      expect(refused.json).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    }
    expect(await gw.orm.em.fork().count(Appeal, { externalId: { $like: 'RL-HTTP-1__' } })).toBe(0);
    const after = await send(JSON.stringify({ appeals: [card(4)] }), true);
    expect(after.status).toBe(200);
  });

  it('lets a client that goes away mid-upload go, storing nothing', async () => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/intake/regional-line',
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    req.on('error', () => {}); // the socket is destroyed on purpose
    // Half a body, then the connection goes: once the server has the request, it is reading the body.
    req.write(`{"appeals": [${JSON.stringify(card(900))}, `, () => req.destroy());
    const after = await send(JSON.stringify({ appeals: [card(5)] }), false);
    expect(after.status).toBe(200);
    expect(await gw.orm.em.fork().count(Appeal, { externalId: 'RL-HTTP-900' })).toBe(0);
  });
});
