/**
 * The canonical appeal: the one shape every source line is normalised into
 * (Law of Ukraine No. 393/96-ВР "Про звернення громадян", classifier of Cabinet resolution No. 858).
 * Enumerations use readable names; their classifier codes live in `classifier.ts`.
 */
import type { AppealState } from './status.js';

export const SOURCE_LINES = ['gov_hotline_1545', 'regional_hotline', 'direct_line', 'web', 'other'] as const;
export type SourceLine = (typeof SOURCE_LINES)[number];

/** Section 3 of the classifier. */
export const APPEAL_KINDS = ['proposal', 'application', 'complaint'] as const;
export type AppealKind = (typeof APPEAL_KINDS)[number];

/** Section 5: individual, collective or anonymous. */
export const APPEAL_SUBJECTS = ['individual', 'collective', 'anonymous'] as const;
export type AppealSubject = (typeof APPEAL_SUBJECTS)[number];

/** Section 2: the receipt sign. */
export const RECEIPT_SIGNS = ['primary', 'repeated', 'duplicate', 'recurring', 'mass'] as const;
export type ReceiptSign = (typeof RECEIPT_SIGNS)[number];

/** Section 1: how the appeal reached the body. */
export const RECEIPT_FORMS = [
  'post',
  'phone',
  'personal',
  'authorised_person',
  'authorities',
  'media',
  'other_bodies',
] as const;
export type ReceiptForm = (typeof RECEIPT_FORMS)[number];

/** Section 4. */
export const SEXES = ['male', 'female'] as const;
export type Sex = (typeof SEXES)[number];

/** Section 9: the result of consideration. */
export const RESULTS = [
  'resolved_positively',
  'refused',
  'explained',
  'returned_to_author',
  'forwarded_by_competence',
  'not_subject_to_consideration',
] as const;
export type ResultCode = (typeof RESULTS)[number];

export interface Applicant {
  lastName: string | null;
  firstName: string | null;
  patronymic: string | null;
  /** E.164, e.g. +380671234567. */
  phone: string | null;
  email: string | null;
  address: string | null;
  /** Classifier section 7 codes, e.g. ['7.5']. */
  categories: string[];
  /** Classifier section 8 code. */
  socialStatus: string | null;
  sex: Sex | null;
  /** Art. 10: name and address are not disclosed at the citizen's request. */
  nonDisclosure: boolean;
}

export interface CanonicalAppeal {
  source: SourceLine;
  externalId: string | null;
  registrationNumber: string | null;
  receivedAt: Date;
  kind: AppealKind;
  subject: AppealSubject;
  receiptSign: ReceiptSign;
  receiptForm: ReceiptForm | null;
  /** Classifier section II, e.g. '006' or '006.01'. */
  topicCode: string;
  /** KATOTTG, normalised: 'UA' + 17 digits. */
  territoryCode: string | null;
  summary: string;
  applicant: Applicant;
  priority: boolean;
  status: AppealState;
  dueAt: Date;
}
