/** The rows one accepted appeal becomes, and their bulk insert (no unit-of-work bookkeeping). */

import type { EntityManager } from '@mikro-orm/knex';
import { bulkInsert } from '../db/bulk-insert.js';
import { Appeal, Applicant, Assignment, Attachment, Delivery, StatusEvent } from '../db/entities/index.js';
import { newId } from '../db/ids.js';
import { onSqlite } from '../db/knex-query.js';
import type { ReceiptSign } from '../domain/appeal.js';
import type { Correlation } from './linking.js';
import type { NormalisedAppeal } from './normalise.js';

type Row = Record<string, unknown>;

export interface Rows {
  applicants: Row[];
  appeals: (Row & { id: string; receiptSign: ReceiptSign; massOf: string | null })[];
  events: Row[];
  attachments: Row[];
  assignments: Row[];
  deliveries: Row[];
  massUpdates: { id: string; massOf: string | null }[];
}

export function emptyRows(): Rows {
  return {
    applicants: [],
    appeals: [],
    events: [],
    attachments: [],
    assignments: [],
    deliveries: [],
    massUpdates: [],
  };
}

export function rowsFor(
  rows: Rows,
  input: {
    id: string;
    n: NormalisedAppeal;
    link: Correlation;
    directLineAgency: string | null;
    /** Id of the body a complaint challenges. */
    complaintAbout?: string | null;
    now: Date;
  },
): void {
  const { id, n, link, directLineAgency, now } = input;
  const a = n.appeal;
  const applicantId = newId();
  rows.applicants.push({
    id: applicantId,
    ...a.applicant,
    coAuthors: n.coAuthors,
    identityKey: n.identityKey,
  });
  rows.appeals.push({
    id,
    registrationNumber: a.registrationNumber,
    source: a.source,
    externalId: a.externalId,
    receivedAt: a.receivedAt,
    kind: a.kind,
    subject: a.subject,
    receiptSign: link.receiptSign,
    receiptForm: a.receiptForm,
    topicCode: a.topicCode,
    territoryCode: a.territoryCode,
    summary: a.summary,
    applicant: applicantId,
    priority: a.priority,
    urgent: n.item.urgent,
    status: a.status,
    dueAt: a.dueAt,
    result: null,
    flags: n.flags,
    duplicateOf: link.duplicateOf,
    repeatOf: link.repeatOf,
    massOf: link.massOf,
    textFingerprint: n.textFingerprint,
    directLineSession: n.item.directLine?.sessionId ?? null,
    directLineAgency,
    directLineOfficial: n.item.directLine?.officialName ?? null,
    complaintAbout: input.complaintAbout ?? null,
    origin: n.item.origin,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  rows.events.push({
    id: newId(),
    appeal: id,
    assignment: null,
    origin: 'gateway',
    event: 'register',
    fromState: null,
    state: 'registered',
    result: null,
    note: n.flags.length ? `зареєстровано з позначками: ${n.flags.join(', ')}` : 'зареєстровано',
    occurredAt: a.receivedAt,
    recordedAt: now,
    externalEventId: `${a.source}:${a.externalId}:register`,
  });
  for (const f of n.item.attachments) {
    rows.attachments.push({
      id: newId(),
      appeal: id,
      fileName: f.fileName,
      mimeType: f.mimeType,
      size: f.content.length,
      content: f.content,
    });
  }
}

export async function insertRows(tx: EntityManager, rows: Rows): Promise<void> {
  await bulkInsert(tx, Applicant, rows.applicants);
  await bulkInsert(tx, Appeal, rows.appeals);
  await bulkInsert(tx, StatusEvent, rows.events);
  await bulkInsert(tx, Attachment, rows.attachments);
  await insertAssignments(tx, rows);
  await bulkInsert(tx, Delivery, rows.deliveries);
  for (const u of rows.massUpdates) {
    await tx.nativeUpdate(Appeal, { id: u.id }, { receiptSign: 'mass', massOf: u.massOf });
  }
}

/**
 * On SQLite each copy is written with its appeal's state in `appeal_status` (see countAppeals), which
 * the database's trigger would otherwise add by rewriting every new copy (a third of their cost).
 */
async function insertAssignments(tx: EntityManager, rows: Rows): Promise<void> {
  if (!onSqlite(tx) || !rows.assignments.length) return bulkInsert(tx, Assignment, rows.assignments);
  const states = new Map(rows.appeals.map((a) => [a.id, a.status]));
  const copies = rows.assignments.map((c) => ({
    ...c,
    appeal_status: states.get(c.appeal as string) ?? null,
  }));
  await bulkInsert(tx, Assignment, copies, ['appeal_status']);
}

/** The routing of an appeal just added to `rows`: its assignments, and if it went to a body, its state. */
export function routedRows(
  rows: Rows,
  appealId: string,
  routed: { assignments: Row[]; deliveries: Row[]; state: 'routed' | 'registered' },
  reason: string,
  now: Date,
): void {
  rows.assignments.push(...routed.assignments);
  rows.deliveries.push(...routed.deliveries);
  if (routed.state !== 'routed') return;
  const appeal = rows.appeals[rows.appeals.length - 1];
  if (appeal?.id === appealId) appeal.status = 'routed';
  rows.events.push({
    id: newId(),
    appeal: appealId,
    assignment: null,
    origin: 'gateway',
    event: 'route',
    fromState: 'registered',
    state: 'routed',
    result: null,
    note: reason,
    occurredAt: now,
    recordedAt: now,
    externalEventId: `gateway:${appealId}:route:1`,
  });
}
