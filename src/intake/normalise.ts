/**
 * The one way every line's appeal becomes canonical: names trimmed and cased, phones to E.164,
 * e-mail lower-cased, KATOTTG normalised, the Art. 20 deadline computed, priority for privileged
 * authors, and the law's shortfalls (Art. 5, Art. 8) flagged — never rejected.
 */
import { createHash } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Applicant, CanonicalAppeal } from '../domain/appeal.js';
import { isPrivileged } from '../domain/classifier.js';
import { computeDueAt } from '../domain/deadline.js';
import { DomainError } from '../domain/errors.js';
import { normalizeKatottg } from '../domain/katottg.js';
import { lawFlagsOf } from '../domain/law-flags.js';
import { STORED_LENGTHS } from '../domain/stored-lengths.js';
import type { IntakeAuthor, IntakeItem, Prepared, ReadOutcome } from './types.js';

export interface NormalisedAppeal {
  appeal: CanonicalAppeal;
  coAuthors: {
    lastName: string | null;
    firstName: string | null;
    patronymic: string | null;
    address: string | null;
  }[];
  /** Law flags (Art. 5, Art. 8): stored with the appeal for the operator. */
  flags: string[];
  /** Identity of the citizen across lines: E.164 phone, and a hash of name + address. */
  identityKey: string | null;
  /** Hash of the normalised essence, for mass appeals; null when too short to compare. */
  textFingerprint: string | null;
  /**
   * What the store needs of the item beyond the canonical appeal. Only this travels back from a parse
   * worker: everything else of the item is already in `appeal`, and copying it twice between threads
   * cost as much as a tenth of a large batch's import.
   */
  item: Pick<IntakeItem, 'urgent' | 'directLine' | 'origin' | 'attachments' | 'complaintAbout'>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** "  шевченко-ПЕТРЕНКО " → "Шевченко-Петренко"; "д'ЯКОВА" → "Д'якова". */
export function caseName(raw: string | null): string | null {
  const s = raw?.trim().replace(/\s+/g, ' ');
  if (!s) return null;
  return s
    .toLowerCase()
    .replace(/(^|[\s-])(\p{L})/gu, (_m, sep: string, letter: string) => sep + letter.toUpperCase());
}

/** A Ukrainian number in any common spelling → +380XXXXXXXXX; foreign numbers keep their country. */
export function normalisePhone(raw: string | null, path: string): string | null {
  const s = raw?.trim();
  if (!s) return null;
  const parsed = parsePhoneNumberFromString(s, 'UA');
  if (!parsed?.isValid())
    throw new DomainError('INVALID_PHONE', `not a phone number: ${JSON.stringify(s)}`, path);
  return parsed.format('E.164');
}

function normaliseEmail(raw: string | null, path: string): string | null {
  const s = raw?.trim();
  if (!s) return null;
  if (!EMAIL.test(s))
    throw new DomainError('INVALID_EMAIL', `not an e-mail address: ${JSON.stringify(s)}`, path);
  return s.toLowerCase();
}

const clean = (s: string | null | undefined) => s?.trim().replace(/\s+/g, ' ') || null;

function applicantOf(author: IntakeAuthor | null, nonDisclosure: boolean): Applicant {
  return {
    lastName: caseName(author?.lastName ?? null),
    firstName: caseName(author?.firstName ?? null),
    patronymic: caseName(author?.patronymic ?? null),
    phone: normalisePhone(author?.phone ?? null, 'author.phone'),
    email: normaliseEmail(author?.email ?? null, 'author.email'),
    address: clean(author?.address),
    categories: [...new Set(author?.categories ?? [])].sort(),
    socialStatus: author?.socialStatus ?? null,
    sex: author?.sex ?? null,
    nonDisclosure,
  };
}

/**
 * Lower-cased, apostrophes folded, punctuation dropped: the same words give the same key. Digits are
 * dropped for texts (a template letter with another house number is still the same text) and kept
 * for addresses (house 12 and house 21 are different people).
 */
export function foldText(text: string, keepDigits = false): string {
  const s = text.toLowerCase().replace(/[’ʼ`´]/g, "'");
  // Each run of characters that are not letters (nor digits, when kept) nor apostrophes becomes one
  // space, as `replace(/[^\p{L}']+/gu, ' ')` would do; by a table of code points instead of that
  // Unicode-class regex, which cost a tenth of a large batch's import on essences of 1,000 characters.
  if (out.length < s.length + 1) out = new Uint16Array(s.length + 1);
  const mask = keepDigits ? 6 : 2;
  let n = 0;
  let gap = false;
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    const astral = unit >= 0xd800 && unit <= 0xdbff && (s.codePointAt(i) as number) > 0xffff;
    const cp = astral ? (s.codePointAt(i) as number) : unit;
    if (cp === 0x27 || (classOf(cp) & mask) !== 0) {
      if (gap) out[n++] = 0x20;
      gap = false;
      out[n++] = unit;
      if (astral) out[n++] = s.charCodeAt(i + 1);
    } else gap = true;
    if (astral) i++;
  }
  if (gap) out[n++] = 0x20;
  return UTF16.decode(out.subarray(0, n)).trim();
}

let out = new Uint16Array(4096);
const UTF16 = new TextDecoder('utf-16le');
const LETTER = /^\p{L}$/u;
const NUMBER = /^\p{N}$/u;
/** Per BMP code point, filled on first sight: bit 1 known, bit 2 letter, bit 4 number. */
const CLASS = new Uint8Array(0x10000);

function classOf(cp: number): number {
  const known = cp <= 0xffff ? (CLASS[cp] as number) : 0;
  if (known !== 0) return known;
  const ch = String.fromCodePoint(cp);
  const c = 1 | (LETTER.test(ch) ? 2 : 0) | (NUMBER.test(ch) ? 4 : 0);
  if (cp <= 0xffff) CLASS[cp] = c;
  return c;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function identityKeyOf(a: Applicant): string | null {
  if (!a.lastName || !a.firstName || !a.address) return null;
  return sha(`${foldText(a.lastName)}|${foldText(a.firstName)}|${foldText(a.address, true)}`);
}

const MIN_FINGERPRINT_WORDS = 3;

function fingerprintOf(summary: string): string | null {
  const folded = foldText(summary);
  return folded.split(' ').length >= MIN_FINGERPRINT_WORDS ? sha(folded) : null;
}

/** Throws DomainError (with the field path) for what cannot be made canonical. */
export function normalise(item: IntakeItem): NormalisedAppeal {
  const applicant = applicantOf(item.author, item.nonDisclosure);
  const summary = item.summary?.trim() ?? '';
  const territoryCode = item.territoryCode ? normalizeKatottg(item.territoryCode) : null;
  const subject = item.author === null && item.subject !== 'collective' ? 'anonymous' : item.subject;
  const appeal: CanonicalAppeal = {
    source: item.source,
    externalId: item.externalId,
    registrationNumber: clean(item.registrationNumber),
    receivedAt: item.receivedAt,
    kind: item.kind,
    subject,
    receiptSign: item.receiptSign ?? 'primary',
    receiptForm: item.receiptForm,
    topicCode: item.topicCode,
    territoryCode,
    summary,
    applicant,
    priority: isPrivileged(applicant.categories),
    status: 'registered',
    dueAt: computeDueAt(item.receivedAt, 'general'),
  };
  const normalised: NormalisedAppeal = {
    appeal,
    coAuthors: item.coAuthors.map((c) => ({
      lastName: caseName(c.lastName),
      firstName: caseName(c.firstName),
      patronymic: caseName(c.patronymic),
      address: clean(c.address),
    })),
    flags: lawFlagsOf(appeal),
    identityKey: identityKeyOf(applicant),
    textFingerprint: summary ? fingerprintOf(summary) : null,
    item: {
      urgent: item.urgent,
      directLine: item.directLine,
      origin: item.origin,
      attachments: item.attachments,
      complaintAbout: item.complaintAbout,
    },
  };
  checkStorable(normalised);
  return normalised;
}

const L = STORED_LENGTHS;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one (JSON's "\ud800"). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Throws DomainError FIELD_TOO_LONG (longer than its column, see STORED_LENGTHS) or INVALID_CHARACTER
 * (a NUL, U+0000, which PostgreSQL cannot store in text, or a lone surrogate, which its JSON refuses
 * and its text turns into U+FFFD) for the first field that could not be stored
 * as it is, with its path. Lengths count UTF-16 units, never fewer than the characters a column counts.
 */
function checkStorable(n: NormalisedAppeal): void {
  const { appeal: a, item } = n;
  const p = a.applicant;
  const fields: [string, string | null | undefined, number?][] = [
    ['externalId', a.externalId, L.externalId],
    ['registrationNumber', a.registrationNumber, L.registrationNumber],
    ['summary', a.summary],
    ['author.lastName', p.lastName, L.personName],
    ['author.firstName', p.firstName, L.personName],
    ['author.patronymic', p.patronymic, L.personName],
    ['author.email', p.email, L.email],
    ['author.address', p.address],
    ['directLine.sessionId', item.directLine?.sessionId, L.directLineSession],
    ['directLine.officialName', item.directLine?.officialName, L.directLineOfficial],
  ];
  n.coAuthors.forEach((c, i) => {
    for (const key of ['lastName', 'firstName', 'patronymic', 'address'] as const) {
      fields.push([`coAuthors[${i}].${key}`, c[key]]);
    }
  });
  item.attachments.forEach((f, i) => {
    fields.push([`attachments[${i}].fileName`, f.fileName, L.fileName]);
    fields.push([`attachments[${i}].mimeType`, f.mimeType, L.mimeType]);
  });
  for (const [key, value] of Object.entries(item.origin)) fields.push([`origin.${key}`, value]);
  for (const [path, value, max] of fields) {
    if (!value) continue;
    if (value.includes('\u0000')) {
      throw new DomainError(
        'INVALID_CHARACTER',
        `${path} contains a NUL character (U+0000), which cannot be stored; remove it and send the appeal again`,
        path,
      );
    }
    if (LONE_SURROGATE.test(value)) {
      throw new DomainError(
        'INVALID_CHARACTER',
        `${path} contains half of a UTF-16 surrogate pair, which is no character and cannot be stored; send the text as valid Unicode`,
        path,
      );
    }
    if (max !== undefined && value.length > max) {
      throw new DomainError(
        'FIELD_TOO_LONG',
        `${path} is ${value.length} characters long; at most ${max} can be stored`,
        path,
      );
    }
  }
}

/** Normalises what a reader produced; what cannot be made canonical becomes that item's rejection. */
export function prepare(outcomes: readonly ReadOutcome[]): Prepared[] {
  return outcomes.map((o) => {
    if (!o.ok) return o;
    try {
      return { ok: true, index: o.index, appeal: normalise(o.item) };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return {
        ok: false,
        rejection: {
          index: o.index,
          externalId: o.item.externalId,
          path: err.path ?? '',
          code: err.code,
          message: err.message,
        },
      };
    }
  });
}
