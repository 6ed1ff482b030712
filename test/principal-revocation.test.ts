/**
 * A token revoked or replaced by another process — `gateway token revoke`, a second gateway on the
 * same database — is refused by this one after its next principal poll, not only when the cached
 * entry expires. Two ORMs on one database stand for the two processes; the test drives the poll.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrincipal, ensureAdminToken, revokePrincipal } from '../src/access/tokens.js';
import { Principal } from '../src/db/entities/index.js';
import { migrate, type Orm, openOrm } from '../src/db/orm.js';
import { createApp } from '../src/http/app.js';
import { PrincipalCache } from '../src/http/principal-cache.js';
import { createLogger } from '../src/log.js';
import { describeEachDatabase } from './support/databases.js';

const OLD_ADMIN = 'old-admin-token-0123456789';
const NEW_ADMIN = 'new-admin-token-0123456789';

describeEachDatabase('token changes made by another process', (db) => {
  /** `served` holds the cache (the gateway); `other` changes principals (the CLI, another gateway). */
  let served: Orm;
  let other: Orm;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await db.create();
    drop = created.drop;
    served = await openOrm(created.target);
    await migrate(served);
    other = await openOrm(created.target);
  });
  afterAll(async () => {
    await served?.close(true);
    await other?.close(true);
    await drop?.();
  });

  /**
   * Tokens are made long before they are revoked: move every principal's last change a minute back,
   * then take the cache's baseline. (Within one millisecond a change cannot be told from the last.)
   */
  async function settled(cache: PrincipalCache): Promise<void> {
    await other.em.fork().nativeUpdate(Principal, {}, { changedAt: new Date(Date.now() - 60_000) });
    await cache.poll();
  }

  it('refuses a token revoked elsewhere after the next poll', async () => {
    const cache = new PrincipalCache({ orm: served, pollMs: 0 });
    const { token, principal } = await createPrincipal(other.em.fork(), {
      name: 'нічна зміна',
      role: 'operator',
    });
    await settled(cache);
    expect(await cache.lookup(token)).toMatchObject({ id: principal.id, role: 'operator' });

    const revoked = await revokePrincipal(other.em.fork(), { name: 'нічна зміна' });
    expect(revoked.alreadyRevoked).toBe(false);
    expect(cache.known(token)).toBeDefined(); // no event reached this process: the poll has to tell
    await cache.poll();
    expect(cache.known(token)).toBeUndefined();
    expect(await cache.lookup(token)).toBeNull();
    await cache.close();
  });

  it('stops the old admin token after the next poll when GATEWAY_ADMIN_TOKEN is replaced elsewhere', async () => {
    const cache = new PrincipalCache({ orm: served, pollMs: 0 });
    await ensureAdminToken(other.em.fork(), OLD_ADMIN);
    await settled(cache);
    expect(await cache.lookup(OLD_ADMIN)).toMatchObject({ role: 'admin' });

    expect(await ensureAdminToken(other.em.fork(), NEW_ADMIN)).toBe('replaced');
    expect(cache.known(OLD_ADMIN)).toBeDefined();
    await cache.poll();
    expect(await cache.lookup(OLD_ADMIN)).toBeNull();
    expect(await cache.lookup(NEW_ADMIN)).toMatchObject({ role: 'admin' });
    await cache.close();
  });

  it('forgets a principal deleted elsewhere after the next poll (the count changes, not the latest change)', async () => {
    const cache = new PrincipalCache({ orm: served, pollMs: 0 });
    const { token, principal } = await createPrincipal(other.em.fork(), {
      name: 'тимчасовий',
      role: 'auditor',
    });
    await settled(cache);
    await cache.lookup(token);
    await other.em.fork().nativeDelete(Principal, { id: principal.id });
    await cache.poll();
    expect(await cache.lookup(token)).toBeNull();
    await cache.close();
  });

  it('over HTTP: 200, revoked by another process, 401 INVALID_TOKEN after one poll', async () => {
    const cache = new PrincipalCache({ orm: served, pollMs: 0 });
    const app = createApp({ orm: served, log: createLogger('silent'), production: true, principals: cache });
    const { token, principal } = await createPrincipal(other.em.fork(), {
      name: 'оператор 7',
      role: 'operator',
    });
    await settled(cache);
    const ask = () =>
      app.request('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ agencies { code } }' }),
      });

    expect((await ask()).status).toBe(200);
    await revokePrincipal(other.em.fork(), { id: principal.id });
    await cache.poll();
    const refused = await ask();
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'INVALID_TOKEN' });
    await cache.close();
  });
});
