/**
 * Multi-row INSERT with bound parameters, for the intake's hot path.
 *
 * `em.insertMany` formats every value into the SQL text (MikroORM inlines parameters before handing
 * the query to knex), and the SQLite dialect then lower-cases that whole text to pick a call method:
 * for a 500-appeal chunk that is half a megabyte of string work per statement, and it was the largest
 * single cost of importing a batch. Here the values travel as bindings to the same driver (see
 * knex-query.ts), converted by the same entity metadata (column names, custom types such as JSON),
 * inside the caller's transaction. Only plain columns and to-one references by primary key are supported; anything else
 * is refused rather than written wrong.
 */
import type { EntityMetadata, EntityName, EntityProperty } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { runStatement } from './knex-query.js';

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
): Promise<void> {
  if (!rows.length) return;
  const meta = em.getMetadata().get<T>(entity as never);
  const platform = em.getPlatform();
  const columns = columnsOf(meta as EntityMetadata, rows);
  const head = `insert into ${platform.quoteIdentifier(meta.tableName)} (${columns
    .map((c) => platform.quoteIdentifier(c.field))
    .join(', ')}) values `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));

  for (let i = 0; i < rows.length; i += perStatement) {
    const slice = rows.slice(i, i + perStatement);
    const params: unknown[] = [];
    for (const row of slice) {
      for (const c of columns) params.push(toDatabase(c.prop, row[c.name], platform));
    }
    await runStatement(em, head + slice.map(() => tuple).join(', '), params);
  }
}

function columnsOf(meta: EntityMetadata, rows: readonly Row[]): Column[] {
  const names = new Set<string>();
  for (const row of rows) for (const k of Object.keys(row)) names.add(k);
  return [...names].map((name) => {
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
