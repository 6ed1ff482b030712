/**
 * Plain-SQL reads for the GraphQL API's lists (a body's inbox and what its page shows): rows as the
 * database gives them, no entities. Building MikroORM entities and queries cost the inbox far more
 * than its SQL: about 25 ms a page of 50 appeals, where the same statements read this way cost about
 * 2 ms (test/bench/graphql-inbox-sql.ts).
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

/**
 * How long one read connection serves before a fresh one takes over. SQLite reads the planner's
 * statistics when a connection first loads the schema, and ANALYZE on another connection (the nightly
 * reconcile, possibly in another process) does not make it read them again: a connection kept for
 * good would plan the inbox with the statistics of the day it opened.
 */
const READ_CONNECTION_MAX_AGE_MS = 10 * 60_000;

/** One read connection, its prepared statements and the reads running on it. */
interface Handle {
  db: Promise<sqlite3.Database>;
  statements: Map<string, Promise<sqlite3.Statement>>;
  openedAt: number;
  running: number;
  retired: boolean;
  /** Set when it starts closing: closed once, whoever asks. */
  closing: Promise<void> | null;
}

class SqliteFileReader implements SqlReader {
  readonly dialect = 'sqlite' as const;
  private current: Handle | null = null;
  private closed = false;

  constructor(private readonly path: string) {}

  private handle(): Handle {
    if (this.closed) throw new Error('the read connection is closed');
    if (this.current && Date.now() - this.current.openedAt > READ_CONNECTION_MAX_AGE_MS) this.retire();
    if (this.current) return this.current;
    const db = new Promise<sqlite3.Database>((resolve, reject) => {
      const conn = new sqlite3.Database(this.path, sqlite3.OPEN_READWRITE, (err) => {
        if (err) return reject(err);
        conn.exec(READ_PRAGMAS, (e) => (e ? reject(e) : resolve(conn)));
      });
    });
    const handle: Handle = {
      db,
      statements: new Map(),
      openedAt: Date.now(),
      running: 0,
      retired: false,
      closing: null,
    };
    // A connection that failed to open is not kept: the next read tries again.
    db.catch(() => {
      if (this.current === handle) this.current = null;
    });
    this.current = handle;
    return handle;
  }

  async all<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    const handle = this.handle();
    handle.running++;
    try {
      const statement = await this.prepared(handle, sql);
      return await new Promise((resolve, reject) =>
        statement.all(params.map(sqliteValue), (err, rows) => (err ? reject(err) : resolve(rows as T[]))),
      );
    } finally {
      handle.running--;
      if (handle.retired && handle.running === 0) void release(handle);
    }
  }

  /**
   * The statement for `sql`, prepared once and kept (the most recently used STATEMENT_CACHE of them):
   * preparing each time cost about a tenth of a small statement, and the API runs the same few shapes.
   */
  private prepared(handle: Handle, sql: string): Promise<sqlite3.Statement> {
    const { statements } = handle;
    let statement = statements.get(sql);
    if (statement) {
      statements.delete(sql);
      statements.set(sql, statement);
      return statement;
    }
    statement = handle.db.then(
      (db) =>
        new Promise<sqlite3.Statement>((resolve, reject) => {
          const prepared = db.prepare(sql, (err) => (err ? reject(err) : resolve(prepared)));
        }),
    );
    // A statement that fails to prepare is not kept: the error is the caller's, every time.
    statement.catch(() => statements.delete(sql));
    statements.set(sql, statement);
    if (statements.size > STATEMENT_CACHE) {
      const [oldest, evicted] = statements.entries().next().value as [string, Promise<sqlite3.Statement>];
      statements.delete(oldest);
      // Finalized after whatever it is still running (node-sqlite3 queues it behind them).
      evicted.then(
        (st) => st.finalize(),
        () => {},
      );
    }
    return statement;
  }

  /**
   * The next read opens a fresh connection; this one closes once the reads running on it are done
   * (after ANALYZE, so that the next reads plan with the new statistics).
   */
  retire(): void {
    const handle = this.current;
    this.current = null;
    if (!handle) return;
    handle.retired = true;
    if (handle.running === 0) void release(handle);
  }

  /** No read after this; the connection closes now, or when the reads still running on it are done. */
  async close(): Promise<void> {
    this.closed = true;
    const handle = this.current;
    this.retire();
    if (handle && handle.running === 0) await release(handle);
  }
}

/** Finalizes a retired connection's statements and closes it (once). */
function release(handle: Handle): Promise<void> {
  handle.closing ??= closeHandle(handle);
  return handle.closing;
}

async function closeHandle(handle: Handle): Promise<void> {
  const db = await handle.db.catch(() => null);
  const statements = [...handle.statements.values()];
  handle.statements.clear();
  for (const st of statements)
    await st.then(
      (s) => new Promise<void>((resolve) => s.finalize(() => resolve())),
      () => {},
    );
  if (db) await new Promise<void>((resolve) => db.close(() => resolve()));
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
function logged(inner: Closable, logger: Logger): Closable {
  if (!logger.isEnabled('query')) return inner;
  return {
    dialect: inner.dialect,
    close: () => inner.close?.() ?? Promise.resolve(),
    retire: () => inner.retire?.(),
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

type Closable = SqlReader & { close?: () => Promise<void>; retire?: () => void };

const readers = new WeakMap<object, Closable>();

/**
 * The reader of this EntityManager's database (any fork of one ORM shares it), made on first use
 * and closed with the ORM (`openOrm` wires `closeReader` into its close).
 */
export function sqlReader(em: Pick<EntityManager, 'config' | 'getDriver' | 'getConnection'>): SqlReader {
  const key = em.config;
  let reader = readers.get(key);
  if (!reader) {
    // The connection's knex, not this EntityManager's: a reader outlives the request that made it.
    const connection = em.getConnection();
    const knex = () => connection.getKnex();
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

/** After ANALYZE: the read connection's next reads plan with the new statistics (see SqliteFileReader). */
export function refreshReadConnection(em: Pick<EntityManager, 'config'>): void {
  readers.get(em.config)?.retire?.();
}

/** What an ORM that has closed reads through: nothing (a late request must not reopen the file). */
const CLOSED: Closable = {
  dialect: 'sqlite',
  all: () => Promise.reject(new Error('the read connection is closed')),
};

/** Closes this ORM's read connection, if it opened one; no read through this ORM opens another. */
export async function closeReader(orm: Pick<Orm, 'config'>): Promise<void> {
  const reader = readers.get(orm.config);
  readers.set(orm.config, CLOSED);
  await reader?.close?.();
}
