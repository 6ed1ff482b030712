/**
 * Multi-row INSERT with bound parameters, for the intake's hot path.
 *
 * `em.insertMany` formats every value into the SQL text (MikroORM inlines parameters before handing
 * the query to knex), and the SQLite dialect then lower-cases that whole text to pick a call method:
 * for a 500-appeal chunk that is half a megabyte of string work per statement, and it was the largest
 * single cost of importing a batch. Here the values travel as bindings to the same driver (see
 * knex-query.ts), converted by the same entity metadata (column names, custom types such as JSON),
 * inside the caller's transaction. On SQLite, nulls, flags, timestamps and integers are written as
 * literals instead (see `sqliteLiteral`: binding them was the costlier part); text and bytes are
 * always bound. Only plain columns and to-one references by primary key are supported; anything else
 * is refused rather than written wrong.
 */
import type { EntityMetadata, EntityName, EntityProperty } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { onSqlite, runStatement, sqliteLiteral } from './knex-query.js';

type Row = Record<string, unknown>;

interface Column {
  name: string;
  field: string;
  prop: EntityProperty;
}

/** SQLite binds at most 32,766 parameters a statement, PostgreSQL 65,535. */
const MAX_PARAMS = 30_000;

export async function bulkInsert<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  rows: readonly Row[],
  /** Columns of the table that no entity property maps (such as SQLite's assignment.appeal_status), written as given. */
  extraColumns: readonly string[] = [],
): Promise<void> {
  if (!rows.length) return;
  const meta = em.getMetadata().get<T>(entity as never);
  const platform = em.getPlatform();
  const columns = columnsOf(meta as EntityMetadata, rows, extraColumns);
  const head = `insert into ${platform.quoteIdentifier(meta.tableName)} (${columns
    .map((c) => platform.quoteIdentifier(c.field))
    .join(', ')}) values `;
  const literal = onSqlite(em) ? sqliteLiteral : () => undefined;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));

  for (let i = 0; i < rows.length; i += perStatement) {
    const end = Math.min(rows.length, i + perStatement);
    const params: unknown[] = [];
    let sql = head;
    for (let r = i; r < end; r++) {
      const row = rows[r] as Row;
      sql += r === i ? '(' : ', (';
      for (let k = 0; k < columns.length; k++) {
        const c = columns[k] as Column;
        const v = toDatabase(c.prop, row[c.name], platform);
        const inline = literal(v);
        if (k) sql += ', ';
        if (inline === undefined) {
          params.push(v);
          sql += '?';
        } else sql += inline;
      }
      sql += ')';
    }
    await runStatement(em, sql, params);
  }
}

function columnsOf(meta: EntityMetadata, rows: readonly Row[], extra: readonly string[]): Column[] {
  const names = new Set<string>();
  for (const row of rows) for (const k in row) if (Object.hasOwn(row, k)) names.add(k);
  return [...names].map((name) => {
    if (extra.includes(name)) return { name, field: name, prop: { name } as EntityProperty };
    const prop = meta.properties[name];
    if (!prop || prop.persist === false || prop.fieldNames?.length !== 1 || prop.embedded || prop.object) {
      throw new Error(`bulkInsert: ${meta.className}.${name} is not a plain column`);
    }
    return { name, field: prop.fieldNames[0] as string, prop };
  });
}

function toDatabase(
  prop: EntityProperty,
  value: unknown,
  platform: ReturnType<EntityManager['getPlatform']>,
) {
  const v = value === undefined ? (prop.default ?? null) : value;
  if (v === null) return null;
  if (prop.customType) {
    return prop.customType.convertToDatabaseValue(v, platform, { key: prop.name, mode: 'query-data' });
  }
  return v;
}
