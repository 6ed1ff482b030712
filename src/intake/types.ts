/**
 * The contract between a source line's reader and the common intake path. A reader turns one
 * document (1207 XML, JSON, a GraphQL input) into items; each item is either an appeal as that
 * line said it (`IntakeItem`, not yet normalised) or a per-item rejection (`IntakeRejection`).
 * Readers check that an item can be READ (types, known classifier codes, valid KATOTTG, phone
 * parseable); whether it satisfies the LAW (name, address, essence) is decided later, and an
 * unlawful-but-readable appeal is stored and flagged, never rejected.
 */
import type {
  AppealKind,
  AppealSubject,
  ReceiptForm,
  ReceiptSign,
  Sex,
  SourceLine,
} from '../domain/appeal.js';

export interface IntakeAuthor {
  lastName: string | null;
  firstName: string | null;
  patronymic: string | null;
  /** As given; normalised to E.164 later. */
  phone: string | null;
  email: string | null;
  /** One line, as a person would write it on an envelope. */
  address: string | null;
  /** Classifier section 7 codes, e.g. ['7.5']. */
  categories: string[];
  /** Classifier section 8 code, e.g. '8.1'. */
  socialStatus: string | null;
  sex: Sex | null;
}

export interface IntakeAttachment {
  fileName: string;
  mimeType: string;
  content: Buffer;
}

export interface DirectLineSession {
  /** The session of "Влада на зв'язку з громадськістю" the call came in on. */
  sessionId: string;
  /** EDRPOU code of the official's body. */
  agencyCode: string;
  officialName: string | null;
}

export interface IntakeItem {
  source: SourceLine;
  /** Idempotency key within the source: the UCC's document id, the hotline's card id. */
  externalId: string;
  /** The registration number the source gave the appeal, e.g. the UCC's RegNumber. */
  registrationNumber: string | null;
  /** When the source registered it; the deadline runs from here. */
  receivedAt: Date;
  kind: AppealKind;
  subject: AppealSubject;
  receiptSign: ReceiptSign | null;
  receiptForm: ReceiptForm | null;
  /** A classifier topic code (already checked to exist). */
  topicCode: string;
  /** KATOTTG as given (already checked to be valid); normalised later. */
  territoryCode: string | null;
  /** The essence of the appeal. Empty or null is readable (and flagged), not rejected. */
  summary: string | null;
  urgent: boolean;
  /** Art. 10: the citizen asked not to disclose name and address. */
  nonDisclosure: boolean;
  /** The first author; null for an anonymous appeal. */
  author: IntakeAuthor | null;
  /** Further authors of a collective appeal (names only are kept). */
  coAuthors: IntakeAuthor[];
  attachments: IntakeAttachment[];
  directLine: DirectLineSession | null;
  /** A complaint: EDRPOU of the body whose actions it challenges (Art. 7: never routed to it). */
  complaintAbout: string | null;
  /** Where the message came from, for the audit trail: msg_id, from_org_id, … */
  origin: Record<string, string>;
}

export interface IntakeRejection {
  /** Position of the item in the document (0 for a single appeal). */
  index: number;
  externalId: string | null;
  /** Path of the bad field inside the item, e.g. `Document.Author[0].PrivatePerson.Econtact[1]` or `/appeals/3/phone`. */
  path: string;
  code: string;
  message: string;
}

export type ReadOutcome =
  | { ok: true; index: number; item: IntakeItem }
  | { ok: false; rejection: IntakeRejection };

/** A document that cannot be read at all (not XML/JSON, wrong root): the whole request is refused. */
export class UnreadableDocumentError extends Error {
  override readonly name = 'UnreadableDocumentError';
  constructor(
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** Limits every reader enforces; the HTTP layer caps the body before a reader sees it. */
export const INTAKE_LIMITS = {
  maxAttachmentBytes: 10 * 1024 * 1024,
  maxAttachmentsPerAppeal: 20,
  maxSummaryChars: 20_000,
  maxFieldChars: 1_000,
  maxItemsPerBatch: 20_000,
} as const;

/** An item ready to store (read and normalised), or its rejection. */
export type Prepared =
  | { ok: true; index: number; appeal: import('./normalise.js').NormalisedAppeal }
  | { ok: false; rejection: IntakeRejection };
