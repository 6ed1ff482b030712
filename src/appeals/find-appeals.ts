import { ownAppealSql } from '../access/scope.js';
import { marks } from '../db/knex-query.js';
import type { SqlReader } from '../db/reader.js';
import { type AppealView, appealColumns, appealView, conversions } from '../db/rows.js';
import type { SourceLine } from '../domain/appeal.js';
import { DomainError } from '../domain/errors.js';
import { normalizeTerritoryPrefix } from '../domain/katottg.js';
import type { AppealState } from '../domain/status.js';
import { APPEAL_STATES, isOpen } from '../domain/status.js';
import { isKnownTopicPrefix } from '../domain/topics.js';
import { APPEAL_ORDERS, type AppealCursor, type AppealOrder, decodeCursor, encodeCursor } from './cursor.js';

/**
 * Lists of appeals in plain SQL through the API's reader (src/db/reader.ts): the same statements on
 * SQLite and PostgreSQL, `?` placeholders, the appeals as views (src/db/rows.ts), never entities.
 */

export interface AppealFilter {
  status?: AppealState[] | null;
  source?: SourceLine[] | null;
  agencyCode?: string | null;
  topicPrefix?: string | null;
  territoryPrefix?: string | null;
  receivedFrom?: Date | null;
  receivedTo?: Date | null;
  overdue?: boolean | null;
  dueBefore?: Date | null;
  text?: string | null;
}

/** Shortest and longest text search term. */
export const TEXT_SEARCH = { min: 3, max: 200 } as const;

/** PostgreSQL's LIKE escapes with a backslash by default. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
const OPEN_STATES = APPEAL_STATES.filter(isOpen);

/** A WHERE clause over `appeal a`: conditions joined with AND, and their bound values in order. */
export interface AppealWhere {
  readonly sql: string;
  readonly params: readonly unknown[];
  /** The body a principal is bound to (null: staff), and the filter: what the count's shortcut needs. */
  readonly scopeAgencyId: string | null;
  readonly filter: AppealFilter;
}

/**
 * Turns a client's filter into a WHERE clause, refusing values that name nothing (each with its
 * field). `scopeAgencyId`: the body the principal is bound to (src/access/scope.ts `scopeAgencyOf`),
 * whose own appeals alone it matches; null for staff.
 */
export async function buildAppealWhere(
  reader: SqlReader,
  f: AppealFilter,
  now: Date,
  scopeAgencyId: string | null,
): Promise<AppealWhere> {
  const and: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    and.push(sql);
    params.push(...values);
  };
  if (scopeAgencyId !== null) add(ownAppealSql('a'), scopeAgencyId);
  if (f.status?.length) add(`a.status in (${marks(f.status.length)})`, ...f.status);
  if (f.source?.length) add(`a.source in (${marks(f.source.length)})`, ...f.source);
  if (f.topicPrefix != null) {
    const topic = f.topicPrefix.trim();
    if (!isKnownTopicPrefix(topic)) {
      throw new DomainError(
        'UNKNOWN_TOPIC',
        `no classifier topic ${f.topicPrefix}; use e.g. 006 or 006.01`,
        'filter.topicPrefix',
      );
    }
    add('a.topic_code like ?', `${topic}%`);
  }
  if (f.territoryPrefix != null) {
    const prefix = withPath('filter.territoryPrefix', () =>
      normalizeTerritoryPrefix(f.territoryPrefix ?? ''),
    );
    add('a.territory_code like ?', `${prefix}%`);
  }
  if (f.receivedFrom && f.receivedTo && f.receivedFrom > f.receivedTo) {
    throw new DomainError('INVALID_RANGE', 'receivedFrom is after receivedTo', 'filter.receivedFrom');
  }
  if (f.receivedFrom) add('a.received_at >= ?', f.receivedFrom);
  if (f.receivedTo) add('a.received_at < ?', f.receivedTo);
  if (f.overdue === true)
    add(`a.due_at < ? and a.status in (${marks(OPEN_STATES.length)})`, now, ...OPEN_STATES);
  if (f.overdue === false)
    add(`(a.due_at >= ? or a.status not in (${marks(OPEN_STATES.length)}))`, now, ...OPEN_STATES);
  if (f.dueBefore) add('a.due_at < ?', f.dueBefore);
  if (f.text != null) {
    const term = f.text.trim();
    if (term.length < TEXT_SEARCH.min || term.length > TEXT_SEARCH.max) {
      throw new DomainError(
        'INVALID_SEARCH_TEXT',
        `search text must be ${TEXT_SEARCH.min}–${TEXT_SEARCH.max} characters`,
        'filter.text',
      );
    }
    if (reader.dialect === 'postgresql') add('a.summary ilike ?', `%${likeEscape(term)}%`);
    else {
      // SQLite folds only ASCII in LIKE, so the term is also tried in lower case and with a capital
      // first letter — which finds a word at the start of a sentence as well as inside it (there, %
      // and _ in the term match like wildcards: a broader search, never a different query).
      const lower = term.toLocaleLowerCase('uk');
      const variants = [...new Set([term, lower, lower.charAt(0).toLocaleUpperCase('uk') + lower.slice(1)])];
      add(`(${variants.map(() => 'a.summary like ?').join(' or ')})`, ...variants.map((v) => `%${v}%`));
    }
  }
  if (f.agencyCode != null) {
    const [agency] = await reader.all<{ id: string }>('select id from agency where code = ?', [
      f.agencyCode.trim(),
    ]);
    if (!agency)
      throw new DomainError('UNKNOWN_AGENCY', `no agency with code ${f.agencyCode}`, 'filter.agencyCode');
    // A body sees its own copies only: naming another body matches nothing, or the body would learn
    // which of its shared appeals that body holds a copy of.
    if (scopeAgencyId !== null && agency.id !== scopeAgencyId) add('1 = 0');
    else if (scopeAgencyId === null)
      add(
        'exists (select 1 from assignment named where named.appeal_id = a.id and named.agency_id = ?)',
        agency.id,
      );
  }
  return { sql: and.length ? and.join(' and ') : '1 = 1', params, scopeAgencyId, filter: f };
}

