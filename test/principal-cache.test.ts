import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrincipal } from '../src/access/tokens.js';
import { Principal } from '../src/db/entities/index.js';
import { PrincipalCache } from '../src/http/principal-cache.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

describeEachDatabase('the principal cache', (db) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(db);
  });
  afterAll(() => gw.close());

  it('answers a known token at once until its time is up, a revocation or a clear', async () => {
    let now = 1_000_000;
    const cache = new PrincipalCache({ orm: gw.orm, ttlMs: 10_000, clock: () => now });
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
    const cache = new PrincipalCache({ orm: gw.orm });
    expect(await cache.lookup('gw_no-such-token')).toBeNull();
    expect(cache.known('gw_no-such-token')).toBeUndefined();
  });
});
