import { Migration } from '@mikro-orm/migrations';
import { expect, it } from 'vitest';
import { Agency, Appeal } from '../src/db/entities/index.js';
import { postgresqlMigrations } from '../src/db/migrations/postgresql/index.js';
import { sqliteMigrations } from '../src/db/migrations/sqlite/index.js';
import { migrate, type Orm, openOrm } from '../src/db/orm.js';
import { loadSeed } from '../src/seed/load-seed.js';
import { ZAPORIZHZHIA_AGENCIES } from '../src/seed/zaporizhzhia.js';
import { storeAppeals } from './support/appeals.js';
import { describeEachDatabase, type TestDatabase } from './support/databases.js';

class CreatesThenFails extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table half_done (id integer primary key)');
    this.addSql('insert into agency (id) values (null)'); // violates NOT NULL: the migration fails here
  }
}

async function tables(orm: Orm): Promise<string[]> {
  const conn = orm.em.getConnection();
  const rows: { name: string }[] =
    dialectOf(orm) === 'sqlite'
      ? await conn.execute("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      : await conn.execute(
          "select table_name as name from information_schema.tables where table_schema = 'public'",
        );
  return rows.map((r) => r.name).sort();
}

/** Every entity's columns exist in the migrated database, and no table has columns the entities lack. */
async function columnDrift(orm: Orm): Promise<string[]> {
  const conn = orm.em.getConnection();
  const problems: string[] = [];
  for (const meta of Object.values(orm.getMetadata().getAll())) {
    if (meta.embeddable || meta.virtual) continue;
    const expected = new Set(Object.values(meta.properties).flatMap((p) => p.fieldNames ?? []));
    const rows: { name: string }[] =
      dialectOf(orm) === 'sqlite'
        ? await conn.execute(`select name from pragma_table_info('${meta.tableName}')`)
        : await conn.execute(
            `select column_name as name from information_schema.columns where table_name = '${meta.tableName}'`,
          );
    const actual = new Set(rows.map((r) => r.name));
    // Kept by SQLite's triggers for the inbox counts, outside the entities on purpose (migration 20261129070000).
    if (dialectOf(orm) === 'sqlite' && meta.tableName === 'assignment') actual.delete('appeal_status');
    for (const c of expected) if (!actual.has(c)) problems.push(`${meta.tableName}.${c} missing`);
    for (const c of actual) if (!expected.has(c)) problems.push(`${meta.tableName}.${c} not in the entity`);
  }
  return problems;
}

const dialectOf = (orm: Orm) =>
  orm.em.getPlatform().constructor.name.startsWith('Sqlite') ? 'sqlite' : 'postgresql';

const withOrm = async (
  target: TestDatabase,
  work: (orm: Orm, reopen: (list?: unknown[]) => Promise<Orm>) => Promise<void>,
) => {
  const created = await target.create();
  const opened: Orm[] = [];
  const reopen = async (list?: unknown[]) => {
    const orm = await openOrm(created.target, list ? { migrationsList: list as never } : {});
    opened.push(orm);
    return orm;
  };
  try {
    await work(await reopen(), reopen);
  } finally {
    for (const orm of opened) await orm.close(true);
    await created.drop();
  }
};

