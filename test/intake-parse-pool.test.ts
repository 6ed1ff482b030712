import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Appeal } from '../src/db/entities/index.js';
import { createApp } from '../src/http/app.js';
import { ParsePool } from '../src/intake/gov-line/parse-pool.js';
import { POOL_THRESHOLD, prepareGovLineDocument } from '../src/intake/gov-line/prepare.js';
import { headerTask } from '../src/intake/gov-line/prepare-headers.js';
import { readGovLineDocument } from '../src/intake/gov-line/read.js';
import { prepare } from '../src/intake/normalise.js';
import type { Prepared } from '../src/intake/types.js';
import { createLogger } from '../src/log.js';
import { corpusHeader } from './bench/gov-line-corpus.js';
import { describeEachDatabase } from './support/databases.js';
import { ADMIN_TOKEN, NOW, startTestGateway, type TestGateway } from './support/gateway.js';

describeEachDatabase('a large UCC batch parsed in worker threads', (db) => {
  let gw: TestGateway;
  let pool: ParsePool;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    gw = await startTestGateway(db);
    pool = new ParsePool(2);
    app = createApp({
      orm: gw.orm,
      log: createLogger('silent'),
      production: false,
      now: () => NOW,
      parsePool: pool,
    });
  });
  afterAll(async () => {
    await pool.close();
    await gw.close();
  });
  const post = (body: string | Buffer) =>
    app.request('/intake/gov-line', {
      method: 'POST',
      headers: { 'content-type': 'application/xml', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: typeof body === 'string' ? body : new Uint8Array(body),
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
    const res = await post(body);
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
    expect(await gw.orm.em.fork().count(Appeal, { externalId: { $like: '1545-BENCH-5%' } })).toBe(n - 3);
    // The same batch again changes nothing.
    const again = (await (await post(body)).json()) as { accepted: { outcome: string }[] };
    expect(again.accepted.every((a) => a.outcome === 'replayed')).toBe(true);
    expect(await gw.orm.em.fork().count(Appeal, { externalId: { $like: '1545-BENCH-5%' } })).toBe(n - 3);
  });

  // What the byte scan of a large UTF-8 batch must not change.
  const n = POOL_THRESHOLD + 60;
  const headersFrom = (first: number) => Array.from({ length: n }, (_, i) => corpusHeader(first + i));
  const batch = (headers: string[], encoding = 'UTF-8') =>
    `<?xml version="1.0" encoding="${encoding}"?>\n<AppealBatch batch_id="пакет-1">\n${headers.join('\n')}\n</AppealBatch>`;
  const stored = (first: number) =>
    gw.orm.em
      .fork()
      .count(Appeal, { externalId: { $in: Array.from({ length: n }, (_, i) => `1545-BENCH-${first + i}`) } });

  it('reads a windows-1251 batch through the workers into the same Cyrillic', async () => {
    const body = iconvWindows1251(batch(headersFrom(60_000), 'windows-1251'));
    const res = await post(body);
    expect(res.status).toBe(200);
    const report = (await res.json()) as { accepted: unknown[]; rejected: unknown[] };
    expect(report.rejected).toEqual([]);
    expect(report.accepted).toHaveLength(n);
    const one = await gw.orm.em.fork().findOneOrFail(Appeal, { externalId: '1545-BENCH-60000' });
    expect(one.summary).toBe(expectedAnnotation(corpusHeader(60_000)));
  });

  it('refuses a batch that is not valid UTF-8 as a whole, and stores none of it', async () => {
    const bytes = Buffer.from(batch(headersFrom(61_000)));
    // A lone continuation byte far into the batch: the body is refused before anything is parsed.
    const at = bytes.lastIndexOf(Buffer.from('Урядовий'));
    bytes[at] = 0x80;
    const res = await post(bytes);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'XML_ENCODING_INVALID' });
    expect(await stored(61_000)).toBe(0);
  });

  it('refuses a batch whose last element is not a Header, and stores none of the Headers before it', async () => {
    const body = Buffer.from(batch([...headersFrom(62_000), '<Note>кінець пакета</Note>']));
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'BATCH_UNEXPECTED_ELEMENT' });
    expect(await stored(62_000)).toBe(0);
  });

  it('counts an attribute in characters, not in bytes: 40,000 Cyrillic letters are 80,000 bytes but within the limit', async () => {
    const headers = headersFrom(63_000);
    const long = 'ж'.repeat(40_000);
    headers[n - 1] = (headers[n - 1] as string).replace(/annotation="[^"]*"/, `annotation="${long}"`);
    const res = await post(Buffer.from(batch(headers)));
    expect(res.status).toBe(200);
    const report = (await res.json()) as { accepted: unknown[]; rejected: { index: number; code: string }[] };
    // The document passes; the one appeal is refused alone, by the essence's own limit.
    expect(report.rejected.map((r) => r.index)).toEqual([n - 1]);
    expect(report.rejected[0]?.code).not.toBe('XML_ATTRIBUTE_TOO_LONG');
    expect(report.accepted).toHaveLength(n - 1);
  });
});

