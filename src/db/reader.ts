/**
 * Plain-SQL reads for the GraphQL API's lists (a body's inbox and what its page shows): rows as the
 * database gives them, no entities. Building MikroORM entities and queries cost the inbox far more
 * than its SQL (about 25 ms a page of 50 appeals, against well under 1 ms of statements).
 *
 * On a SQLite file the reads have a connection of their own beside the ORM's one connection, opened
 * `query_only`: in WAL mode it reads the last committed state while the ORM writes, so a large intake
 * transaction does not hold up every body's inbox, and its statements do not queue behind the ORM's
 * pool of one. Elsewhere (PostgreSQL, an in-memory SQLite) they go through the ORM's knex with bindings.
 * Statements use `?` placeholders in both dialects; values are bound, never formatted into the text.
 */
import type { Logger } from '@mikro-orm/core';
import type { EntityManager, Knex } from '@mikro-orm/knex';
import { SqliteDriver } from '@mikro-orm/sqlite';
import sqlite3 from 'sqlite3';
import { sqliteValue } from './knex-query.js';
import type { Orm } from './orm.js';

export type Dialect = 'sqlite' | 'postgresql';

export interface SqlReader {
  readonly dialect: Dialect;
  /** The rows of one SELECT written with `?` placeholders. */
  all<T>(sql: string, params: readonly unknown[]): Promise<T[]>;
}

/** The read connection's own pragmas: its page cache (the ORM's connection has its own), never a write. */
const READ_PRAGMAS = [
  'PRAGMA query_only = ON',
  'PRAGMA busy_timeout = 5000',
  'PRAGMA cache_size = -32768',
  'PRAGMA temp_store = MEMORY',
].join('; ');

/** Prepared statements kept per read connection. */
const STATEMENT_CACHE = 200;

class SqliteFileReader implements SqlReader {
  readonly dialect = 'sqlite' as const;
  private db: Promise<sqlite3.Database> | null = null;
  private readonly statements = new Map<string, Promise<sqlite3.Statement>>();

  constructor(private readonly path: string) {}

  private open(): Promise<sqlite3.Database> {
    this.db ??= new Promise((resolve, reject) => {
      const db = new sqlite3.Database(this.path, sqlite3.OPEN_READWRITE, (err) => {
        if (err) return reject(err);
        db.exec(READ_PRAGMAS, (e) => (e ? reject(e) : resolve(db)));
      });
    });
    return this.db;
  }

  async all<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    const statement = await this.prepared(sql);
    return new Promise((resolve, reject) =>
      statement.all(params.map(sqliteValue), (err, rows) => (err ? reject(err) : resolve(rows as T[]))),
    );
  }

  /**
   * The statement for `sql`, prepared once and kept (the most recently used STATEMENT_CACHE of them):
   * preparing each time cost about a tenth of a small statement, and the API runs the same few shapes.
   */
  private prepared(sql: string): Promise<sqlite3.Statement> {
    let statement = this.statements.get(sql);
    if (statement) {
      this.statements.delete(sql);
      this.statements.set(sql, statement);
      return statement;
    }
    statement = this.open().then(
      (db) =>
        new Promise<sqlite3.Statement>((resolve, reject) => {
          const prepared = db.prepare(sql, (err) => (err ? reject(err) : resolve(prepared)));
        }),
    );
    // A statement that fails to prepare is not kept: the error is the caller's, every time.
    statement.catch(() => this.statements.delete(sql));
    this.statements.set(sql, statement);
    if (this.statements.size > STATEMENT_CACHE) {
      const [oldest, evicted] = this.statements.entries().next().value as [
        string,
        Promise<sqlite3.Statement>,
      ];
      this.statements.delete(oldest);
      // Finalized after whatever it is still running (node-sqlite3 queues it behind them).
      evicted.then(
        (st) => st.finalize(),
        () => {},
      );
    }
    return statement;
  }

  async close(): Promise<void> {
    const pending = this.db;
    const statements = [...this.statements.values()];
    this.db = null;
    this.statements.clear();
    if (!pending) return;
    const db = await pending.catch(() => null);
    for (const st of statements)
      await st.then(
        (s) => new Promise<void>((resolve) => s.finalize(() => resolve())),
        () => {},
      );
    if (db) await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

class KnexReader implements SqlReader {
  constructor(
    readonly dialect: Dialect,
    private readonly knex: () => Knex,
  ) {}

  async all<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    const result = await this.knex().raw(sql, params as Knex.RawBinding[]);
    // knex answers a SELECT with the rows on SQLite, with pg's result object on PostgreSQL.
    return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
  }
}

/**
 * A reader whose statements go to the ORM's query log too (when it is on: `OrmOptions.onQuery`), so
 * that whoever counts or watches the ORM's statements sees these as well.
 */
function logged(inner: SqlReader & { close?: () => Promise<void> }, logger: Logger) {
  if (!logger.isEnabled('query')) return inner;
  return {
    dialect: inner.dialect,
    close: () => inner.close?.() ?? Promise.resolve(),
    async all<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
      const started = performance.now();
      const rows = await inner.all<T>(sql, params);
      logger.logQuery({
        query: sql,
        params: [...params],
        took: Math.round(performance.now() - started),
        results: rows.length,
        level: 'info',
      });
      return rows;
    },
  };
}

const readers = new WeakMap<object, SqlReader & { close?: () => Promise<void> }>();

/**
 * The reader of this EntityManager's database (any fork of one ORM shares it), made on first use
 * and closed with the ORM (`openOrm` wires `closeReader` into its close).
 */
export function sqlReader(em: Pick<EntityManager, 'config' | 'getDriver' | 'getKnex'>): SqlReader {
  const key = em.config;
  let reader = readers.get(key);
  if (!reader) {
    const knex = em.getKnex.bind(em);
    if (em.getDriver() instanceof SqliteDriver) {
      const path = String(em.config.get('dbName') ?? '');
      reader =
        path === ':memory:' || path === '' ? new KnexReader('sqlite', knex) : new SqliteFileReader(path);
    } else {
      reader = new KnexReader('postgresql', knex);
    }
    reader = logged(reader, em.config.getLogger());
    readers.set(key, reader);
  }
  return reader;
}

/** Closes this ORM's read connection, if it opened one. */
export async function closeReader(orm: Pick<Orm, 'config'>): Promise<void> {
  const reader = readers.get(orm.config);
  readers.delete(orm.config);
  await reader?.close?.();
}
