/**
 * The small vocabularies the 1207 messages need: message ids derived from idempotency keys, Kyiv
 * calendar dates and zoned times, and the classifier codes (Cabinet resolution No. 858) of the
 * payload's readable names. The code tables repeat `src/domain/classifier.ts` on purpose: adapters
 * import only types from `src/domain` (codec.test.ts checks that the two agree).
 */
import { createHash } from 'node:crypto';
import { DateTime, IANAZone } from 'luxon';
import type { AppealKind, AppealSubject, ResultCode, SourceLine } from '../../src/domain/appeal.js';
import type { RecipientRole } from '../port.js';

/** Raised by the encoders for a payload that cannot be written (e.g. a date that is not a date). */
export class EncodeError extends Error {
  override readonly name = 'EncodeError';
}

function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** RFC 4122 URL namespace → the gateway's own namespace for SEV OVV message ids. */
const MSG_ID_NAMESPACE = uuidV5('6ba7b811-9dad-11d1-80b4-00c04fd430c8', 'urn:appeal-gateway:sev-ovv:msg_id');

/**
 * `Header@msg_id` for a delivery: a UUID v5 of the idempotency key, so every attempt of one delivery
 * carries the same msg_id (SEV OVV de-duplicates by it) and no two deliveries share one.
 */
export const msgIdFor = (idempotencyKey: string): string => uuidV5(MSG_ID_NAMESPACE, idempotencyKey);

/** A UUID v5 in the gateway's namespace for any other name (receipts, answers in the simulator). */
export const derivedId = (name: string): string => uuidV5(MSG_ID_NAMESPACE, name);

// ICU data older than tzdata 2022b knows only the Soviet-era spelling.
const KYIV = IANAZone.isValidZone('Europe/Kyiv') ? 'Europe/Kyiv' : 'Europe/Kiev';

function inKyiv(instant: string | Date, field: string): DateTime {
  const dt =
    typeof instant === 'string' ? DateTime.fromISO(instant, { setZone: true }) : DateTime.fromJSDate(instant);
  if (!dt.isValid) throw new EncodeError(`${field} is not an ISO 8601 date-time: "${String(instant)}"`);
  return dt.setZone(KYIV);
}

/** xs:date of the Kyiv calendar day holding the instant (deadlines are Kyiv days, Art. 20). */
export const kyivDate = (instant: string | Date, field: string): string =>
  inKyiv(instant, field).toISODate() ?? '';

/** xs:dateTime in Kyiv time with its offset, to the second: 2026-11-24T16:20:31+02:00. */
export const kyivDateTime = (instant: string | Date, field: string): string =>
  inKyiv(instant, field).startOf('second').toISO({ suppressMilliseconds: true }) ?? '';

/** An xs:dateTime read back as ISO 8601 in UTC; null when it is not one or names no zone. */
export function utcInstant(value: string | null): string | null {
  if (value === null || !/(?:Z|[+-]\d{2}:\d{2})$/.test(value)) return null;
  const dt = DateTime.fromISO(value, { setZone: true });
  return dt.isValid ? dt.toUTC().toISO() : null;
}

export const KIND_CODES: Readonly<Record<AppealKind, { code: string; label: string }>> = {
  proposal: { code: '3.1', label: 'Пропозиція (зауваження)' },
  application: { code: '3.2', label: 'Заява (клопотання)' },
  complaint: { code: '3.3', label: 'Скарга' },
};

export const SUBJECT_CODES: Readonly<Record<AppealSubject, string>> = {
  individual: '5.1',
  collective: '5.2',
  anonymous: '5.3',
};

export const RESULT_CODES: Readonly<Record<ResultCode, string>> = {
  resolved_positively: '9.1',
  refused: '9.2',
  explained: '9.3',
  returned_to_author: '9.4',
  forwarded_by_competence: '9.5',
  not_subject_to_consideration: '9.6',
};

export const resultOfCode = (code: string): ResultCode | undefined =>
  (Object.keys(RESULT_CODES) as ResultCode[]).find((name) => RESULT_CODES[name] === code);

/** `AppealCard@channel`, as the gov-line intake writes it. */
export const channelOf = (source: SourceLine): string => (source === 'gov_hotline_1545' ? '1545' : source);

/**
 * The recipient's role in 1207 terms. `Executor@responsible` is the standard's own enum
 * (0 співвиконавець, 1 відповідальний виконавець, 2 до відома); a copy for information is also a
 * copy of the task (`Task@task_copy` 1), not on control (`Task@referred-control` 0), and its document
 * is sent for information (`Document@purpose_type` 0 Інформування) instead of for execution (3).
 */
export const ROLE_ATTRIBUTES: Readonly<
  Record<
    RecipientRole,
    { responsible: string; taskCopy: string; control: string; purposeType: string; taskText: string }
  >
> = {
  responsible: {
    responsible: '1',
    taskCopy: '0',
    control: '1',
    purposeType: '3',
    taskText:
      'Розглянути звернення громадянина як відповідальний виконавець і надати відповідь заявнику та контактному центру у встановлений законом строк.',
  },
  co_executor: {
    responsible: '0',
    taskCopy: '0',
    control: '1',
    purposeType: '3',
    taskText:
      'Розглянути звернення громадянина як співвиконавець і надати інформацію відповідальному виконавцю та контактному центру у встановлений законом строк.',
  },
  for_information: {
    responsible: '2',
    taskCopy: '1',
    control: '0',
    purposeType: '0',
    taskText: 'До відома. Відповідь заявнику надає відповідальний виконавець.',
  },
};

/** Econtact@type of a phone: м for Ukrainian mobile operators' codes, д (home) for other numbers. */
export const phoneType = (phone: string): string =>
  /^\+?380(?:39|50|63|66|67|68|73|75|77|89|9[1-9])\d{7}$/.test(phone.replace(/[\s()-]/g, '')) ? 'м' : 'д';
