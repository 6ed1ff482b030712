/**
 * What one body receives about one appeal, and only that (Law No. 2297-VI on personal data):
 * - the responsible body and co-executors get the author's contacts and the files;
 * - a copy for information carries names only: no phone, e-mail, address or files;
 * - when the citizen asked not to disclose name and address (Art. 10), both are withheld from
 *   everyone but the responsible body.
 * `sentFields` names the personal fields that travel, for the audit entry of the transfer.
 */
import type { DeliveryPayload, PayloadPerson, RecipientRole } from '../../adapters/port.js';
import type { AppealKind, AppealSubject, SourceLine } from '../domain/appeal.js';
import { findTopic } from '../domain/topics.js';

export const TRANSFER_PURPOSE =
  'розгляд звернення громадянина за належністю (Закон «Про звернення громадян», ст. 7)';

export interface BuiltPayload {
  payload: DeliveryPayload;
  sentFields: string[];
}

/** What a payload is built from: entities, or rows the dispatcher read in one query. */
export interface PayloadSource {
  appeal: {
    id: string;
    registrationNumber?: string | null;
    source: SourceLine;
    externalId?: string | null;
    receivedAt: Date;
    dueAt: Date;
    kind: AppealKind;
    subject: AppealSubject;
    topicCode: string;
    territoryCode?: string | null;
    summary: string;
    urgent: boolean;
    priority: boolean;
  };
  applicant: {
    lastName?: string | null;
    firstName?: string | null;
    patronymic?: string | null;
    phone?: string | null;
    email?: string | null;
    address?: string | null;
    categories: string[];
    socialStatus?: string | null;
    sex?: 'male' | 'female' | null;
    nonDisclosure: boolean;
    coAuthors: {
      lastName: string | null;
      firstName: string | null;
      patronymic: string | null;
      address?: string | null;
    }[];
  } | null;
  attachments: { fileName: string; mimeType: string; content: Uint8Array }[];
  assignment: {
    role: string;
    reason?: string | null;
    ruleId?: string | null;
    ruleSetVersion?: number | null;
  };
  recipient: { code: string; name: string };
  sender: { code: string; name: string };
}

export function buildPayload(input: PayloadSource): BuiltPayload {
  const { appeal, applicant, assignment, recipient } = input;
  const role = assignment.role as RecipientRole;
  const withheld = applicant?.nonDisclosure === true && role !== 'responsible';
  const contacts = role !== 'for_information' && !withheld;
  const sent = new Set<string>();
  const person = (p: {
    lastName?: string | null;
    firstName?: string | null;
    patronymic?: string | null;
    phone?: string | null;
    email?: string | null;
    address?: string | null;
  }): PayloadPerson => {
    const keep = <T>(field: string, value: T | null | undefined, allowed: boolean): T | null => {
      if (!allowed || value == null) return null;
      sent.add(field);
      return value;
    };
    return {
      lastName: keep('lastName', p.lastName, !withheld),
      firstName: keep('firstName', p.firstName, !withheld),
      patronymic: keep('patronymic', p.patronymic, !withheld),
      phone: keep('phone', p.phone, contacts),
      email: keep('email', p.email, contacts),
      address: keep('address', p.address, contacts),
      categories: [],
      socialStatus: null,
      sex: null,
    };
  };
  // Author categories (disability, veteran status…), social status and sex: for the bodies that
  // consider the appeal, not for copies for information.
  const profile = role !== 'for_information';
  const author = applicant
    ? {
        ...person(applicant),
        categories: profile ? applicant.categories : [],
        socialStatus: profile ? (applicant.socialStatus ?? null) : null,
        sex: profile ? (applicant.sex ?? null) : null,
      }
    : null;
  if (profile && applicant?.categories.length) sent.add('categories');
  if (profile && applicant?.socialStatus) sent.add('socialStatus');
  if (profile && applicant?.sex) sent.add('sex');
  const files = role === 'for_information' ? [] : input.attachments;
  if (files.length) sent.add('attachments');
  const payload: DeliveryPayload = {
    appealId: appeal.id,
    registrationNumber: appeal.registrationNumber ?? null,
    source: appeal.source,
    externalId: appeal.externalId ?? null,
    receivedAt: appeal.receivedAt.toISOString(),
    dueAt: appeal.dueAt.toISOString(),
    kind: appeal.kind,
    subject: appeal.subject,
    topicCode: appeal.topicCode,
    topicLabel: findTopic(appeal.topicCode)?.label ?? appeal.topicCode,
    territoryCode: appeal.territoryCode ?? null,
    summary: appeal.summary,
    urgent: appeal.urgent,
    priority: appeal.priority,
    nonDisclosure: applicant?.nonDisclosure ?? false,
    author,
    coAuthors: (applicant?.coAuthors ?? []).map((c) => person({ ...c, address: c.address ?? null })),
    attachments: files.map((f) => ({
      fileName: f.fileName,
      mimeType: f.mimeType,
      contentBase64: Buffer.from(f.content.buffer, f.content.byteOffset, f.content.byteLength).toString(
        'base64',
      ),
    })),
    recipient: { code: recipient.code, name: recipient.name, role },
    sender: input.sender,
    routing: {
      reason: assignment.reason ?? null,
      ruleId: assignment.ruleId ?? null,
      ruleSetVersion: assignment.ruleSetVersion ?? null,
    },
    purpose: TRANSFER_PURPOSE,
  };
  return { payload, sentFields: [...sent].sort() };
}
