import { expect, it } from 'vitest';
import { Principal } from '../src/db/entities/index.js';
import { postgresqlMigrations } from '../src/db/migrations/postgresql/index.js';
import { sqliteMigrations } from '../src/db/migrations/sqlite/index.js';
import { migrate, openOrm } from '../src/db/orm.js';
import { describeEachDatabase } from './support/databases.js';

const ADDED_IN = 'Migration20261129064124';

describeEachDatabase('the principal.changed_at migration', (db) => {
  it('keeps every principal of a live database and gives each its creation time as its last change', async () => {
    const all = db.label === 'sqlite' ? sqliteMigrations : postgresqlMigrations;
    const at = all.findIndex((m) => m.name === ADDED_IN);
    expect(at).toBeGreaterThan(0);
    const created = await db.create();
    try {
      const old = await openOrm(created.target, { migrationsList: all.slice(0, at) });
      const createdAt = new Date('2026-01-15T08:30:00.123Z');
      try {
        await migrate(old);
        // The entity has the new column already: write the row as the old schema had it.
        await old.em
          .getConnection()
          .execute(
            'insert into principal (id, name, role, agency_id, token_hash, created_at, revoked_at) values (?, ?, ?, null, ?, ?, null)',
            [
              '019a0000-0000-7000-8000-000000000001',
              'старий токен',
              'operator',
              'a'.repeat(64),
              db.label === 'sqlite' ? createdAt.getTime() : createdAt.toISOString(),
            ],
          );
      } finally {
        await old.close(true);
      }

      const orm = await openOrm(created.target);
      try {
        expect(await migrate(orm)).toEqual(all.slice(at).map((m) => m.name));
        const [row, ...rest] = await orm.em.fork().find(Principal, {});
        expect(rest).toEqual([]);
        expect(row).toMatchObject({
          name: 'старий токен',
          role: 'operator',
          createdAt,
          changedAt: createdAt,
        });
      } finally {
        await orm.close(true);
      }
    } finally {
      await created.drop();
    }
  });
});
