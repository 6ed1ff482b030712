/**
 * Stores normalised appeals: idempotent on (source, external id), correlated with what is already
 * stored (duplicates, repeats, mass appeals), each chunk in one transaction together with its
 * applicants, attachments and "registered" status events. If a chunk fails, its items are retried
 * one by one so that one bad row cannot sink the others, and nothing of a failed item remains.
 */

import type { EntityManager } from '@mikro-orm/knex';
import { Agency } from '../db/entities/index.js';
import { newId } from '../db/ids.js';
import { selectRows } from '../db/knex-query.js';
import type { ReceiptSign } from '../domain/appeal.js';
import type { AppealState } from '../domain/status.js';
import { activeRouting } from '../routing/active.js';
import { assignmentRows, routingInputOf } from '../routing/assign.js';
import { correlate, KnownAppeals, REPEAT_LOOKBACK_DAYS } from './linking.js';
import type { NormalisedAppeal } from './normalise.js';
import { emptyRows, insertRows, type Rows, routedRows, rowsFor } from './rows.js';
import type { IntakeRejection } from './types.js';

export interface AcceptedAppeal {
  index: number;
  externalId: string;
  appealId: string;
  /** `created` now, or `replayed`: the same message came before and nothing changed. */
  outcome: 'created' | 'replayed';
  receiptSign: ReceiptSign;
  linkedTo: string | null;
  flags: string[];
}

export interface Indexed {
  index: number;
  appeal: NormalisedAppeal;
}

const DAY = 86_400_000;

export async function storeAppeals(
  em: EntityManager,
  items: Indexed[],
  now: Date,
): Promise<{ accepted: AcceptedAppeal[]; rejected: IntakeRejection[] }> {
  try {
    return await em.transactional((tx) => storeChunk(tx, items, now));
  } catch {
    // One at a time below: the failing item is reported, the others are stored.
  }
  const accepted: AcceptedAppeal[] = [];
  const rejected: IntakeRejection[] = [];
  for (const item of items) {
    const one = await storeOne(em, item, now);
    accepted.push(...one.accepted);
    rejected.push(...one.rejected);
  }
  return { accepted, rejected };
}

/**
 * A second attempt settles the common race: another request stored the same message between our
 * look-up and our insert (unique source + external id), so the retry finds it and replays it.
 */
async function storeOne(em: EntityManager, item: Indexed, now: Date) {
  let last: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return await em.fork().transactional((tx) => storeChunk(tx, [item], now));
    } catch (err) {
      last = err;
    }
  }
  const rejection: IntakeRejection = {
    index: item.index,
    externalId: item.appeal.appeal.externalId,
    path: '',
    code: 'STORE_FAILED',
    message: `the appeal could not be stored: ${(last as Error).message.split('\n')[0]}`,
  };
  return { accepted: [] as AcceptedAppeal[], rejected: [rejection] };
}

async function storeChunk(tx: EntityManager, items: Indexed[], now: Date) {
  const accepted: AcceptedAppeal[] = [];
  const rejected: IntakeRejection[] = [];
  const replays = await findExisting(tx, items);
  const agencies = await agencyIds(tx, items);
  const known = await knownAppeals(tx, items);
  const routing = await activeRouting(tx);
  const rows = emptyRows();

  for (const { index, appeal: n } of items) {
    const a = n.appeal;
    const key = `${a.source}:${a.externalId}`;
    // Stored before, or earlier in this very chunk: either way a replay that changes nothing.
    const existing = replays.get(key);
    if (existing) {
      accepted.push({ index, externalId: a.externalId ?? '', outcome: 'replayed', ...existing });
      continue;
    }
    // Bodies the item names must be in the directory; otherwise the item is refused, nothing stored.
    const code = n.item.directLine?.agencyCode;
    const directLineAgency = code ? agencies.get(code) : null;
    const challenged = n.item.complaintAbout;
    const complaintAbout = challenged ? agencies.get(challenged) : null;
    const unknown =
      code && !directLineAgency
        ? { path: 'directLine.agencyCode', code }
        : challenged && !complaintAbout
          ? { path: 'complaintAbout', code: challenged }
          : null;
    if (unknown) {
      rejected.push({
        index,
        externalId: a.externalId,
        path: unknown.path,
        code: 'UNKNOWN_AGENCY',
        message: `no body with EDRPOU code ${unknown.code} in the directory`,
      });
      continue;
    }
    const link = correlate(
      {
        receivedAt: a.receivedAt,
        topicCode: a.topicCode,
        receiptSign: a.receiptSign,
        phone: a.applicant.phone,
        identityKey: n.identityKey,
        textFingerprint: n.textFingerprint,
      },
      known,
    );
    const id = newId();
    rowsFor(rows, {
      id,
      n,
      link,
      directLineAgency: directLineAgency ?? null,
      complaintAbout: complaintAbout ?? null,
      now,
    });
    const routed = routing.route(routingInputOf(n, challenged));
    if (routed) {
      const priority = a.priority || n.item.urgent;
      routedRows(rows, id, assignmentRows(id, routed, routing, now, priority), routed.reason, now);
    }
    if (link.joinMass) markMass(rows, known, link.joinMass);
    known.add({
      id,
      receivedAt: a.receivedAt,
      topicCode: a.topicCode,
      status: 'registered',
      receiptSign: link.receiptSign,
      massOf: link.massOf,
      phone: a.applicant.phone,
      identityKey: n.identityKey,
      textFingerprint: n.textFingerprint,
    });
    const created = {
      appealId: id,
      receiptSign: link.receiptSign,
      linkedTo: link.duplicateOf ?? link.repeatOf ?? link.massOf,
      flags: n.flags,
    };
    replays.set(key, created);
    accepted.push({ index, externalId: a.externalId ?? '', outcome: 'created', ...created });
  }
  await insertRows(tx, rows);
  return { accepted, rejected };
}

