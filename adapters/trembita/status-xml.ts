/**
 * Status changes as `listStatusChangesResponse` carries them: one `<change>` per StatusUpdate, elements
 * named after its fields (`eventId` for externalEventId), nulls left out.
 */
import type { ResultCode } from '../../src/domain/appeal.js';
import type { StatusUpdate, UnmappedStatus } from '../port.js';
import { childrenOf, textOf, type XNode, xmlText } from './xml.js';
import { NS } from './xroad.js';

/**
 * The one table from the service's `event` codes to the gateway's events (the service uses the
 * canonical names); a code not listed here is returned as unmapped, never guessed.
 */
export const STATUS_CODES: Readonly<Record<string, StatusUpdate['event']>> = {
  deliver: 'deliver',
  accept: 'accept',
  extend: 'extend',
  answer: 'answer',
  forward: 'forward',
  reject: 'reject',
  return: 'return',
};

// A record over the union makes the compiler insist on every result code of the domain.
const RESULTS: Record<ResultCode, true> = {
  resolved_positively: true,
  refused: true,
  explained: true,
  returned_to_author: true,
  forwarded_by_competence: true,
  not_subject_to_consideration: true,
};

export function changeTree(u: StatusUpdate): Record<string, unknown> {
  const t: Record<string, unknown> = {
    appealId: xmlText(u.appealId),
    eventId: xmlText(u.externalEventId),
    event: u.event,
    occurredAt: u.occurredAt,
  };
  if (u.result !== null) t.result = u.result;
  if (u.registrationNumber !== null) t.registrationNumber = xmlText(u.registrationNumber);
  if (u.dueAt !== null) t.dueAt = u.dueAt;
  if (u.note !== null) t.note = xmlText(u.note);
  return t;
}

const isIsoInstant = (v: string): boolean =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) &&
  !Number.isNaN(Date.parse(v));

type Change = { update: StatusUpdate } | { unmapped: UnmappedStatus } | { why: string };

function readChange(el: XNode, n: number): Change {
  const text = (name: string) => textOf(el, NS.appeals, name)?.trim() || null;
  const appealId = text('appealId');
  const externalEventId = text('eventId');
  const code = text('event');
  const occurredAt = text('occurredAt');
  const result = text('result');
  const dueAt = text('dueAt');
  if (!externalEventId) return { why: `change ${n} lacks eventId` };
  if (!code) return { why: `change ${n} has no event` };
  const event = Object.hasOwn(STATUS_CODES, code) ? STATUS_CODES[code] : undefined;
  if (event === undefined) return { unmapped: { externalEventId, code, appealId } };
  if (!appealId) return { why: `change ${n} lacks appealId` };
  if (!occurredAt || !isIsoInstant(occurredAt)) return { why: `change ${n} has no valid occurredAt` };
  if (result !== null && !Object.hasOwn(RESULTS, result))
    return { why: `change ${n} has an unknown result "${result}"` };
  if (dueAt !== null && !isIsoInstant(dueAt)) return { why: `change ${n} has an invalid dueAt` };
  const update: StatusUpdate = {
    appealId,
    externalEventId,
    event,
    occurredAt: new Date(occurredAt).toISOString(),
    result: result as ResultCode | null,
    registrationNumber: text('registrationNumber'),
    dueAt: dueAt === null ? null : new Date(dueAt).toISOString(),
    note: textOf(el, NS.appeals, 'note'),
  };
  return { update };
}

/**
 * Every change of a reply, or why the reply cannot be trusted (one unreadable change spoils the
 * page). A change with a code outside STATUS_CODES is readable: it comes back unmapped.
 */
export function readChanges(
  body: XNode,
): { ok: true; updates: StatusUpdate[]; unmapped: UnmappedStatus[] } | { ok: false; why: string } {
  const updates: StatusUpdate[] = [];
  const unmapped: UnmappedStatus[] = [];
  for (const [n, el] of childrenOf(body, NS.appeals, 'change').entries()) {
    const change = readChange(el, n + 1);
    if ('why' in change) return { ok: false, why: change.why };
    if ('unmapped' in change) unmapped.push(change.unmapped);
    else updates.push(change.update);
  }
  return { ok: true, updates, unmapped };
}
