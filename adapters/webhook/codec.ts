/**
 * The webhook wire format: signed JSON over HTTP(S) for bodies with a modern system of their own.
 * Pure mapping, no I/O and no clock (callers pass `nowMs`).
 *
 * - Delivery: `POST <url>` with the JSON of `encodeDelivery` and an `Idempotency-Key` header.
 * - Receipt reply: `{ "status": "delivered"|"accepted"|"registered", "id"?: string|null,
 *   "registrationNumber"?: string|null }`; `registered` must carry the registration number.
 * - Status feed: `GET <statusUrl>?after=<cursor>` answers `{ "updates": [...], "cursor": string|null }`.
 * - Signature: `X-Gateway-Timestamp: <Unix seconds>` and `X-Gateway-Signature: sha256=<hex>`, the
 *   lower-case hex HMAC-SHA256, keyed by the body's secret (UTF-8), of `<timestamp>.<body bytes>`
 *   (the empty body for GET). The timestamp is signed so a captured request cannot be replayed later.
 *
 * A reply this module cannot read is a retryable MALFORMED_REPLY: it must never mark a delivery done.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ResultCode } from '../../src/domain/appeal.js';
import type {
  DeliveryFailure,
  DeliveryPayload,
  OpenCopy,
  PayloadPerson,
  Receipt,
  StatusUpdate,
  UnmappedStatus,
} from '../port.js';

export const SIGNATURE_HEADER = 'X-Gateway-Signature';
export const TIMESTAMP_HEADER = 'X-Gateway-Timestamp';
/** How far a request's timestamp may be from the receiver's clock before it is refused. */
export const SIGNATURE_TOLERANCE_S = 300;

export type Decoded<T> = { ok: true; value: T } | { ok: false; failure: DeliveryFailure };

export interface StatusFeed {
  updates: StatusUpdate[];
  /** Items whose `event` is not in STATUS_CODES: read, never applied. */
  unmapped: UnmappedStatus[];
  cursor: string | null;
}

/**
 * The one table from the feed's `event` codes to the gateway's events. The wire uses the canonical
 * names themselves; a code not listed here is returned as unmapped, never guessed.
 */
export const STATUS_CODES: Readonly<Record<string, StatusUpdate['event']>> = {
  deliver: 'deliver',
  accept: 'accept',
  extend: 'extend',
  answer: 'answer',
  forward: 'forward',
  reject: 'reject',
  return: 'return',
};

/** The exact body we POST for one delivery: field by field, so the wire stays stable as the payload grows. */
export function encodeDelivery(p: DeliveryPayload): string {
  return JSON.stringify({
    version: 1,
    appeal: {
      id: p.appealId,
      registrationNumber: p.registrationNumber,
      source: p.source,
      externalId: p.externalId,
      receivedAt: p.receivedAt,
      dueAt: p.dueAt,
      kind: p.kind,
      subject: p.subject,
      topic: { code: p.topicCode, label: p.topicLabel },
      territoryCode: p.territoryCode,
      summary: p.summary,
      urgent: p.urgent,
      priority: p.priority,
      nonDisclosure: p.nonDisclosure,
      author: p.author && person(p.author),
      coAuthors: p.coAuthors.map(person),
      attachments: p.attachments.map((a) => ({
        fileName: a.fileName,
        mimeType: a.mimeType,
        contentBase64: a.contentBase64,
      })),
    },
    recipient: { code: p.recipient.code, name: p.recipient.name, role: p.recipient.role },
    sender: { code: p.sender.code, name: p.sender.name },
    routing: { reason: p.routing.reason, ruleId: p.routing.ruleId, ruleSetVersion: p.routing.ruleSetVersion },
    purpose: p.purpose,
  });
}

function person(a: PayloadPerson) {
  return {
    lastName: a.lastName,
    firstName: a.firstName,
    patronymic: a.patronymic,
    phone: a.phone,
    email: a.email,
    address: a.address,
    categories: [...a.categories],
    socialStatus: a.socialStatus,
    sex: a.sex,
  };
}

export interface WireReceipt {
  status: Receipt['level'];
  id: string | null;
  registrationNumber: string | null;
}

export function encodeReceipt(r: WireReceipt): string {
  return JSON.stringify({ status: r.status, id: r.id, registrationNumber: r.registrationNumber });
}

/** `context` goes into the receipt's log line, e.g. "HTTP 201". */
export function decodeReceipt(text: string, context: string): Decoded<Receipt> {
  return decode(text, (o) => {
    const level = oneOf(o.status, LEVELS, '/status');
    const agencyRef = optText(o.id, '/id');
    const registrationNumber = optText(o.registrationNumber, '/registrationNumber');
    if (level === 'registered' && registrationNumber === null)
      throw new Malformed('/registrationNumber', 'is required when the status is "registered"');
    const detail = [context, `status=${level}`, agencyRef && `id=${agencyRef}`].filter(Boolean).join(' ');
    return { level, agencyRef, registrationNumber, detail };
  });
}

/** The states a body's open list may name, mapped to the gateway's (one table; others are unknown). */
export const OPEN_STATES: Readonly<Record<string, string>> = {
  delivered: 'delivered',
  under_consideration: 'under_consideration',
  extended: 'extended',
};

/** `GET <openUrl>` answers `{ "open": [{ "appealId", "state", "id" }] }`: the body's copies not yet answered. */
export function encodeOpenList(items: readonly OpenCopy[]): string {
  return JSON.stringify({
    open: items.map((i) => ({ appealId: i.appealId, state: i.state, id: i.externalRef })),
  });
}