describeEachDatabase('migrations', (db) => {
  const checkedIn = db.label === 'sqlite' ? sqliteMigrations : postgresqlMigrations;

  it('bring an empty database to exactly the schema the entities describe, once', async () => {
    await withOrm(db, async (orm) => {
      expect(await migrate(orm)).toEqual(checkedIn.map((m) => m.name));
      expect(await migrate(orm)).toEqual([]);
      expect(await columnDrift(orm)).toEqual([]);
      if (db.label === 'postgresql') {
        // MikroORM's SQLite introspection cannot read enum CHECK constraints back and always proposes
        // table rebuilds; PostgreSQL's is exact, so there the full diff must be empty.
        expect((await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
      }
      expect(await tables(orm)).toEqual(
        expect.arrayContaining([
          'agency',
          'appeal',
          'applicant',
          'assignment',
          'audit_entry',
          'job_run',
          'principal',
          'status_event',
        ]),
      );
      if (db.label === 'sqlite') {
        // What keeps a body's inbox totals right (a table rebuild would silently drop them).
        const triggers = await orm.em
          .getConnection()
          .execute<{ name: string }[]>("select name from sqlite_master where type = 'trigger' order by name");
        expect(triggers.map((t) => t.name)).toEqual([
          'appeal_status_to_assignments',
          'assignment_appeal_status_insert',
          'assignment_appeal_status_move',
          'assignment_count_delete',
          'assignment_count_insert',
          'assignment_count_update',
        ]);
      }
    });
  });

  it('leave an empty database empty when one of the pending migrations fails', async () => {
    await withOrm(db, async (_orm, reopen) => {
      const broken = await reopen([
        ...checkedIn,
        { name: 'Migration99990101000000', class: CreatesThenFails },
      ]);
      await expect(migrate(broken)).rejects.toThrow();
      const after = await tables(broken);
      expect(after.filter((t) => t !== 'mikro_orm_migrations')).toEqual([]);
    });
  });

  it('take a new migration into a live database that has planner statistics', async () => {
    await withOrm(db, async (_, reopen) => {
      // The release before: every migration but the last, appeals stored, statistics gathered.
      const before = await reopen(checkedIn.slice(0, -1));
      await migrate(before);
      await loadSeed(before.em.fork(), ZAPORIZHZHIA_AGENCIES);
      await storeAppeals(before.em.fork(), [{ receivedAt: '2026-11-20T09:00:00+02:00' }]);
      await before.em.getConnection().execute('analyze');
      const upgraded = await reopen();
      expect(await migrate(upgraded)).toEqual([checkedIn.at(-1)?.name]);
      expect(await columnDrift(upgraded)).toEqual([]);
      expect(await upgraded.em.fork().count(Appeal)).toBe(1);
    });
  });

  it('leave a live database and its data as they were when a new migration fails', async () => {
    await withOrm(db, async (orm, reopen) => {
      await migrate(orm);
      await loadSeed(orm.em.fork(), ZAPORIZHZHIA_AGENCIES);
      const before = await tables(orm);
      const broken = await reopen([
        ...checkedIn,
        { name: 'Migration99990101000000', class: CreatesThenFails },
      ]);
      await expect(migrate(broken)).rejects.toThrow();
      expect(await tables(broken)).toEqual(before);
      expect(await broken.em.fork().count(Agency)).toBe(ZAPORIZHZHIA_AGENCIES.length);
      const executed = await broken.getMigrator().getExecutedMigrations();
      expect(executed.map((m) => m.name)).toEqual(checkedIn.map((m) => m.name));
    });
  });
});

describeEachDatabase('the SQLite connection', (db) => {
  it.runIf(db.label === 'sqlite')(
    'runs in WAL with a 64 MiB page cache, in-memory temp files and foreign keys',
    async () => {
      await withOrm(db, async (orm) => {
        const conn = orm.em.getConnection();
        const pragma = async (name: string) =>
          Object.values(((await conn.execute(`pragma ${name}`)) as Record<string, unknown>[])[0] ?? {})[0];
        expect(await pragma('journal_mode')).toBe('wal');
        expect(await pragma('synchronous')).toBe(1); // NORMAL
        expect(await pragma('foreign_keys')).toBe(1);
        expect(await pragma('cache_size')).toBe(-65536);
        expect(await pragma('temp_store')).toBe(2); // MEMORY
        expect(await pragma('wal_autocheckpoint')).toBe(4096);
      });
    },
  );

  it.runIf(db.label === 'sqlite')(
    'gathers planner statistics at the next start once appeals exist, when the database was analysed empty',
    async () => {
      await withOrm(db, async (orm, reopen) => {
        await migrate(orm); // a fresh install: analysed while every table is empty
        const appealStats = async (o: Orm) =>
          (
            await o.em
              .getConnection()
              .execute<{ n: number }[]>("select count(*) as n from sqlite_stat1 where tbl = 'appeal'")
          )[0]?.n;
        expect(await appealStats(orm)).toBe(0);
        await loadSeed(orm.em.fork(), ZAPORIZHZHIA_AGENCIES);
        await storeAppeals(
          orm.em.fork(),
          ['2026-11-20T09:00:00+02:00', '2026-11-21T09:00:00+02:00'].map((receivedAt) => ({ receivedAt })),
        );
        const restarted = await reopen();
        expect(await migrate(restarted)).toEqual([]);
        expect(await appealStats(restarted)).toBeGreaterThan(0);
      });
    },
  );
});
