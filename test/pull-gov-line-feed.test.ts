/**
 * The UCC feed job on pages the simulator does not serve: a cursor in single quotes, a page without
 * one, a page over the size cap, and a message the database refuses. None of them may lose a message
 * or move the cursor past one that was not stored.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Appeal, SyncCursor } from '../src/db/entities/index.js';
import { GOV_LINE_CURSOR, pullGovLine } from '../src/jobs/pull-gov-line.js';
import { createLogger } from '../src/log.js';
import { describeEachDatabase } from './support/databases.js';
import { NOW, startTestGateway, type TestGateway } from './support/gateway.js';
import { uccHeader } from './support/ucc.js';

describeEachDatabase('the UCC feed job on unusual pages', (db) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(db);
  });
  afterAll(() => gw.close());

  /** A feed that answers each `after` with the page given for it (an empty page with the same cursor otherwise). */
  const feedOf = (pages: Record<string, string>, maxBytes?: number) => {
    const asked: (string | null)[] = [];
    const fetch = (async (url: URL) => {
      const after = url.searchParams.get('after');
      asked.push(after);
      const page =
        pages[after ?? ''] ??
        `<?xml version="1.0" encoding="UTF-8"?><AppealBatch cursor="${after ?? ''}"></AppealBatch>`;
      return new Response(page, { status: 200, headers: { 'content-type': 'application/xml' } });
    }) as unknown as typeof globalThis.fetch;
    return {
      asked,
      deps: {
        orm: gw.orm,
        log: createLogger('silent'),
        now: () => NOW,
        feed: { feedUrl: 'http://ucc.test/feed', token: null, fetch, ...(maxBytes ? { maxBytes } : {}) },
      },
    };
  };
  const page = (open: string, ...ids: string[]) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n${open}\n${ids
      .map((id, i) =>
        uccHeader({
          id,
          phone: `+38063${String(7_000_000 + ids.length * 10 + i + id.length * 100).slice(-7)}`,
        }),
      )
      .join('\n')}\n</AppealBatch>`;
  const cursor = async () =>
    (await gw.orm.em.fork().findOne(SyncCursor, { name: GOV_LINE_CURSOR }))?.cursor ?? null;
  const stored = (...ids: string[]) => gw.orm.em.fork().count(Appeal, { externalId: { $in: ids } });
  const resetCursor = () => gw.orm.em.fork().nativeDelete(SyncCursor, { name: GOV_LINE_CURSOR });

  it('follows a cursor written in single quotes', async () => {
    await resetCursor();
    const feed = feedOf({ '': page("<AppealBatch batch_id='b-1' cursor='q1'>", 'FEED-Q-1', 'FEED-Q-2') });
    expect(await pullGovLine(feed.deps)).toMatchObject({
      outcome: 'succeeded',
      counts: { created: 2, pages: 2 },
    });
    expect(feed.asked).toEqual([null, 'q1']);
    expect(await cursor()).toBe('q1');
    expect(await stored('FEED-Q-1', 'FEED-Q-2')).toBe(2);
  });

  it('stores the messages of a page that has no cursor, keeps the cursor, and fails the run saying why', async () => {
    await resetCursor();
    const feed = feedOf({ '': page('<AppealBatch>', 'FEED-NC-1') });
    const run = await pullGovLine(feed.deps);
    expect(run.outcome).toBe('failed');
    expect(run.error).toContain('no `cursor` attribute');
    expect(await stored('FEED-NC-1')).toBe(1);
    expect(await cursor()).toBeNull();
  });

  it('keeps the cursor when the database refuses a message, and takes the message on the next run', async () => {
    await resetCursor();
    const conn = gw.orm.em.getConnection();
    const refuse =
      db.label === 'sqlite'
        ? [
            `create trigger refuse_feed_fail before insert on appeal when new.external_id = 'FEED-FAIL'
             begin select raise(abort, 'simulated outage'); end`,
          ]
        : [
            `create function refuse_feed_fail() returns trigger language plpgsql as $$
             begin if new.external_id = 'FEED-FAIL' then raise exception 'simulated outage'; end if; return new; end $$`,
            'create trigger refuse_feed_fail before insert on appeal for each row execute function refuse_feed_fail()',
          ];
    for (const sql of refuse) await conn.execute(sql);
    const feed = feedOf({ '': page('<AppealBatch cursor="f1">', 'FEED-OK', 'FEED-FAIL') });
    const failed = await pullGovLine(feed.deps);
    expect(failed.outcome).toBe('failed');
    expect(failed.error).toContain('could not be stored');
    expect(await cursor()).toBeNull();
    expect(await stored('FEED-OK')).toBe(1);
    expect(await stored('FEED-FAIL')).toBe(0);
    // The outage is over: the same page again, the stored message a replay, the other one created.
    await conn.execute(
      db.label === 'sqlite' ? 'drop trigger refuse_feed_fail' : 'drop trigger refuse_feed_fail on appeal',
    );
    expect(await pullGovLine(feed.deps)).toMatchObject({
      outcome: 'succeeded',
      counts: { created: 1, replayed: 1, rejected: 0 },
    });
    expect(await stored('FEED-FAIL')).toBe(1);
    expect(await cursor()).toBe('f1');
  });

  it("logs a refused message by its index, id, field and code, never with the citizen's data", async () => {
    await resetCursor();
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const bad = uccHeader({ id: 'FEED-BADPHONE', phone: '+380 67 12-34 дзвонити ввечері' });
    const feed = feedOf({
      '': `<?xml version="1.0" encoding="UTF-8"?><AppealBatch cursor="p1">${bad}</AppealBatch>`,
    });
    const run = await pullGovLine({ ...feed.deps, log });
    expect(run).toMatchObject({ outcome: 'succeeded', counts: { rejected: 1 } });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      msg: 'UCC feed: message rejected',
      rejection: { index: 0, externalId: 'FEED-BADPHONE', code: 'INVALID_PHONE' },
    });
    expect(lines[0]).not.toContain('дзвонити');
    expect(lines[0]).not.toContain('12-34');
  });

  it('asks for fewer messages when a page is over the size cap, and takes them all', async () => {
    await resetCursor();
    const messages = ['FEED-S-1', 'FEED-S-2', 'FEED-S-3', 'FEED-S-4', 'FEED-S-5'].map((id, i) =>
      uccHeader({ id, phone: `+38063555000${i}` }),
    );
    const pageOf = (from: number, limit: number) => {
      const part = messages.slice(from, from + limit);
      return `<?xml version="1.0" encoding="UTF-8"?><AppealBatch cursor="${from + part.length}">${part.join('')}</AppealBatch>`;
    };
    const limits: number[] = [];
    const fetch = (async (url: URL) => {
      const limit = Number(url.searchParams.get('limit'));
      limits.push(limit);
      return new Response(pageOf(Number(url.searchParams.get('after') ?? 0), limit), { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    // Two messages fit a page, three do not.
    const maxBytes = Buffer.byteLength(pageOf(0, 2)) + 100;
    const deps = { orm: gw.orm, log: createLogger('silent'), now: () => NOW, pageSize: 8 };
    const run = await pullGovLine({
      ...deps,
      feed: { feedUrl: 'http://ucc.test/feed', token: null, fetch, maxBytes },
    });
    expect(run).toMatchObject({ outcome: 'succeeded', counts: { created: 5, shrunk: 2 } });
    expect(limits).toEqual([8, 4, 2, 2, 2, 2]);
    expect(await cursor()).toBe('5');
    // One message alone over the cap: the run fails and says so; the cursor stays before it.
    messages.push(uccHeader({ id: 'FEED-S-HUGE', phone: '+380635550099', annotation: 'Ж'.repeat(4_000) }));
    const stuck = await pullGovLine({
      ...deps,
      feed: { feedUrl: 'http://ucc.test/feed', token: null, fetch, maxBytes },
    });
    expect(stuck.outcome).toBe('failed');
    expect(stuck.error).toContain('alone exceeds the page cap');
    expect(await cursor()).toBe('5');
  });

  it('fails the run on a page that cannot be read, saying so, and keeps the cursor', async () => {
    await resetCursor();
    const broken = uccHeader({ id: 'FEED-BROKEN', phone: '+380635550100' }).replace(
      '</Document>',
      '</Documnt>',
    );
    const run = await pullGovLine(feedOf({ '': `<?xml version="1.0" encoding="UTF-8"?>${broken}` }).deps);
    expect(run.outcome).toBe('failed');
    expect(run.error).toMatch(/^UCC feed page is unreadable: XML_MALFORMED: /);
    expect(await cursor()).toBeNull();
  });

  it('refuses a page over the size cap, storing nothing of it', async () => {
    await resetCursor();
    const feed = feedOf({ '': page('<AppealBatch cursor="big">', 'FEED-BIG-1') }, 500);
    const run = await pullGovLine(feed.deps);
    expect(run.outcome).toBe('failed');
    expect(run.error).toContain('exceeds 500 bytes');
    expect(run.error).toContain('alone exceeds the page cap');
    expect(await stored('FEED-BIG-1')).toBe(0);
    expect(await cursor()).toBeNull();
  });
});
