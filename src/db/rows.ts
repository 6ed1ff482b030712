/**
 * What the GraphQL API shows of an appeal, a body's copy and a body, as plain objects: the fields
 * its resolvers read, with relations as bare `{ id }` references. An entity has the same shape (an
 * `IAppeal` is an `AppealView`), so a field resolves the same from a row read by src/db/reader.ts as
 * from an entity a mutation returns. The mappers turn a row of the columns below into a view, per
 * dialect: SQLite keeps dates as epoch milliseconds, booleans as 0/1 and JSON as text.
 */
import type { IAgency, IAppeal, IAssignment, IStatusEvent } from './entities/index.js';
import type { Dialect } from './reader.js';

type Ref = { id: string } | null | undefined;

/** An appeal as the API shows it; `assignments` is present (and maybe loaded) on entities only. */
export type AppealView = Pick<
  IAppeal,
  | 'id'
  | 'registrationNumber'
  | 'source'
  | 'externalId'
  | 'receivedAt'
  | 'kind'
  | 'subject'
  | 'receiptSign'
  | 'receiptForm'
  | 'topicCode'
  | 'territoryCode'
  | 'summary'
  | 'priority'
  | 'urgent'
  | 'status'
  | 'dueAt'
  | 'result'
  | 'flags'
  | 'directLineSession'
  | 'directLineOfficial'
  | 'forwardDueAt'
  | 'forwardedAt'
> & {
  applicant: Ref;
  duplicateOf: Ref;
  repeatOf: Ref;
  massOf: Ref;
  directLineAgency: Ref;
  complaintAbout: Ref;
  assignments?: { isInitialized(): boolean; getItems(): IAssignment[] };
};

export type AssignmentView = Pick<
  IAssignment,
  | 'id'
  | 'role'
  | 'status'
  | 'ruleSetVersion'
  | 'ruleId'
  | 'reason'
  | 'agencyRegNumber'
  | 'returnedAt'
  | 'answerText'
  | 'answeredAt'
  | 'answerResult'
  | 'extensionReason'
  | 'createdAt'
> & { appeal: { id: string }; agency: { id: string } };

export type AgencyView = Pick<
  IAgency,
  | 'id'
  | 'code'
  | 'codeIsPlaceholder'
  | 'name'
  | 'shortName'
  | 'kind'
  | 'territories'
  | 'adapterKind'
  | 'active'
> & { parent: Ref };

/** What a change of state shows, with its appeal's id. */
export type StatusChange = Pick<
  IStatusEvent,
  'id' | 'event' | 'state' | 'result' | 'origin' | 'occurredAt'
> & {
  appeal: string;
};

/** The loaded copies of an appeal entity, when it came with them; undefined for a row. */
export function loadedAssignments(a: AppealView): AssignmentView[] | undefined {
  return a.assignments?.isInitialized() ? a.assignments.getItems() : undefined;
}

/** The columns an appeal's view is read from (alias `a`). */
export const APPEAL_COLUMNS = [
  'id',
  'registration_number',
  'source',
  'external_id',
  'received_at',
  'kind',
  'subject',
  'receipt_sign',
  'receipt_form',
  'topic_code',
  'territory_code',
  'summary',
  'applicant_id',
  'priority',
  'urgent',
  'status',
  'due_at',
  'result',
  'flags',
  'duplicate_of_id',
  'repeat_of_id',
  'mass_of_id',
  'direct_line_session',
  'direct_line_agency_id',
  'direct_line_official',
  'complaint_about_id',
  'forward_due_at',
  'forwarded_at',
]
  .map((c) => `a.${c}`)
  .join(', ');

export const ASSIGNMENT_COLUMNS = [
  'id',
  'appeal_id',
  'agency_id',
  'role',
  'status',
  'rule_set_version',
  'rule_id',
  'reason',
  'agency_reg_number',
  'returned_at',
  'answer_text',
  'answered_at',
  'answer_result',
  'extension_reason',
  'created_at',
]
  .map((c) => `s.${c}`)
  .join(', ');

