/**
 * One page of a body's status feed applied at once (the idempotent consumer of the status pull): the
 * page's copies and appeals are read in one query, its event ids checked against the stored ones in
 * another, the state machine runs in memory (domain/body-event.ts, the rules of the GraphQL path), and
 * the status events and the copies' and appeals' new states are written in one transaction. Each
 * write is guarded by the state it was decided from: when someone else moved a copy or an appeal in
 * between, the page is decided again from what is stored now.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { StatusUpdate } from '../../adapters/port.js';
import { bulkInsert } from '../db/bulk-insert.js';
import { StatusEvent } from '../db/entities/index.js';
import { newId } from '../db/ids.js';
import { selectRows } from '../db/knex-query.js';
import type { ResultCode } from '../domain/appeal.js';
import { bodyEventEffect } from '../domain/body-event.js';
import { DomainError } from '../domain/errors.js';
import type { AppealState } from '../domain/status.js';
import { type AppealNow, type Copy, StalePage, writeAppeals, writeCopies } from './status-page-write.js';

export type Outcome = 'applied' | 'duplicates' | 'ignored' | 'unknown';

export interface PageBody {
  id: string;
  code: string;
}

interface CopyRow {
  id: string;
  appeal_id: string;
  role: string;
  status: AppealState;
  agency_reg_number: string | null;
  appeal_status: AppealState;
  received_at: Date | number | string;
  due_at: Date | number | string;
  result: ResultCode | null;
}

/** Ids that cannot be an appeal's (a UUID column on PostgreSQL) are unknown without asking. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const mayBeAppealId = (id: string) => UUID.test(id);
const CHUNK = 500;
const ATTEMPTS = 3;

/** The body's event id as stored: `<body code>:<event id>`, unique across bodies. */
export const storedEventId = (body: PageBody, u: StatusUpdate) => `${body.code}:${u.externalEventId}`;

/** Applies the updates (none of them `forward`) in order; answers one outcome per update. */
export async function applyStatusPage(
  em: EntityManager,
  body: PageBody,
  updates: readonly StatusUpdate[],
  now: Date,
): Promise<Outcome[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await em.fork().transactional((tx) => decideAndWrite(tx, body, updates, now));
    } catch (err) {
      const retry = err instanceof StalePage || err instanceof UniqueConstraintViolationException;
      if (!retry || attempt >= ATTEMPTS) throw err;
    }
  }
}

async function decideAndWrite(
  tx: EntityManager,
  body: PageBody,
  updates: readonly StatusUpdate[],
  now: Date,
): Promise<Outcome[]> {
  const seen = await storedIds(
    tx,
    updates.map((u) => storedEventId(body, u)),
  );
  const { copies, appeals } = await loadCopies(tx, body.id, updates);
  const events: Record<string, unknown>[] = [];
  const outcomes = updates.map((u): Outcome => {
    const eventId = storedEventId(body, u);
    if (seen.has(eventId)) return 'duplicates';
    const copy = copies.get(u.appealId);
    const appeal = copy && appeals.get(copy.appealId);
    if (!copy || !appeal) return 'unknown';
    const input = {
      event: u.event,
      result: u.result,
      dueAt: u.dueAt ? new Date(u.dueAt) : null,
      registrationNumber: u.registrationNumber,
      ...bodyText(u),
    };
    try {
      const effect = bodyEventEffect(copy, appeal, input);
      copy.status = effect.to;
      if (u.registrationNumber) copy.regNumber = u.registrationNumber;
      Object.assign(copy.work, effect.copy);
      Object.assign(appeal, effect.appeal);
      seen.add(eventId);
      events.push({
        id: newId(),
        appeal: copy.appealId,
        assignment: copy.id,
        origin: 'agency',
        event: u.event,
        fromState: effect.from,
        state: effect.to,
        result: u.result ?? null,
        note: effect.note,
        occurredAt: new Date(u.occurredAt),
        recordedAt: now,
        externalEventId: eventId,
      });
      return 'applied';
    } catch (err) {
      // Late, repeated or out of order: never backwards. Anything else is a real failure.
      if (err instanceof DomainError) return 'ignored';
      throw err;
    }
  });
  if (events.length) {
    await writeCopies(tx, [...copies.values()], now);
    await writeAppeals(tx, appeals);
    await bulkInsert(tx, StatusEvent, events);
  }
  return outcomes;
}

/**
 * The one free text the adapters carry (SEV OVV's answer document annotation, the webhook's and
 * Trembita's `note`): with an answer it is the answer, with an extension its reason. An answer is
 * dated by the body's time of the change. Neither is required of a body's system.
 */
function bodyText(u: StatusUpdate) {
  if (u.event === 'answer') return { answerText: u.note, answeredAt: new Date(u.occurredAt) };
  if (u.event === 'extend') return { reason: u.note };
  return { note: u.note };
}

async function storedIds(tx: EntityManager, ids: string[]): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const q = tx
      .getKnex()('status_event')
      .select('external_event_id')
      .whereIn('external_event_id', ids.slice(i, i + CHUNK));
    for (const r of await selectRows<{ external_event_id: string }>(tx, q)) seen.add(r.external_event_id);
  }
  return seen;
}

/** The body's copies of the page's appeals, keyed by appeal id, and those appeals as stored. */
async function loadCopies(tx: EntityManager, agencyId: string, updates: readonly StatusUpdate[]) {
  const ids = [...new Set(updates.map((u) => u.appealId))].filter(mayBeAppealId);
  const copies = new Map<string, Copy>();
  const appeals = new Map<string, AppealNow>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const q = tx
      .getKnex()('assignment as a')
      .join('appeal as p', 'p.id', 'a.appeal_id')
      .select(
        'a.id',
        'a.appeal_id',
        'a.role',
        'a.status',
        'a.agency_reg_number',
        'p.status as appeal_status',
        'p.received_at',
        'p.due_at',
        'p.result',
      )
      .where('a.agency_id', agencyId)
      .whereIn('a.appeal_id', ids.slice(i, i + CHUNK));
    for (const r of await selectRows<CopyRow>(tx, q)) {
      const regNumber = r.agency_reg_number;
      const responsible = r.role === 'responsible';
      copies.set(r.appeal_id, {
        id: r.id,
        appealId: r.appeal_id,
        responsible,
        stored: r.status,
        status: r.status,
        regNumber,
        storedRegNumber: regNumber,
        work: {},
      });
      const appeal = { status: r.appeal_status, dueAt: new Date(r.due_at), result: r.result };
      appeals.set(r.appeal_id, { ...appeal, stored: { ...appeal }, receivedAt: new Date(r.received_at) });
    }
  }
  return { copies, appeals };
}