/** Earlier members of a mass group: rows of this chunk change in place, stored ones by update. */
function markMass(rows: Rows, known: KnownAppeals, join: { ids: string[]; root: string }): void {
  const pendingById = new Map(rows.appeals.map((r) => [r.id, r]));
  for (const id of join.ids) {
    const massOf = id === join.root ? null : join.root;
    const k = known.get(id);
    if (k) {
      k.receiptSign = 'mass';
      k.massOf = massOf;
    }
    const pending = pendingById.get(id);
    if (pending) {
      pending.receiptSign = 'mass';
      pending.massOf = massOf;
    } else {
      rows.massUpdates.push({ id, massOf });
    }
  }
}

async function findExisting(tx: EntityManager, items: Indexed[]) {
  const bySource = new Map<string, string[]>();
  for (const { appeal } of items) {
    const list = bySource.get(appeal.appeal.source) ?? [];
    list.push(appeal.appeal.externalId ?? '');
    bySource.set(appeal.appeal.source, list);
  }
  const found = new Map<string, Omit<AcceptedAppeal, 'index' | 'externalId' | 'outcome'>>();
  for (const [source, ids] of bySource) {
    const rows = await selectRows<ExistingRow>(
      tx,
      tx
        .getKnex()('appeal')
        .select('id', 'external_id', 'receipt_sign', 'flags', 'duplicate_of_id', 'repeat_of_id', 'mass_of_id')
        .where('source', source)
        .whereIn('external_id', ids),
    );
    for (const r of rows) {
      found.set(`${source}:${r.external_id}`, {
        appealId: r.id,
        receiptSign: r.receipt_sign,
        linkedTo: r.duplicate_of_id ?? r.repeat_of_id ?? r.mass_of_id ?? null,
        // A JSON column: text in SQLite, already parsed by the PostgreSQL driver.
        flags: typeof r.flags === 'string' ? (JSON.parse(r.flags) as string[]) : r.flags,
      });
    }
  }
  return found;
}

async function agencyIds(tx: EntityManager, items: Indexed[]): Promise<Map<string, string>> {
  const codes = [
    ...new Set(
      items.flatMap(({ appeal: { item } }) => [
        ...(item.directLine ? [item.directLine.agencyCode] : []),
        ...(item.complaintAbout ? [item.complaintAbout] : []),
      ]),
    ),
  ];
  if (!codes.length) return new Map();
  const rows = await tx.find(Agency, { code: { $in: codes } }, { fields: ['id', 'code'] });
  return new Map(rows.map((r) => [r.code, r.id]));
}

/**
 * Stored appeals that could be the same citizen's or the same text: one plain query per chunk (rows,
 * not entities: hydrating thousands of candidates costs more than the insert). Of a mass group only
 * the root and the members not yet marked come back (mass_of is null), never the whole crowd.
 */
async function knownAppeals(tx: EntityManager, items: Indexed[]): Promise<KnownAppeals> {
  const phones = uniq(items.map((i) => i.appeal.appeal.applicant.phone));
  const keys = uniq(items.map((i) => i.appeal.identityKey));
  const prints = uniq(items.map((i) => i.appeal.textFingerprint));
  if (!phones.length && !keys.length && !prints.length) return new KnownAppeals();
  const earliest = Math.min(...items.map((i) => i.appeal.appeal.receivedAt.getTime()));
  const since = tx.getPlatform().processDateProperty(new Date(earliest - REPEAT_LOOKBACK_DAYS * DAY)) as Date;
  // Three narrow queries, each on its own index, instead of one OR across joined tables (which
  // SQLite answers by scanning).
  const base = () =>
    tx
      .getKnex()('appeal as a')
      .join('applicant as p', 'a.applicant_id', 'p.id')
      .select('a.id', 'a.received_at', 'a.topic_code', 'a.status', 'a.receipt_sign', 'a.mass_of_id')
      .select('a.text_fingerprint', 'p.phone', 'p.identity_key')
      .where('a.received_at', '>=', since);
  const queries = [
    phones.length ? base().whereIn('p.phone', phones) : null,
    keys.length ? base().whereIn('p.identity_key', keys) : null,
    prints.length ? base().whereIn('a.text_fingerprint', prints).whereNull('a.mass_of_id') : null,
  ].filter((q) => q !== null);
  // One after another: inside a transaction they share one connection anyway.
  const rows: KnownRow[] = [];
  for (const q of queries) rows.push(...(await selectRows<KnownRow>(tx, q)));
  return new KnownAppeals(
    rows.map((r) => ({
      id: r.id,
      receivedAt: new Date(r.received_at),
      topicCode: r.topic_code,
      status: r.status,
      receiptSign: r.receipt_sign,
      massOf: r.mass_of_id,
      phone: r.phone,
      identityKey: r.identity_key,
      textFingerprint: r.text_fingerprint,
    })),
  );
}

interface ExistingRow {
  id: string;
  external_id: string;
  receipt_sign: ReceiptSign;
  flags: string | string[];
  duplicate_of_id: string | null;
  repeat_of_id: string | null;
  mass_of_id: string | null;
}

interface KnownRow {
  id: string;
  received_at: number | string | Date;
  topic_code: string;
  status: AppealState;
  receipt_sign: ReceiptSign;
  mass_of_id: string | null;
  text_fingerprint: string | null;
  phone: string | null;
  identity_key: string | null;
}

const uniq = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => x !== null))];