export const AGENCY_COLUMNS = [
  'id',
  'code',
  'code_is_placeholder',
  'name',
  'short_name',
  'kind',
  'parent_id',
  'territories',
  'adapter_kind',
  'active',
]
  .map((c) => `g.${c}`)
  .join(', ');

type Row = Record<string, unknown>;

interface Conv {
  date(v: unknown): Date;
  dateOrNull(v: unknown): Date | null;
  bool(v: unknown): boolean;
  json<T>(v: unknown): T;
}

const SQLITE: Conv = {
  date: (v) => new Date(v as number),
  dateOrNull: (v) => (v == null ? null : new Date(v as number)),
  bool: (v) => v === 1 || v === true,
  json: (v) => (typeof v === 'string' ? JSON.parse(v) : v),
};

const POSTGRES: Conv = {
  date: (v) => (v instanceof Date ? v : new Date(v as string)),
  dateOrNull: (v) => (v == null ? null : v instanceof Date ? v : new Date(v as string)),
  bool: (v) => v === true,
  json: (v) => (typeof v === 'string' ? JSON.parse(v) : v),
};

export const conversions = (dialect: Dialect): Conv => (dialect === 'sqlite' ? SQLITE : POSTGRES);

const ref = (v: unknown): { id: string } | null => (v == null ? null : { id: v as string });
const str = (v: unknown): string | null => (v == null ? null : (v as string));

export function appealView(r: Row, c: Conv): AppealView {
  return {
    id: r.id as string,
    registrationNumber: str(r.registration_number),
    source: r.source as AppealView['source'],
    externalId: str(r.external_id),
    receivedAt: c.date(r.received_at),
    kind: r.kind as AppealView['kind'],
    subject: r.subject as AppealView['subject'],
    receiptSign: r.receipt_sign as AppealView['receiptSign'],
    receiptForm: (r.receipt_form ?? null) as AppealView['receiptForm'],
    topicCode: r.topic_code as string,
    territoryCode: str(r.territory_code),
    summary: r.summary as string,
    applicant: ref(r.applicant_id),
    priority: c.bool(r.priority),
    urgent: c.bool(r.urgent),
    status: r.status as AppealView['status'],
    dueAt: c.date(r.due_at),
    result: (r.result ?? null) as AppealView['result'],
    flags: c.json<string[]>(r.flags),
    duplicateOf: ref(r.duplicate_of_id),
    repeatOf: ref(r.repeat_of_id),
    massOf: ref(r.mass_of_id),
    directLineSession: str(r.direct_line_session),
    directLineAgency: ref(r.direct_line_agency_id),
    directLineOfficial: str(r.direct_line_official),
    complaintAbout: ref(r.complaint_about_id),
    forwardDueAt: c.dateOrNull(r.forward_due_at),
    forwardedAt: c.dateOrNull(r.forwarded_at),
  };
}

export function assignmentView(r: Row, c: Conv): AssignmentView {
  return {
    id: r.id as string,
    appeal: { id: r.appeal_id as string },
    agency: { id: r.agency_id as string },
    role: r.role as AssignmentView['role'],
    status: r.status as AssignmentView['status'],
    ruleSetVersion: (r.rule_set_version ?? null) as number | null,
    ruleId: str(r.rule_id),
    reason: str(r.reason),
    agencyRegNumber: str(r.agency_reg_number),
    returnedAt: c.dateOrNull(r.returned_at),
    answerText: str(r.answer_text),
    answeredAt: c.dateOrNull(r.answered_at),
    answerResult: (r.answer_result ?? null) as AssignmentView['answerResult'],
    extensionReason: str(r.extension_reason),
    createdAt: c.date(r.created_at),
  };
}

export function agencyView(r: Row, c: Conv): AgencyView {
  return {
    id: r.id as string,
    code: r.code as string,
    codeIsPlaceholder: c.bool(r.code_is_placeholder),
    name: r.name as string,
    shortName: str(r.short_name),
    kind: r.kind as AgencyView['kind'],
    parent: ref(r.parent_id),
    territories: c.json<string[]>(r.territories),
    adapterKind: r.adapter_kind as AgencyView['adapterKind'],
    active: c.bool(r.active),
  };
}
