/**
 * The API's own read connection to a SQLite file (src/db/reader.ts): a body's inbox answers while a
 * write transaction holds the ORM's one connection (and does not see what it has not committed), the
 * reads plan with the statistics the nightly ANALYZE refreshed, and the connection is gone for good
 * when the ORM closes.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import sqlite3 from 'sqlite3';
import { afterEach, expect, it } from 'vitest';
import { createPrincipal } from '../src/access/tokens.js';
import { refreshStatistics } from '../src/db/orm.js';
import { sqlReader } from '../src/db/reader.js';
import { storeAppeals } from './support/appeals.js';
import { databases } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const sqlite = databases().find((d) => d.label === 'sqlite');
if (!sqlite) throw new Error('SQLite is always tested');

let gw: TestGateway | null = null;
afterEach(async () => {
  await gw?.close().catch(() => {});
  gw = null;
});

/** This process's open files under `path` (the database, its -wal and -shm). */
const openFiles = (path: string) =>
  readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(path) ? [target] : [];
    } catch {
      return [];
    }
  });

it('answers a body’s inbox while a write transaction is open, without what it has not committed', async () => {
  gw = await startTestGateway(sqlite);
  const token = (
    await createPrincipal(gw.orm.em.fork(), { name: 'УСЗН', role: 'agency', agencyCode: '99923101' })
  ).token;
  await storeAppeals(gw.orm.em.fork(), [
    {
      externalId: 'RC-COMMITTED',
      receivedAt: '2026-11-20T09:00:00+02:00',
      assignedTo: [['99923101', 'responsible']],
    },
  ]);
  const inbox = `{ appeals(first: 10) { totalCount edges { node {
    externalId summary assignments { role agency { code } } lastChange { state }
  } } } }`;
  type Inbox = { appeals: { totalCount: number; edges: { node: { externalId: string } }[] } };
  const before = await gw.gql<Inbox>(inbox, {}, token); // the token is cached from here on
  expect(before.body.data?.appeals.edges.map((e) => e.node.externalId)).toEqual(['RC-COMMITTED']);
  // A long write (an intake batch, a job) holds the ORM's one connection; the inbox is asked meanwhile.
  const gateway = gw;
  const answered = await gw.orm.em.fork().transactional(async (tx) => {
    await storeAppeals(tx, [
      {
        externalId: 'RC-UNCOMMITTED',
        receivedAt: '2026-11-21T09:00:00+02:00',
        assignedTo: [['99923101', 'responsible']],
      },
    ]);
    await tx.flush();
    // Still inside the transaction: had the read waited for the ORM's connection, this never returned.
    return gateway.gql<Inbox>(inbox, {}, token);
  });
  expect(answered?.body.errors).toBeUndefined();
  expect(answered?.body.data?.appeals.edges.map((e) => e.node.externalId)).toEqual(['RC-COMMITTED']);
  expect(answered?.body.data?.appeals.totalCount).toBe(1);
  // Committed, it is there.
  const after = await gw.gql<Inbox>(inbox, {}, token);
  expect(after.body.data?.appeals.edges.map((e) => e.node.externalId)).toEqual([
    'RC-UNCOMMITTED',
    'RC-COMMITTED',
  ]);
}, 15_000);

it('plans a body’s inbox with the statistics the nightly ANALYZE refreshed', async () => {
  gw = await startTestGateway(sqlite);
  const token = (
    await createPrincipal(gw.orm.em.fork(), { name: 'УСЗН', role: 'agency', agencyCode: '99923101' })
  ).token;
  // The gateway serves: the read connection opens with the statistics of an empty database.
  expect((await gw.gql('{ appeals(first: 5) { totalCount } }', {}, token)).body.errors).toBeUndefined();
  // 20,000 appeals arrive, one in 500 for this body; the nightly reconcile runs ANALYZE.
  const conn = gw.orm.em.getConnection();
  const [mine] = await conn.execute<{ id: string }[]>(`select id from agency where code = '99923101'`);
  const [other] = await conn.execute<{ id: string }[]>(`select id from agency where code = '99923102'`);
  await conn.execute(`with recursive c(i) as (select 1 union all select i + 1 from c where i < 20000)
    insert into appeal (id, source, external_id, received_at, kind, subject, receipt_sign, topic_code, summary,
      priority, urgent, status, due_at, flags, origin, created_at, updated_at, version)
    select printf('00000000-0000-4000-8000-%012d', i), 'regional_hotline', 'RC-' || i, 1700000000000 + i * 1000,
      'application', 'individual', 'primary', '006.02', 'Прошу роз’яснити', 0, 0, 'routed', 1800000000000, '[]', '{}', 0, 0, 1
    from c`);
  await conn.execute(
    `insert into assignment (id, appeal_id, agency_id, role, status, created_at, updated_at)
     select printf('10000000-0000-4000-8000-%012d', rowid), id, case when rowid % 500 = 0 then ? else ? end,
       'responsible', 'routed', 0, 0 from appeal`,
    [mine?.id, other?.id],
  );
  await refreshStatistics(gw.orm.em.fork());
  const plan = `explain query plan select a.id from appeal a
    where exists (select 1 from assignment own where own.appeal_id = a.id and own.agency_id = ?)
      and a.status in ('routed', 'sent') and a.topic_code like '006%'
    order by a.received_at desc, a.id desc limit 21`;
  const viaReader = await sqlReader(gw.orm.em.fork()).all<{ detail: string }>(plan, [mine?.id]);
  const fresh = await new Promise<{ detail: string }[]>((resolve, reject) => {
    const db = new sqlite3.Database(String(gw?.orm.config.get('dbName')), sqlite3.OPEN_READONLY, (e) => {
      if (e) return reject(e);
      db.all(plan, [mine?.id], (err, rows) => {
        db.close();
        if (err) reject(err);
        else resolve(rows as { detail: string }[]);
      });
    });
  });
  expect(viaReader.map((r) => r.detail)).toEqual(fresh.map((r) => r.detail));
});

it('reads nothing more and holds no file once the ORM has closed', async () => {
  gw = await startTestGateway(sqlite);
  const path = String(gw.orm.config.get('dbName'));
  // A request that is still running holds the reader when the server shuts down.
  const reader = sqlReader(gw.orm.em.fork());
  expect(await reader.all('select count(*) as n from appeal', [])).toEqual([{ n: 0 }]);
  await gw.orm.close(true);
  await expect(reader.all('select count(*) as n from appeal', [])).rejects.toThrow(
    'the read connection is closed',
  );
  // Nor does one that asks for the reader only now (a request or job still finishing).
  await expect(sqlReader(gw.orm.em.fork()).all('select count(*) as n from appeal', [])).rejects.toThrow(
    'the read connection is closed',
  );
  expect(openFiles(path)).toEqual([]);
  gw = null;
});
