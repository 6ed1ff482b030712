/**
 * Statements for the intake's hot path, run with bound parameters in the EntityManager's transaction.
 *
 * `em.execute` formats every value into the SQL text first, and the SQLite dialect then lower-cases
 * that whole text to choose a call method; for a 500-row INSERT or a look-up of 500 phone numbers
 * that string work cost more than the statement. So here: on SQLite, inside a transaction, the
 * statement goes straight to the transaction's own node-sqlite3 connection (the one knex holds for
 * it); elsewhere through knex with bindings. Values are converted as knex's SQLite client would
 * (dates to epoch milliseconds, which is how MikroORM stores them; booleans to 0/1).
 */
import type { EntityManager } from '@mikro-orm/knex';
import { SqliteDriver } from '@mikro-orm/sqlite';

type KnexBuilder = ReturnType<ReturnType<EntityManager['getKnex']>>;

interface SqliteConnection {
  run(sql: string, params: unknown[], cb: (this: { changes?: number }, err: Error | null) => void): void;
  all(sql: string, params: unknown[], cb: (err: Error | null, rows: unknown[]) => void): void;
}

interface TransactionContext {
  client: { acquireConnection(): Promise<unknown> };
}

export function sqliteValue(v: unknown): unknown {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/**
 * On SQLite, the SQL literal for a null, boolean, date or integer value (as `sqliteValue` would bind
 * it); undefined for anything else (text, blobs, fractions), which must be bound. Why: node-sqlite3
 * binds every parameter that is not a string with two look-ups of global constructors (RegExp, Date)
 * through N-API on the JavaScript thread; for the intake's bulk INSERTs, where more than half the
 * values are nulls, timestamps and flags, that binding cost more than the rest of the insert's
 * JavaScript. A literal stores the same value: integers keep their INTEGER class (a timestamp bound
 * as a double lands as INTEGER too, by the column's numeric affinity).
 */
export function sqliteLiteral(v: unknown): string | undefined {
  const value = sqliteValue(v);
  if (value === null) return 'null';
  return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : undefined;
}

/** `n` placeholders for an `in (…)` list: `?, ?, ?`. */
export const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** Whether statements of this EntityManager run on SQLite (where `sqliteLiteral` applies). */
export function onSqlite(em: EntityManager): boolean {
  return em.getDriver() instanceof SqliteDriver;
}

async function sqliteConnection(em: EntityManager): Promise<SqliteConnection | null> {
  if (!(em.getDriver() instanceof SqliteDriver)) return null;
  const ctx = em.getTransactionContext<TransactionContext>();
  return ctx ? ((await ctx.client.acquireConnection()) as SqliteConnection) : null;
}

function converted(em: EntityManager, err: unknown): Error {
  return em
    .getPlatform()
    .getExceptionConverter()
    .convertException(err as Error);
}

/** Runs an INSERT/UPDATE/DELETE written with `?` placeholders; answers how many rows it changed. */
export async function runStatement(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const conn = await sqliteConnection(em);
  try {
    if (conn) {
      const values = params.map(sqliteValue);
      return await new Promise<number>((resolve, reject) =>
        conn.run(sql, values, function (this: { changes?: number }, err) {
          if (err) reject(err);
          else resolve(this.changes ?? 0);
        }),
      );
    }
    const query = em
      .getConnection()
      .getKnex()
      .raw(sql, params as never[]);
    const ctx = em.getTransactionContext();
    if (ctx) query.transacting(ctx);
    const result = (await query) as { rowCount?: number; changes?: number } | undefined;
    return result?.rowCount ?? result?.changes ?? 0;
  } catch (err) {
    throw converted(em, err);
  }
}

/** Runs a knex SELECT and returns its raw rows (column names as in the table). */
export async function selectRows<T>(em: EntityManager, query: KnexBuilder): Promise<T[]> {
  const conn = await sqliteConnection(em);
  try {
    if (conn) {
      const { sql, bindings } = query.toSQL().toNative();
      const values = (bindings as unknown[]).map(sqliteValue);
      return await new Promise<T[]>((resolve, reject) =>
        conn.all(sql, values, (err, rows) => (err ? reject(err) : resolve(rows as T[]))),
      );
    }
    const ctx = em.getTransactionContext();
    if (ctx) query.transacting(ctx);
    return (await query) as T[];
  } catch (err) {
    throw converted(em, err);
  }
}