describe('a large batch when the workers do not answer', () => {
  const n = POOL_THRESHOLD + 120;
  const body = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<AppealBatch>\n${Array.from({ length: n }, (_, i) => corpusHeader(80_000 + i)).join('\n')}\n</AppealBatch>`,
  );
  const readAll = async (pool: Pick<ParsePool, 'size' | 'prepare'>) => {
    const items: Prepared[] = [];
    for await (const chunk of prepareGovLineDocument(body, pool as ParsePool)) items.push(...chunk);
    return items;
  };
  const expected = prepare(readGovLineDocument(body));

  it("is read whole, in order, by the request's own thread when the workers get no CPU at all", async () => {
    let asked = 0;
    const starved = {
      size: 2,
      prepare: () => {
        asked++;
        return new Promise<Prepared[]>(() => {});
      },
    };
    const items = await readAll(starved);
    expect(asked).toBeGreaterThan(0);
    expect(items).toEqual(expected);
    expect(items.every((p) => p.ok)).toBe(true);
  });

  it('is read whole when every worker fails', async () => {
    const failing = { size: 2, prepare: () => Promise.reject(new Error('parse worker exited with code 1')) };
    expect(await readAll(failing)).toEqual(expected);
  });
});

describe('the parse pool', () => {
  it.runIf(process.platform === 'linux')(
    'runs its workers at the lowest priority and leaves the main thread as it was',
    async () => {
      const pool = new ParsePool(1);
      try {
        await pool.prepare(headerTask(0, [corpusHeader(1)]));
        const niceOf = (task: string) =>
          Number(readFileSync(`/proc/self/task/${task}/stat`, 'utf8').split(') ')[1]?.split(' ')[16]);
        const tasks = readdirSync('/proc/self/task');
        expect(getPriority()).toBe(0);
        expect(niceOf(String(process.pid))).toBe(0);
        // The one worker, and no other thread, runs at the lowest priority.
        expect(tasks.map(niceOf).filter((n) => n === 19)).toHaveLength(1);
      } finally {
        await pool.close();
      }
    },
  );

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

/** The corpus header's annotation as the gateway stores it (XML entities resolved). */
function expectedAnnotation(header: string): string {
  const raw = /annotation="([^"]*)"/.exec(header)?.[1] ?? '';
  return raw
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Text → windows-1251 bytes (Cyrillic, Latin, digits and the punctuation the corpus uses). */
function iconvWindows1251(text: string): Buffer {
  const decoder = new TextDecoder('windows-1251');
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
  return Buffer.from(
    [...text].map((ch) => {
      const b = table.get(ch);
      if (b === undefined) throw new Error(`no windows-1251 byte for ${JSON.stringify(ch)}`);
      return b;
    }),
  );
}
