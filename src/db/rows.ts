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

type Convert = (v: unknown, c: Conv) => unknown;
const asIs: Convert = (v) => v;
const orNull: Convert = (v) => v ?? null;
const date: Convert = (v, c) => c.date(v);
const dateOrNull: Convert = (v, c) => c.dateOrNull(v);
const bool: Convert = (v, c) => c.bool(v);
const json: Convert = (v, c) => c.json(v);
const reference: Convert = (v) => ref(v);

/** Each column an appeal's view is read from, the property it fills and how it is converted. */
const APPEAL_MAP: Record<string, readonly [keyof AppealView, Convert]> = {
  id: ['id', asIs],
  registration_number: ['registrationNumber', orNull],
  source: ['source', asIs],
  external_id: ['externalId', orNull],
  received_at: ['receivedAt', date],
  kind: ['kind', asIs],
  subject: ['subject', asIs],
  receipt_sign: ['receiptSign', asIs],
  receipt_form: ['receiptForm', orNull],
  topic_code: ['topicCode', asIs],
  territory_code: ['territoryCode', orNull],
  summary: ['summary', asIs],
  applicant_id: ['applicant', reference],
  priority: ['priority', bool],
  urgent: ['urgent', bool],
  status: ['status', asIs],
  due_at: ['dueAt', date],
  result: ['result', orNull],
  flags: ['flags', json],
  duplicate_of_id: ['duplicateOf', reference],
  repeat_of_id: ['repeatOf', reference],
  mass_of_id: ['massOf', reference],
  direct_line_session: ['directLineSession', orNull],
  direct_line_agency_id: ['directLineAgency', reference],
  direct_line_official: ['directLineOfficial', orNull],
  complaint_about_id: ['complaintAbout', reference],
  forward_due_at: ['forwardDueAt', dateOrNull],
  forwarded_at: ['forwardedAt', dateOrNull],
};

/** Read whatever is asked: the id, the status and both dates (the orders and cursors use them). */
const ALWAYS = ['id', 'status', 'received_at', 'due_at'];

/**
 * The columns each field of the GraphQL type Appeal is shown from, beyond ALWAYS. A field not listed
 * here (a new one) reads every column: a missing entry costs time, never a wrong answer.
 * test/graphql-appeal-fields.test.ts checks every field of the type against the full read.
 */
const FIELD_COLUMNS: Record<string, readonly string[]> = {
  __typename: [],
  id: [],
  status: [],
  receivedAt: [],
  dueAt: [],
  overdue: [],
  lastChange: [],
  assignments: [],
  routeExplanation: [],
  externalId: ['external_id'],
  registrationNumber: ['registration_number'],
  source: ['source'],
  kind: ['kind'],
  subject: ['subject'],
  receiptSign: ['receipt_sign'],
  receiptForm: ['receipt_form'],
  topicCode: ['topic_code'],
  topicLabel: ['topic_code'],
  territoryCode: ['territory_code'],
  summary: ['summary'],
  priority: ['priority'],
  urgent: ['urgent'],
  result: ['result'],
  flags: ['flags'],
  lawReview: ['flags'],
  applicant: ['applicant_id'],
  attachments: ['applicant_id'],
  duplicateOf: ['duplicate_of_id'],
  repeatOf: ['repeat_of_id'],
  massOf: ['mass_of_id'],
  directLine: ['direct_line_session', 'direct_line_agency_id', 'direct_line_official'],
  complaintAbout: ['complaint_about_id'],
  forwardDueAt: ['forward_due_at'],
  forwardedAt: ['forwarded_at'],
  forwardOverdue: ['forward_due_at', 'forwarded_at'],
};

const ALL_APPEAL_COLUMNS = Object.keys(APPEAL_MAP);

/**
 * The columns (alias `a`, as a select list) that show the given GraphQL fields of an appeal; all of
 * them when `fields` is null or names a field FIELD_COLUMNS does not know.
 */
export function appealColumns(fields: ReadonlySet<string> | null): string {
  let columns: Iterable<string> = ALL_APPEAL_COLUMNS;
  if (fields) {
    const wanted = new Set(ALWAYS);
    for (const f of fields) {
      const cols = FIELD_COLUMNS[f];
      if (!cols) {
        wanted.clear();
        break;
      }
      for (const col of cols) wanted.add(col);
    }
    if (wanted.size) columns = wanted;
  }
  return [...columns].map((c) => `a.${c}`).join(', ');
}

/** An appeal's view from a row of (some of) its columns: what was not read stays unset. */
export function appealView(r: Row, c: Conv): AppealView {
  const view: Record<string, unknown> = {};
  for (const column in r) {
    const m = APPEAL_MAP[column];
    if (m) view[m[0]] = m[1](r[column], c);
  }
  return view as AppealView;
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
