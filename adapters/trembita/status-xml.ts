/**
 * Status changes as `listStatusChangesResponse` carries them: one `<change>` per StatusUpdate, elements
 * named after its fields (`eventId` for externalEventId), nulls left out.
 */
import type { ResultCode } from '../../src/domain/appeal.js';
import type { StatusUpdate } from '../port.js';
import { childrenOf, textOf, type XNode, xmlText } from './xml.js';
import { NS } from './xroad.js';

const EVENTS: Record<StatusUpdate['event'], true> = {
  deliver: true,
  accept: true,
  extend: true,
  answer: true,
  forward: true,
  reject: true,
  return: true,
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

function readChange(el: XNode, n: number): StatusUpdate | string {
  const text = (name: string) => textOf(el, NS.appeals, name)?.trim() || null;
  const appealId = text('appealId');
  const externalEventId = text('eventId');
  const event = text('event');
  const occurredAt = text('occurredAt');
  const result = text('result');
  const dueAt = text('dueAt');
  if (!appealId || !externalEventId) return `change ${n} lacks appealId or eventId`;
  if (!event || !Object.hasOwn(EVENTS, event)) return `change ${n} has an unknown event "${event ?? ''}"`;
  if (!occurredAt || !isIsoInstant(occurredAt)) return `change ${n} has no valid occurredAt`;
  if (result !== null && !Object.hasOwn(RESULTS, result))
    return `change ${n} has an unknown result "${result}"`;
  if (dueAt !== null && !isIsoInstant(dueAt)) return `change ${n} has an invalid dueAt`;
  return {
    appealId,
    externalEventId,
    event: event as StatusUpdate['event'],
    occurredAt: new Date(occurredAt).toISOString(),
    result: result as ResultCode | null,
    registrationNumber: text('registrationNumber'),
    dueAt: dueAt === null ? null : new Date(dueAt).toISOString(),
    note: textOf(el, NS.appeals, 'note'),
  };
}

/** Every change of a reply, or why the reply cannot be trusted (one bad change spoils the page). */
export function readChanges(body: XNode): { ok: true; updates: StatusUpdate[] } | { ok: false; why: string } {
  const updates: StatusUpdate[] = [];
  for (const [n, el] of childrenOf(body, NS.appeals, 'change').entries()) {
    const change = readChange(el, n + 1);
    if (typeof change === 'string') return { ok: false, why: change };
    updates.push(change);
  }
  return { ok: true, updates };
}
