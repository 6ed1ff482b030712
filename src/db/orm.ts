import { resolve } from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/core';
import type { AbstractSqlDriver, EntityManager } from '@mikro-orm/knex';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver } from '@mikro-orm/sqlite';
import { type DatabaseTarget, redactDatabaseUrl } from './database-url.js';
import * as entities from './entities/index.js';
import { postgresqlMigrations } from './migrations/postgresql/index.js';
import { sqliteMigrations } from './migrations/sqlite/index.js';
import { closeReader, refreshReadConnection } from './reader.js';

/**
 * Settings of the one SQLite connection. Besides WAL, synchronous=NORMAL (no fsync per commit; the
 * WAL is synced at each checkpoint, so a power loss can undo the commits since the last checkpoint,
 * never corrupt the file), the busy timeout and foreign keys:
 * - cache_size: 64 MiB of page cache instead of SQLite's 2 MiB. A 500-appeal intake chunk dirties
 *   more pages than 2 MiB hold, so SQLite spilled them to the WAL in the middle of the transaction
 *   and wrote them again at commit; reads of a large database (a body's inbox) hit the cache too.
 *   One connection per process, so about 64 MiB per gateway (and per CLI command while it runs).
 * - temp_store=MEMORY: the statement journal of a multi-row INSERT (kept so that one failing
 *   statement can be undone alone) stays in memory instead of a temporary file.
 * - wal_autocheckpoint: the WAL is copied back into the database every 4,096 pages (16 MiB) instead
 *   of every 1,000: index pages that every chunk touches are copied once per checkpoint rather than
 *   once per chunk. Larger intervals measured a little faster still, but each checkpoint stalls the
 *   one connection longer and leaves more unsynced commits exposed to a power loss. The WAL file is
 *   truncated back to 16 MiB after a checkpoint (journal_size_limit).
 * Measured on the intake's insert path (10,000 appeals, perf showed cache spills, temp-file statement
 * journals and per-chunk checkpoints): about 3,900 → 4,500 appeals/s median.
 */
const SQLITE_PRAGMAS = [
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = NORMAL',
  'PRAGMA busy_timeout = 5000',
  'PRAGMA foreign_keys = ON',
  'PRAGMA cache_size = -65536',
  'PRAGMA temp_store = MEMORY',
  'PRAGMA wal_autocheckpoint = 4096',
  'PRAGMA journal_size_limit = 16777216',
].join('; ');

export type Orm = MikroORM<AbstractSqlDriver>;

/** Every entity the index exports: a new one cannot be forgotten here. */
export const ENTITIES = Object.values(entities);

export interface OrmOptions {
  /** Receives every SQL statement MikroORM logs (debug level). */
  onQuery?: (message: string) => void;
  /** Replace the checked-in migrations (tests of the migrator use this). */
  migrationsList?: NonNullable<Options['migrations']>['migrationsList'];
  /**
   * Keep the schema snapshot that new migrations are diffed against: for `npm run db:migration` only.
   * When set, MikroORM reads the whole schema back after running migrations, and on SQLite that read
   * fails on ANALYZE's untyped `sqlite_stat1` table: every database that had been analysed (all of
   * them, after their first start) could not take a new migration.
   */
  snapshot?: boolean;
}

/** MikroORM options for either database: the same entities, the dialect's own migrations. */
export function ormOptions(target: DatabaseTarget, opts: OrmOptions = {}): Options {
  const common: Options = {
    entities: ENTITIES,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: true },
    debug: opts.onQuery ? ['query'] : false,
    // A reference to an appeal a body may not see stays a bare reference (resolved through the scoped
    // EntityManager, it is null) instead of costing a join per relation on every query.
    autoJoinRefsForFilters: false,
    logger: opts.onQuery ?? (() => {}),
  };
  if (target.kind === 'sqlite') {
    return {
      ...common,
      driver: SqliteDriver,
      dbName: target.path,
      pool: {
        // One connection: SQLite has one writer. WAL lets readers go on while it writes.
        afterCreate: (conn: SqliteRawConnection, done: (err: Error | null, conn: unknown) => void) => {
          conn.exec(SQLITE_PRAGMAS, (err) => done(err, conn));
        },
      },
      migrations: migrationOptions('sqlite', opts.migrationsList ?? sqliteMigrations, opts.snapshot),
    };
  }
  return {
    ...common,
    driver: PostgreSqlDriver,
    clientUrl: target.url,
    dbName: target.dbName,
    pool: { min: 0, max: 10 },
    migrations: migrationOptions('postgresql', opts.migrationsList ?? postgresqlMigrations, opts.snapshot),
  };
}

