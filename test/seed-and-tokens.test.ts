import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrincipal, ensureAdminToken, findPrincipalByToken, hashToken } from '../src/access/tokens.js';
import { Agency, Principal } from '../src/db/entities/index.js';
import { isValidKatottg } from '../src/domain/katottg.js';
import { loadSeed } from '../src/seed/load-seed.js';
import { ZAPORIZHZHIA_AGENCIES } from '../src/seed/zaporizhzhia.js';
import { describeEachDatabase } from './support/databases.js';
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from './support/gateway.js';

describeEachDatabase('seed directory and tokens', (db) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(db); // already seeded once
  });
  afterAll(() => gw.close());

  it('loads the Zaporizhzhia directory once, however often it runs', async () => {
    const again = await loadSeed(gw.orm.em.fork(), ZAPORIZHZHIA_AGENCIES);
    expect(again).toEqual({ created: 0, unchanged: ZAPORIZHZHIA_AGENCIES.length });
    const em = gw.orm.em.fork();
    expect(await em.count(Agency)).toBe(ZAPORIZHZHIA_AGENCIES.length);
    const city = await em.findOneOrFail(Agency, { code: '99923301' });
    expect(city.name).toBe('Запорізька міська рада');
    expect(city.territories).toEqual(['UA23060070010069526']);
  });

  it('keeps an operator’s change to a seeded body when the seed runs again', async () => {
    const em = gw.orm.em.fork();
    const triage = await em.findOneOrFail(Agency, { code: '99923900' });
    triage.active = false;
    await em.flush();
    await loadSeed(gw.orm.em.fork(), ZAPORIZHZHIA_AGENCIES);
    expect((await gw.orm.em.fork().findOneOrFail(Agency, { code: '99923900' })).active).toBe(false);
  });

  it('stores only the hash of a token', async () => {
    const { token } = await createPrincipal(gw.orm.em.fork(), { name: 'оператор', role: 'operator' });
    const rows = await gw.orm.em.fork().find(Principal, { name: 'оператор' });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('refuses agency principals without a known body, and bodies on other roles', async () => {
    const em = gw.orm.em.fork();
    await expect(createPrincipal(em, { name: 'x', role: 'agency' })).rejects.toMatchObject({
      code: 'AGENCY_REQUIRED',
    });
    await expect(
      createPrincipal(em, { name: 'x', role: 'agency', agencyCode: '12345678' }),
    ).rejects.toMatchObject({
      code: 'UNKNOWN_AGENCY',
    });
    await expect(
      createPrincipal(em, { name: 'x', role: 'operator', agencyCode: '99923101' }),
    ).rejects.toMatchObject({
      code: 'AGENCY_NOT_ALLOWED',
    });
  });

  it('replaces the admin token when GATEWAY_ADMIN_TOKEN changes', async () => {
    const next = 'rotated-admin-token-9876543210';
    await ensureAdminToken(gw.orm.em.fork(), next);
    expect(await findPrincipalByToken(gw.orm.em.fork(), ADMIN_TOKEN)).toBeNull();
    expect((await findPrincipalByToken(gw.orm.em.fork(), next))?.role).toBe('admin');
    expect(await gw.orm.em.fork().count(Principal, { role: 'admin' })).toBe(1);
    await ensureAdminToken(gw.orm.em.fork(), ADMIN_TOKEN);
    await expect(ensureAdminToken(gw.orm.em.fork(), 'short')).rejects.toMatchObject({
      code: 'ADMIN_TOKEN_TOO_SHORT',
    });
  });
});

it('seeds real KATOTTG codes and names every parent before its children', () => {
  const seen = new Set<string>();
  for (const a of ZAPORIZHZHIA_AGENCIES) {
    expect(a.territories.every(isValidKatottg)).toBe(true);
    if (a.parentCode) expect(seen.has(a.parentCode)).toBe(true);
    expect(a.codeIsPlaceholder).toBe(true);
    seen.add(a.code);
  }
  expect(seen.size).toBe(ZAPORIZHZHIA_AGENCIES.length);
});