export function decodeOpenList(text: string): Decoded<OpenCopy[]> {
  return decode(text, (o) => {
    if (!Array.isArray(o.open)) throw new Malformed('/open', 'must be an array');
    return o.open.map((item: unknown, i: number) => {
      const at = `/open/${i}`;
      if (typeof item !== 'object' || item === null) throw new Malformed(at, 'must be an object');
      const x = item as Record<string, unknown>;
      if (typeof x.appealId !== 'string' || !x.appealId) throw new Malformed(`${at}/appealId`, 'is required');
      const state = optText(x.state, `${at}/state`);
      return {
        appealId: x.appealId,
        state: state === null ? null : (OPEN_STATES[state] ?? null),
        externalRef: optText(x.id, `${at}/id`),
      };
    });
  });
}

export function encodeStatusFeed(updates: readonly StatusUpdate[], cursor: string | null): string {
  return JSON.stringify({
    updates: updates.map((u) => ({
      appealId: u.appealId,
      eventId: u.externalEventId,
      event: u.event,
      occurredAt: u.occurredAt,
      result: u.result,
      registrationNumber: u.registrationNumber,
      dueAt: u.dueAt,
      note: u.note,
    })),
    cursor,
  });
}

/**
 * All or nothing: one unreadable item refuses the page, so the cursor never skips an update. An item
 * whose event code is readable but not in STATUS_CODES does not spoil the page: it comes back unmapped.
 */
export function decodeStatusFeed(text: string): Decoded<StatusFeed> {
  return decode(text, (o) => {
    if (!Array.isArray(o.updates)) throw new Malformed('/updates', 'must be an array');
    const updates: StatusUpdate[] = [];
    const unmapped: UnmappedStatus[] = [];
    o.updates.forEach((item, i) => {
      const at = `/updates/${i}`;
      const read = object(item, at);
      const code = textValue(read.event, `${at}/event`);
      const event = Object.hasOwn(STATUS_CODES, code) ? STATUS_CODES[code] : undefined;
      if (event === undefined) {
        const appealId = typeof read.appealId === 'string' && read.appealId.trim() ? read.appealId : null;
        unmapped.push({ externalEventId: textValue(read.eventId, `${at}/eventId`), code, appealId });
      } else updates.push(statusUpdate(read, event, at));
    });
    return { updates, unmapped, cursor: optText(o.cursor, '/cursor') };
  });
}

function statusUpdate(o: Record<string, unknown>, event: StatusUpdate['event'], at: string): StatusUpdate {
  const dueAt = optTime(o.dueAt, `${at}/dueAt`);
  if (event === 'extend' && dueAt === null) throw new Malformed(`${at}/dueAt`, 'is required for "extend"');
  return {
    appealId: textValue(o.appealId, `${at}/appealId`),
    externalEventId: textValue(o.eventId, `${at}/eventId`),
    event,
    occurredAt: time(o.occurredAt, `${at}/occurredAt`),
    result: o.result == null ? null : oneOf(o.result, RESULTS, `${at}/result`),
    registrationNumber: optText(o.registrationNumber, `${at}/registrationNumber`),
    dueAt,
    note: optText(o.note, `${at}/note`),
  };
}

/** The value of `X-Gateway-Signature` for this timestamp (Unix seconds, decimal) and body. */
export function sign(secret: string, timestamp: string, body: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

export function signatureHeaders(secret: string, body: string, nowMs: number): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: sign(secret, timestamp, body) };
}

/** What a receiver checks: a fresh timestamp and a matching signature (compared in constant time). */
export function verifySignature(
  secret: string,
  timestamp: string | undefined,
  body: string | Uint8Array,
  signature: string | undefined,
  nowMs: number,
): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_S) return false;
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const LEVELS = { delivered: true, accepted: true, registered: true } satisfies Record<Receipt['level'], true>;
// src/domain may lend only types here, so the codes are listed again; `satisfies` keeps the lists in step.
const RESULTS = {
  resolved_positively: true,
  refused: true,
  explained: true,
  returned_to_author: true,
  forwarded_by_competence: true,
  not_subject_to_consideration: true,
} satisfies Record<ResultCode, true>;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

class Malformed extends Error {
  constructor(
    readonly pointer: string,
    problem: string,
  ) {
    super(`${pointer || '/'} ${problem}`);
  }
}

function decode<T>(body: string, read: (o: Record<string, unknown>) => T): Decoded<T> {
  try {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new Malformed('', 'is not JSON');
    }
    return { ok: true, value: read(object(json, '')) };
  } catch (err) {
    if (!(err instanceof Malformed)) throw err;
    const failure = {
      retryable: true,
      code: 'MALFORMED_REPLY',
      message: `Unreadable webhook reply: ${err.message}`,
    };
    return { ok: false, failure };
  }
}

function object(v: unknown, at: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Malformed(at, 'must be an object');
  return v as Record<string, unknown>;
}

function textValue(v: unknown, at: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new Malformed(at, 'must be a non-empty string');
  return v;
}

function optText(v: unknown, at: string): string | null {
  return v == null ? null : textValue(v, at);
}

function oneOf<K extends string>(v: unknown, allowed: Record<K, true>, at: string): K {
  if (typeof v === 'string' && Object.hasOwn(allowed, v)) return v as K;
  throw new Malformed(at, `must be one of ${Object.keys(allowed).join(', ')}`);
}

/** ISO 8601 with a zone, normalised to UTC. */
function time(v: unknown, at: string): string {
  const ms = typeof v === 'string' && ISO_TIME.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(ms)) throw new Malformed(at, 'must be an ISO 8601 time with a zone');
  return new Date(ms).toISOString();
}

function optTime(v: unknown, at: string): string | null {
  return v == null ? null : time(v, at);
}
