import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Appeal } from '../src/db/entities/index.js';
import { createApp } from '../src/http/app.js';
import { ParsePool } from '../src/intake/gov-line/parse-pool.js';
import { POOL_THRESHOLD } from '../src/intake/gov-line/prepare.js';
import { headerTask } from '../src/intake/gov-line/prepare-headers.js';
import { createLogger } from '../src/log.js';
import { corpusHeader } from './bench/gov-line-corpus.js';
import { describeEachDatabase } from './support/databases.js';
import { ADMIN_TOKEN, NOW, startTestGateway, type TestGateway } from './support/gateway.js';

describeEachDatabase('a large UCC batch parsed in worker threads', (db) => {
  let gw: TestGateway;
  let pool: ParsePool;
  beforeAll(async () => {
    gw = await startTestGateway(db);
    pool = new ParsePool(2);
  });
  afterAll(async () => {
    await pool.close();
    await gw.close();
  });

  it('stores every good message once, in document order, and reports the bad ones by index', async () => {
    const n = POOL_THRESHOLD + 317;
    const bad = new Map([
      [5, (h: string) => h.replace('topic="', 'topic="9')],
      [260, (h: string) => h.replace(/<Econtact type="м">[^<]*</, '<Econtact type="м">дзвоніть сусідці<')],
      [400, (h: string) => h.replace('annotation="', 'annotation="Ціни & тарифи ')],
    ]);
    const headers = Array.from({ length: n }, (_, i) =>
      (bad.get(i) ?? ((h: string) => h))(corpusHeader(50_000 + i)),
    );
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<AppealBatch>\n${headers.join('\n')}\n</AppealBatch>`;
    const app = createApp({
      orm: gw.orm,
      log: createLogger('silent'),
      production: false,
      now: () => NOW,
      parsePool: pool,
    });
    const post = () =>
      app.request('/intake/gov-line', {
        method: 'POST',
        headers: { 'content-type': 'application/xml', authorization: `Bearer ${ADMIN_TOKEN}` },
        body,
      });
    const res = await post();
    expect(res.status).toBe(200);
    const report = (await res.json()) as {
      accepted: { index: number; externalId: string; outcome: string }[];
      rejected: { index: number; code: string }[];
    };
    expect(report.rejected.map((r) => [r.index, r.code])).toEqual([
      [5, 'UNKNOWN_TOPIC'],
      [260, 'INVALID_PHONE'],
      [400, 'XML_MALFORMED'],
    ]);
    expect(report.accepted).toHaveLength(n - 3);
    expect(report.accepted.map((a) => a.index)).toEqual([...Array(n).keys()].filter((i) => !bad.has(i)));
    expect(report.accepted.every((a, k) => a.externalId === `1545-BENCH-${50_000 + (a.index ?? k)}`)).toBe(
      true,
    );
    expect(await gw.orm.em.fork().count(Appeal, { externalId: { $like: '1545-BENCH-%' } })).toBe(n - 3);
    // The same batch again changes nothing.
    const again = (await (await post()).json()) as { accepted: { outcome: string }[] };
    expect(again.accepted.every((a) => a.outcome === 'replayed')).toBe(true);
    expect(await gw.orm.em.fork().count(Appeal, { externalId: { $like: '1545-BENCH-%' } })).toBe(n - 3);
  });
});

describe('the parse pool', () => {
  it('starts workers on first use and replaces one that died', async () => {
    const pool = new ParsePool(1);
    try {
      const first = await pool.prepare(headerTask(0, [corpusHeader(1)]));
      expect(first[0]?.ok).toBe(true);
      // Kill the worker behind the pool's back: the next task gets a new one.
      const slots = (pool as unknown as { slots: (import('node:worker_threads').Worker | null)[] }).slots;
      await slots[0]?.terminate();
      const again = await pool.prepare(headerTask(7, [corpusHeader(2)]));
      expect(again).toMatchObject([{ ok: true, index: 7 }]);
    } finally {
      await pool.close();
    }
  });
});
