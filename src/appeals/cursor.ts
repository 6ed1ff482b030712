import { DomainError } from '../domain/errors.js';

/** How a list of appeals is ordered: by a date, then by id in the same direction (a total order). */
export const APPEAL_ORDERS = {
  newest: { field: 'receivedAt', dir: 'desc' },
  oldest: { field: 'receivedAt', dir: 'asc' },
  due_soonest: { field: 'dueAt', dir: 'asc' },
} as const;
export type AppealOrder = keyof typeof APPEAL_ORDERS;

/** Position in an appeal list in one order: opaque to clients, valid for that order only. */
export interface AppealCursor {
  order: AppealOrder;
  at: Date;
  id: string;
}

/** `a1.` cursors (newest first, the only order once) are still read. */
const V1 = 'a1.';
const PREFIX = 'a2.';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(c: AppealCursor): string {
  return PREFIX + Buffer.from(JSON.stringify([c.order, c.at.getTime(), c.id])).toString('base64url');
}

export function decodeCursor(raw: string, order: AppealOrder): AppealCursor {
  const fail = (why = 'the cursor is not one this API gave out; start from the first page') =>
    new DomainError('INVALID_CURSOR', why);
  const v1 = raw.startsWith(V1);
  if (!v1 && !raw.startsWith(PREFIX)) throw fail();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw fail();
  }
  if (!Array.isArray(parsed)) throw fail();
  const [given, ms, id] = (v1 ? ['newest', ...parsed] : parsed) as unknown[];
  if (
    parsed.length !== (v1 ? 2 : 3) ||
    typeof given !== 'string' ||
    !(given in APPEAL_ORDERS) ||
    typeof ms !== 'number' ||
    !Number.isSafeInteger(ms) ||
    // Beyond what a Date holds (±8.64e15 ms): no appeal was ever received then.
    Math.abs(ms) > 8.64e15 ||
    typeof id !== 'string' ||
    !UUID.test(id)
  )
    throw fail();
  if (given !== order)
    throw fail(`the cursor belongs to the order ${given}, not ${order}; start from the first page`);
  return { order, at: new Date(ms), id };
}
