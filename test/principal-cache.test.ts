import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { createPrincipal } from '../src/access/tokens.js';
import { Principal } from '../src/db/entities/index.js';
import { PrincipalCache } from '../src/http/principal-cache.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const CHANGES = /max\(changed_at\)/;

describeEachDatabase('the principal cache', (db) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(db);
  });
  afterAll(() => gw.close());
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('answers a known token at once until its time is up, a revocation or a clear', async () => {
    let now = 1_000_000;
    const cache = new PrincipalCache({ orm: gw.orm, ttlMs: 10_000, clock: () => now, pollMs: 0 });
    const { token, principal } = await createPrincipal(gw.orm.em.fork(), {
      name: 'ДСЗН',
      role: 'agency',
      agencyCode: '99923101',
    });
    expect(cache.known(token)).toBeUndefined(); // never asked yet
    expect(await cache.lookup(token)).toMatchObject({ id: principal.id, agencyCode: '99923101' });
    expect(cache.known(token)).toMatchObject({ id: principal.id, role: 'agency' });
    now += 10_001;
    expect(cache.known(token)).toBeUndefined(); // expired: the next request asks the database
    await cache.lookup(token);
    expect(cache.known(token)).toBeDefined();
    cache.clear();
    expect(cache.known(token)).toBeUndefined();

    await cache.lookup(token);
    const em = gw.orm.em.fork();
    const stored = await em.findOneOrFail(Principal, principal.id);
    stored.revokedAt = new Date();
    await em.flush(); // a change to any principal forgets the cached ones
    expect(cache.known(token)).toBeUndefined();
    expect(await cache.lookup(token)).toBeNull();
    expect(cache.known(token)).toBeUndefined();
  });

  it('never knows a token the database does not', async () => {
    const cache = new PrincipalCache({ orm: gw.orm, pollMs: 0 });
    expect(await cache.lookup('gw_no-such-token')).toBeNull();
    expect(cache.known('gw_no-such-token')).toBeUndefined();
  });

  it('forgets every token when a poll sees a change no subscriber saw (a native update)', async () => {
    const cache = new PrincipalCache({ orm: gw.orm, pollMs: 0 });
    const { token, principal } = await createPrincipal(gw.orm.em.fork(), { name: 'ops', role: 'operator' });
    await cache.poll(); // the baseline
    await cache.lookup(token);
    await cache.poll(); // nothing changed: the token stays known
    expect(cache.known(token)).toMatchObject({ id: principal.id });
    await gw.orm.em
      .fork()
      .nativeUpdate(Principal, { id: principal.id }, { changedAt: new Date(Date.now() + 60_000) });
    expect(cache.known(token)).toBeDefined(); // no ORM event: only the poll can tell
    await cache.poll();
    expect(cache.known(token)).toBeUndefined();
  });

  it('polls on an unref’d timer that never overlaps itself and stops on close', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const setInterval = vi.spyOn(globalThis, 'setInterval');
    const execute = vi.spyOn(gw.orm.em.getConnection(), 'execute');
    const polls = () => execute.mock.calls.filter(([sql]) => CHANGES.test(String(sql))).length;

    const cache = new PrincipalCache({ orm: gw.orm, pollMs: 1_000 });
    expect(vi.getTimerCount()).toBe(1);
    const timer = setInterval.mock.results[0]?.value as NodeJS.Timeout | undefined;
    expect(timer?.hasRef()).toBe(false);
    expect(polls()).toBe(1); // the baseline, asked at once
    vi.advanceTimersByTime(3_000); // three ticks while that poll is still waiting for the database
    expect(polls()).toBe(1);
    await cache.poll(); // joins the poll under way
    expect(polls()).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(polls()).toBe(2);

    await cache.close(); // waits for the poll under way
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10_000);
    await cache.poll(); // a closed cache asks nothing
    expect(polls()).toBe(2);
  });

  it('logs a failing poll, keeps serving, and compares the next answer with the last good one', async () => {
    const warnings: { msg?: string }[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) });
    const cache = new PrincipalCache({ orm: gw.orm, pollMs: 0, log });
    const { token, principal } = await createPrincipal(gw.orm.em.fork(), { name: 'ops 2', role: 'operator' });
    await cache.poll();
    await cache.lookup(token);

    const conn = gw.orm.em.getConnection();
    await conn.execute('alter table principal rename to principal_away');
    try {
      await expect(cache.poll()).resolves.toBeUndefined();
    } finally {
      await conn.execute('alter table principal_away rename to principal');
    }
    expect(warnings).toEqual([expect.objectContaining({ msg: expect.stringContaining('poll failed') })]);
    expect(cache.known(token)).toMatchObject({ id: principal.id }); // still served from the cache

    await cache.poll(); // the same answer as before the failure: nothing to forget
    expect(cache.known(token)).toBeDefined();
    await gw.orm.em
      .fork()
      .nativeUpdate(Principal, { id: principal.id }, { changedAt: new Date(Date.now() + 120_000) });
    await cache.poll();
    expect(cache.known(token)).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });
});