interface SqliteRawConnection {
  exec(sql: string, cb: (err: Error | null) => void): void;
}

function migrationOptions(
  dialect: string,
  list: NonNullable<Options['migrations']>['migrationsList'],
  snapshot = false,
) {
  return {
    migrationsList: list,
    path: resolve(import.meta.dirname, 'migrations', dialect),
    tableName: 'mikro_orm_migrations',
    // Every pending migration runs in one transaction: a failure leaves the database as it was.
    transactional: true,
    allOrNothing: true,
    // New migrations diff the entities against this committed snapshot, not against an introspected
    // database (MikroORM's SQLite introspection cannot read enum CHECKs back and would rebuild tables).
    snapshot,
    snapshotName: '.snapshot',
    emit: 'ts' as const,
  };
}

export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  readonly code = 'DATABASE_UNAVAILABLE';
  constructor(target: DatabaseTarget, reason: string) {
    const where =
      target.kind === 'sqlite' ? `SQLite file ${target.path}` : `PostgreSQL ${redactDatabaseUrl(target.url)}`;
    super(`cannot open the database (${where}): ${reason.split('\n')[0]}`);
  }
}

/** Opens the database and proves the connection works; throws with the driver's reason if not. */
export async function openOrm(target: DatabaseTarget, opts: OrmOptions = {}): Promise<Orm> {
  let orm: Orm;
  try {
    orm = (await MikroORM.init(ormOptions(target, opts))) as unknown as Orm;
  } catch (err) {
    throw new DatabaseUnavailableError(target, (err as Error).message);
  }
  const check = await orm.checkConnection();
  if (!check.ok) {
    await orm.close(true);
    throw new DatabaseUnavailableError(target, check.reason);
  }
  // The API's read connection (src/db/reader.ts), when one was opened, closes with the ORM.
  const close = orm.close.bind(orm);
  orm.close = async (force?: boolean) => {
    await closeReader(orm);
    return close(force);
  };
  return orm;
}

export async function migrate(orm: Orm): Promise<string[]> {
  const done = await orm.getMigrator().up();
  // At start-up only when there are none yet or the schema just changed; the nightly reconcile keeps
  // them fresh otherwise (a full analysis costs about 0.4 s per 100,000 appeals).
  if (done.length || !(await hasStatistics(orm))) await refreshStatistics(orm.em);
  return done.map((m) => m.name);
}

/**
 * Whether SQLite has statistics of the appeals. ANALYZE records nothing for an empty table, so a
 * database analysed right after its first migration has a statistics table but no figures for the
 * appeals it took in since: it counts as having none, and the next start analyses it. Figures taken
 * while there were only a few appeals count as present; the nightly reconcile refreshes them.
 */
async function hasStatistics(orm: Orm): Promise<boolean> {
  if (!(orm.em.getDriver() instanceof SqliteDriver)) return true;
  const conn = orm.em.getConnection();
  const table = await conn.execute<{ n: number }[]>(
    "select count(*) as n from sqlite_master where name = 'sqlite_stat1'",
  );
  if (!Number(table[0]?.n ?? 0)) return false;
  const appeals = await conn.execute<{ n: number }[]>(
    "select count(*) as n from sqlite_stat1 where tbl = 'appeal'",
  );
  return Number(appeals[0]?.n ?? 0) > 0;
}

/**
 * SQLite plans queries from table statistics it gathers only when asked (3.44's `pragma optimize`
 * does nothing on a fresh connection): without them a body's inbox walks every appeal of that status
 * instead of the newest-first index (142 ms against 3 ms for a page at 100,000 appeals). A full
 * analysis (sampling with `analysis_limit` gave worse plans): about 0.4 s per 100,000 appeals.
 * Run at start-up (when missing or after a migration) and nightly.
 * PostgreSQL's autovacuum keeps its own statistics.
 */
export async function refreshStatistics(em: {
  config: object;
  getDriver(): unknown;
  getConnection(): { execute(sql: string): Promise<unknown> };
}): Promise<void> {
  if (!(em.getDriver() instanceof SqliteDriver)) return;
  await em.getConnection().execute('analyze');
  // The API's read connection reads statistics only when it opens: it takes a fresh one.
  refreshReadConnection(em as Pick<EntityManager, 'config'>);
}
