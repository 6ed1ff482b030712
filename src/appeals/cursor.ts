import { DomainError } from '../domain/errors.js';

/** Position in the appeal list ordered by (receivedAt DESC, id DESC): opaque to clients. */
export interface AppealCursor {
  receivedAt: Date;
  id: string;
}

const PREFIX = 'a1.';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(c: AppealCursor): string {
  return PREFIX + Buffer.from(JSON.stringify([c.receivedAt.getTime(), c.id])).toString('base64url');
}

export function decodeCursor(raw: string): AppealCursor {
  const fail = () =>
    new DomainError('INVALID_CURSOR', 'the cursor is not one this API gave out; start from the first page');
  if (!raw.startsWith(PREFIX)) throw fail();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw fail();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw fail();
  const [ms, id] = parsed as unknown[];
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || typeof id !== 'string' || !UUID.test(id))
    throw fail();
  return { receivedAt: new Date(ms), id };
}
