import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createPrincipal,
  ensureAdminToken,
  findPrincipalByToken,
  listPrincipals,
  revokePrincipal,
} from '../src/access/tokens.js';
import { Principal } from '../src/db/entities/index.js';
import { describeEachDatabase } from './support/databases.js';
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from './support/gateway.js';
import { inListOrder } from './support/principals.js';

describeEachDatabase('revoking and listing tokens', (db) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(db);
  });
  afterAll(() => gw.close());
  const em = () => gw.orm.em.fork();

  it('lists every principal with its body, creation and revocation, and never a hash', async () => {
    const { principal } = await createPrincipal(em(), {
      name: 'ДСЗН',
      role: 'agency',
      agencyCode: '99923101',
    });
    const rows = await listPrincipals(em());
    expect(rows.map((r) => r.name)).toEqual(['bootstrap-admin', 'ДСЗН']);
    expect(rows[1]).toEqual({
      id: principal.id,
      name: 'ДСЗН',
      role: 'agency',
      agencyCode: '99923101',
      createdAt: expect.any(Date),
      revokedAt: null,
    });
    expect(rows[0]).toMatchObject({ role: 'admin', agencyCode: null });
    expect(JSON.stringify(rows)).not.toContain(principal.tokenHash);
  });

  it('revokes by id once; a second time is reported, keeping the first revocation time', async () => {
    const { token, principal } = await createPrincipal(em(), { name: 'зміна А', role: 'operator' });
    const at = new Date('2026-11-28T10:00:00Z');
    const before = new Date('2020-01-01T00:00:00Z');
    await em().nativeUpdate(Principal, { id: principal.id }, { changedAt: before });
    const first = await revokePrincipal(em(), { id: principal.id }, at);
    expect(first).toEqual({
      alreadyRevoked: false,
      principal: expect.objectContaining({ id: principal.id, name: 'зміна А', revokedAt: at }),
    });
    expect(await findPrincipalByToken(em(), token)).toBeNull();
    const stored = await em().findOneOrFail(Principal, principal.id);
    expect(stored.changedAt.getTime()).toBeGreaterThan(before.getTime()); // what other processes poll

    const again = await revokePrincipal(em(), { id: principal.id.toUpperCase() }, new Date());
    expect(again).toEqual({ alreadyRevoked: true, principal: expect.objectContaining({ revokedAt: at }) });
    expect((await em().findOneOrFail(Principal, principal.id)).changedAt).toEqual(stored.changedAt);
  });

  it('revokes by a name only one principal has, and refuses a name several have, listing their ids', async () => {
    const { token: only } = await createPrincipal(em(), { name: 'інтеграція', role: 'integration' });
    expect(await revokePrincipal(em(), { name: ' інтеграція ' })).toMatchObject({ alreadyRevoked: false });
    expect(await findPrincipalByToken(em(), only)).toBeNull();

    const a = await createPrincipal(em(), { name: 'аудитор', role: 'auditor' });
    const b = await createPrincipal(em(), { name: 'аудитор', role: 'auditor' });
    const refusal = revokePrincipal(em(), { name: 'аудитор' });
    await expect(refusal).rejects.toMatchObject({ code: 'PRINCIPAL_NAME_AMBIGUOUS', path: 'name' });
    const ids = inListOrder(a.principal, b.principal).map((p) => p.id);
    await expect(refusal).rejects.toThrow(`${ids.join(', ')}; revoke one with --id`);
    expect(await findPrincipalByToken(em(), a.token)).not.toBeNull();
    expect(await findPrincipalByToken(em(), b.token)).not.toBeNull();
  });

  it('refuses an unknown principal and a request naming none or both', async () => {
    await expect(revokePrincipal(em(), { id: '019a0000-0000-7000-8000-000000000000' })).rejects.toMatchObject(
      { code: 'PRINCIPAL_NOT_FOUND', path: 'id' },
    );
    await expect(revokePrincipal(em(), { id: 'not-a-uuid' })).rejects.toMatchObject({
      code: 'PRINCIPAL_NOT_FOUND',
    });
    await expect(revokePrincipal(em(), { name: 'нікого' })).rejects.toMatchObject({
      code: 'PRINCIPAL_NOT_FOUND',
      path: 'name',
      message: 'no principal named "нікого" (gateway token list shows them)',
    });
    await expect(revokePrincipal(em(), {})).rejects.toMatchObject({ code: 'REVOKE_TARGET_REQUIRED' });
    await expect(revokePrincipal(em(), { id: 'x', name: 'y' })).rejects.toMatchObject({
      code: 'REVOKE_TARGET_REQUIRED',
    });
  });

  it('keeps a revoked admin token revoked when the server starts again with the same value', async () => {
    expect(await ensureAdminToken(em(), ADMIN_TOKEN)).toBe('unchanged');
    await revokePrincipal(em(), { name: 'bootstrap-admin' });
    expect(await ensureAdminToken(em(), ADMIN_TOKEN)).toBe('revoked');
    expect(await findPrincipalByToken(em(), ADMIN_TOKEN)).toBeNull();
    const next = 'next-admin-token-0123456789';
    expect(await ensureAdminToken(em(), next)).toBe('replaced');
    expect(await findPrincipalByToken(em(), next)).toMatchObject({ role: 'admin' });
  });
});