function withPath<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DomainError) throw new DomainError(err.code, err.message, path);
    throw err;
  }
}

/**
 * How many appeals match `where`. On SQLite, a body's count by state at most — its inbox's total —
 * is read from the per-body, per-state counts of its copies: each appeal has at most one copy per
 * body, and triggers keep each copy's `appeal_status` equal to the appeal's state (migration
 * 20261129070000) and the counts equal to the copies (20261129120000), so the number is the same as
 * counting the appeals, without visiting each (60 ms for 25,000 open appeals on SQLite; over 1 ms
 * even through the copies' index alone; a few rows this way). Any other filter, and PostgreSQL,
 * count the appeals.
 */
export async function countAppeals(reader: SqlReader, where: AppealWhere): Promise<number> {
  const f = where.filter;
  if (reader.dialect === 'sqlite') {
    const given = (Object.keys(f) as (keyof AppealFilter)[]).filter((k) => f[k] != null);
    if (where.scopeAgencyId !== null && given.every((k) => k === 'status'))
      return countCopies(reader, 'agency_id = ?', where.scopeAgencyId, f.status);
    // Staff naming one body (buildAppealWhere has checked the code exists): the body by its code.
    if (
      where.scopeAgencyId === null &&
      f.agencyCode != null &&
      given.every((k) => k === 'status' || k === 'agencyCode')
    )
      return countCopies(
        reader,
        'agency_id = (select id from agency where code = ?)',
        f.agencyCode.trim(),
        f.status,
      );
  }
  const [row] = await reader.all<{ n: number | string }>(
    `select count(*) as n from appeal a where ${where.sql}`,
    where.params,
  );
  return Number(row?.n ?? 0);
}

/**
 * A body's copies whose appeal is in one of `states` (any state when none are given); SQLite only:
 * the sum of the per-state counts the triggers keep (migration 20261129120000).
 */
async function countCopies(
  reader: SqlReader,
  agencySql: string,
  agency: string,
  states?: AppealState[] | null,
) {
  const byState = states?.length ? ` and appeal_status in (${marks(states.length)})` : '';
  const [row] = await reader.all<{ n: number | null }>(
    `select sum(n) as n from agency_appeal_count where ${agencySql}${byState}`,
    [agency, ...(states ?? [])],
  );
  return Number(row?.n ?? 0);
}

export interface AppealPage {
  appeals: AppealView[];
  cursors: string[];
  hasNextPage: boolean;
}

const COLUMN_OF = { receivedAt: 'a.received_at', dueAt: 'a.due_at' } as const;

/** Up to `limit` appeals matching `where` in `order`, after `cursor` when given. */
export async function selectAppeals(
  reader: SqlReader,
  where: AppealWhere,
  limit: number,
  order: AppealOrder,
  cursor: AppealCursor | null = null,
  fields: ReadonlySet<string> | null = null,
): Promise<AppealView[]> {
  const { field, dir } = APPEAL_ORDERS[order];
  const column = COLUMN_OF[field];
  const beyond = dir === 'desc' ? '<' : '>';
  const params = [...where.params];
  let sql = where.sql;
  if (cursor) {
    sql += ` and (${column} ${beyond} ? or (${column} = ? and a.id ${beyond} ?))`;
    params.push(cursor.at, cursor.at, cursor.id);
  }
  const rows = await reader.all<Record<string, unknown>>(
    // The limit bound, not written into the text: one prepared statement serves every page size.
    `select ${appealColumns(fields)} from appeal a where ${sql} order by ${column} ${dir}, a.id ${dir} limit ?`,
    [...params, limit],
  );
  const c = conversions(reader.dialect);
  return rows.map((r) => appealView(r, c));
}

/** One page in the given order (newest first by default), keyset-paginated so that a page costs the same deep in the list. */
export async function findAppealPage(
  reader: SqlReader,
  where: AppealWhere,
  first: number | null | undefined,
  after: string | null | undefined,
  order: AppealOrder = 'newest',
  /** The GraphQL fields the page's appeals show (src/graphql/lookahead.ts); null: all. */
  fields: ReadonlySet<string> | null = null,
): Promise<AppealPage> {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new DomainError('PAGE_SIZE_OUT_OF_RANGE', `first must be between 0 and ${MAX_PAGE_SIZE}`, 'first');
  }
  const cursor: AppealCursor | null = after ? withPath('after', () => decodeCursor(after, order)) : null;
  const rows = await selectAppeals(reader, where, size + 1, order, cursor, fields);
  const appeals = rows.slice(0, size);
  const { field } = APPEAL_ORDERS[order];
  return {
    appeals,
    cursors: appeals.map((a) => encodeCursor({ order, at: a[field], id: a.id })),
    hasNextPage: rows.length > size,
  };
}
