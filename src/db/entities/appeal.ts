import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import {
  APPEAL_KINDS,
  APPEAL_SUBJECTS,
  RECEIPT_FORMS,
  RECEIPT_SIGNS,
  RESULTS,
  SOURCE_LINES,
} from '../../domain/appeal.js';
import { APPEAL_STATES } from '../../domain/status.js';
import { STORED_LENGTHS } from '../../domain/stored-lengths.js';
import { Agency } from './agency.js';
import { Applicant } from './applicant.js';
import { Assignment } from './assignment.js';
import { Attachment } from './attachment.js';

/** The canonical appeal as stored. Times are UTC instants. */
export const Appeal = defineEntity({
  name: 'Appeal',
  tableName: 'appeal',
  properties: {
    id: p.uuid().primary(),
    registrationNumber: p.string().length(STORED_LENGTHS.registrationNumber).nullable(),
    source: p.enum([...SOURCE_LINES]),
    /** The id the source line gave the appeal; unique per source (idempotent intake). */
    externalId: p.string().length(STORED_LENGTHS.externalId).nullable(),
    receivedAt: p.datetime(),
    kind: p.enum([...APPEAL_KINDS]),
    subject: p.enum([...APPEAL_SUBJECTS]),
    receiptSign: p.enum([...RECEIPT_SIGNS]),
    receiptForm: p.enum([...RECEIPT_FORMS]).nullable(),
    topicCode: p.string().length(16),
    territoryCode: p.string().length(19).nullable(),
    summary: p.text(),
    applicant: () => p.oneToOne(Applicant).owner().nullable().deleteRule('set null'),
    priority: p.boolean().default(false),
    urgent: p.boolean().default(false),
    status: p.enum([...APPEAL_STATES]),
    dueAt: p.datetime(),
    result: p.enum([...RESULTS]).nullable(),
    /** Lawfulness problems found at intake (stored and flagged, never dropped). */
    flags: p.json<string[]>(),
    /** Same citizen, same question, within 30 days, not yet answered (receipt sign 2.3). */
    duplicateOf: () => p.manyToOne(Appeal).nullable(),
    /** Same citizen, same question, after it was answered (receipt sign 2.2). */
    repeatOf: () => p.manyToOne(Appeal).nullable(),
    /** Many authors, near-identical text (receipt sign 2.5): the first appeal of the group. */
    massOf: () => p.manyToOne(Appeal).nullable(),
    /** Hash of the normalised essence, to find mass appeals. */
    textFingerprint: p.string().length(64).nullable(),
    /** A direct phone line with an official ("Влада на зв'язку з громадськістю"). */
    directLineSession: p.string().length(STORED_LENGTHS.directLineSession).nullable(),
    directLineAgency: () => p.manyToOne(Agency).nullable(),
    directLineOfficial: p.string().length(STORED_LENGTHS.directLineOfficial).nullable(),
    /** A complaint: the body whose actions it challenges (Art. 7: never routed to it). */
    complaintAbout: () => p.manyToOne(Agency).nullable(),
    /**
     * Art. 7: when the responsible body returned the appeal as not competent, the forward to the
     * competent body is due by this time (5 days); `forwardedAt` says when it happened.
     */
    forwardDueAt: p.datetime().nullable(),
    forwardedAt: p.datetime().nullable(),
    /** Where the message came from (msg_id, from_org_id, …), for the audit trail. */
    origin: p.json<Record<string, string>>(),
    attachments: () => p.oneToMany(Attachment).mappedBy('appeal'),
    assignments: () => p.oneToMany(Assignment).mappedBy('appeal'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    version: p.integer().version(),
  },
  uniques: [{ properties: ['source', 'externalId'] }],
  indexes: [
    { properties: ['receivedAt', 'id'] },
    { properties: ['status'] },
    { properties: ['topicCode'] },
    { properties: ['territoryCode'] },
    { properties: ['dueAt'] },
    { properties: ['forwardDueAt'] },
    { properties: ['textFingerprint', 'receivedAt'] },
  ],
});
export type IAppeal = InferEntity<typeof Appeal>;
