import { ADAPTER_KINDS, AGENCY_KINDS } from '../db/entities/agency.js';
import { ASSIGNMENT_ROLES } from '../db/entities/assignment.js';
import {
  APPEAL_KINDS,
  APPEAL_SUBJECTS,
  RECEIPT_FORMS,
  RECEIPT_SIGNS,
  RESULTS,
  SEXES,
  SOURCE_LINES,
} from '../domain/appeal.js';
import {
  KIND_CODES,
  RECEIPT_FORM_CODES,
  RECEIPT_SIGN_CODES,
  RESULT_CODES,
  SEX_CODES,
  SUBJECT_CODES,
} from '../domain/classifier.js';
import { APPEAL_STATES, STATE_LABELS } from '../domain/status.js';
import { builder } from './builder.js';

/** A GraphQL enum over a domain list: SCREAMING_CASE names, the domain's string as the value. */
function enumOf<const T extends readonly string[]>(
  name: string,
  values: T,
  describe?: (v: T[number]) => string,
) {
  return builder.enumType(name, {
    values: Object.fromEntries(
      values.map((v) => [
        v.toUpperCase().replace(/-/g, '_'),
        { value: v as T[number], ...(describe ? { description: describe(v) } : {}) },
      ]),
    ) as Record<string, { value: T[number] }>,
  });
}

const label = (list: readonly { name: string; code: string; label: string }[]) => (v: string) => {
  const e = list.find((x) => x.name === v);
  return e ? `${e.code} ${e.label}` : v;
};

export const SourceLineEnum = enumOf('SourceLine', SOURCE_LINES);
export const AppealKindEnum = enumOf('AppealKind', APPEAL_KINDS, label(KIND_CODES));
export const AppealSubjectEnum = enumOf('AppealSubject', APPEAL_SUBJECTS, label(SUBJECT_CODES));
export const ReceiptSignEnum = enumOf('ReceiptSign', RECEIPT_SIGNS, label(RECEIPT_SIGN_CODES));
export const ReceiptFormEnum = enumOf('ReceiptForm', RECEIPT_FORMS, label(RECEIPT_FORM_CODES));
export const SexEnum = enumOf('Sex', SEXES, label(SEX_CODES));
export const ResultEnum = enumOf('Result', RESULTS, label(RESULT_CODES));
export const AppealStatusEnum = enumOf('AppealStatus', APPEAL_STATES, (v) => STATE_LABELS[v]);
export const AssignmentRoleEnum = enumOf('AssignmentRole', ASSIGNMENT_ROLES);
export const AgencyKindEnum = enumOf('AgencyKind', AGENCY_KINDS);
export const AdapterKindEnum = enumOf('AdapterKind', ADAPTER_KINDS);
