/**
 * The writes of one status page (status-page.ts), in the caller's transaction, with bound parameters
 * (db/knex-query.ts): copies and appeals moved with one statement per (from, to) pair, each guarded by
 * the state the page was decided from, so that a row someone else moved meanwhile makes the page stale
 * instead of being overwritten; then the values that differ per row (registration numbers, answers,
 * extension reasons, due dates) by `case`, in small slices.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { marks, runStatement } from '../db/knex-query.js';
import type { ResultCode } from '../domain/appeal.js';
import type { AppealFacts, CopyWork } from '../domain/body-event.js';
import type { AppealState } from '../domain/status.js';

/** A body's copy as read (`stored`) and as decided (`status`). */
export interface Copy {
  id: string;
  appealId: string;
  responsible: boolean;
  stored: AppealState;
  status: AppealState;
  regNumber: string | null;
  storedRegNumber: string | null;
  /** The body's answer and extension reason the page gave this copy (the last of each wins). */
  work: CopyWork;
}

export interface AppealNow extends AppealFacts {
  /** As read, for the guard and to write only what changed. */
  stored: { status: AppealState; dueAt: Date; result: ResultCode | null };
}

/** Someone else moved a copy or an appeal after the page was read. */
export class StalePage extends Error {}

const CHUNK = 500;
const CASE_ROWS = 100;

/** Rows grouped by a key, in slices of at most `size`: one statement each. */
function* slices<T>(rows: T[], key: (row: T) => string, size: number): Generator<T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  for (const group of groups.values())
    for (let i = 0; i < group.length; i += size) yield group.slice(i, i + size);
}

/**
 * `case id when ? then ? … else <column> end`: kept to small slices, as each row runs through every
 * `when`. The `else` is never taken; it gives PostgreSQL the column's type for the bound values.
 */
function caseOf(column: string, rows: [string, unknown][]): { sql: string; params: unknown[] } {
  const whens = rows.map(() => 'when ? then ?').join(' ');
  return { sql: `case id ${whens} else ${column} end`, params: rows.flat() };
}

/**
 * Each moved copy takes its new state, one statement per (from, to) pair, only where it is still in
 * the state the page was decided from; then the registration numbers the body gave.
 */
export async function writeCopies(tx: EntityManager, copies: Copy[], now: Date): Promise<void> {
  const moved = copies.filter((c) => c.status !== c.stored);
  for (const rows of slices(moved, (c) => `${c.stored}>${c.status}`, CHUNK)) {
    const [first] = rows as [Copy];
    const changed = await runStatement(
      tx,
      `update assignment set status = ?, updated_at = ? where status = ? and id in (${marks(rows.length)})`,
      [first.status, now, first.stored, ...rows.map((c) => c.id)],
    );
    if (changed !== rows.length) throw new StalePage('a copy moved while the page was applied');
  }
  const numbered = copies.filter((c) => c.regNumber !== c.storedRegNumber);
  for (const rows of slices(numbered, () => '', CASE_ROWS)) {
    const reg = caseOf(
      'agency_reg_number',
      rows.map((c) => [c.id, c.regNumber]),
    );
    await runStatement(
      tx,
      `update assignment set agency_reg_number = ${reg.sql} where id in (${marks(rows.length)})`,
      [...reg.params, ...rows.map((c) => c.id)],
    );
  }
  await writeWork(tx, copies);
}

/** The answers (text, time, result) and extension reasons the page gave its copies. */
async function writeWork(tx: EntityManager, copies: Copy[]): Promise<void> {
  const answered = copies.flatMap((c) => (c.work.answer ? [{ id: c.id, ...c.work.answer }] : []));
  for (const rows of slices(answered, () => '', CASE_ROWS)) {
    const text = caseOf(
      'answer_text',
      rows.map((a) => [a.id, a.text]),
    );
    const at = caseOf(
      'answered_at',
      rows.map((a) => [a.id, a.answeredAt]),
    );
    const result = caseOf(
      'answer_result',
      rows.map((a) => [a.id, a.result]),
    );
    await runStatement(
      tx,
      `update assignment set answer_text = ${text.sql}, answered_at = ${at.sql}, answer_result = ${result.sql} ` +
        `where id in (${marks(rows.length)})`,
      [...text.params, ...at.params, ...result.params, ...rows.map((a) => a.id)],
    );
  }
  const extended = copies.filter((c) => c.work.extensionReason !== undefined);
  for (const rows of slices(extended, () => '', CASE_ROWS)) {
    const reason = caseOf(
      'extension_reason',
      rows.map((c) => [c.id, c.work.extensionReason ?? null]),
    );
    await runStatement(
      tx,
      `update assignment set extension_reason = ${reason.sql} where id in (${marks(rows.length)})`,
      [...reason.params, ...rows.map((c) => c.id)],
    );
  }
}

/** The responsible copies' appeals follow: state (guarded as the copies are), due date, result. */
export async function writeAppeals(tx: EntityManager, appeals: Map<string, AppealNow>): Promise<void> {
  const all = [...appeals].map(([id, a]) => ({ id, ...a }));
  const moved = all.filter((a) => a.status !== a.stored.status);
  for (const rows of slices(moved, (a) => `${a.stored.status}>${a.status}`, CHUNK)) {
    const [first] = rows as [(typeof all)[number]];
    const changed = await runStatement(
      tx,
      `update appeal set status = ?, version = version + 1 where status = ? and id in (${marks(rows.length)})`,
      [first.status, first.stored.status, ...rows.map((a) => a.id)],
    );
    if (changed !== rows.length) throw new StalePage('an appeal moved while the page was applied');
  }
  const extended = all.filter((a) => a.dueAt.getTime() !== a.stored.dueAt.getTime());
  for (const rows of slices(extended, () => '', CASE_ROWS)) {
    const due = caseOf(
      'due_at',
      rows.map((a) => [a.id, a.dueAt]),
    );
    await runStatement(
      tx,
      `update appeal set due_at = ${due.sql}, version = version + 1 where id in (${marks(rows.length)})`,
      [...due.params, ...rows.map((a) => a.id)],
    );
  }
  const answered = all.filter((a) => (a.result ?? null) !== a.stored.result);
  for (const rows of slices(answered, (a) => String(a.result), CHUNK)) {
    await runStatement(
      tx,
      `update appeal set result = ?, version = version + 1 where id in (${marks(rows.length)})`,
      [rows[0]?.result ?? null, ...rows.map((a) => a.id)],
    );
  }
}
