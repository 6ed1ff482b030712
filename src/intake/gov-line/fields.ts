/**
 * Reading single values out of a 1207 element, each failure an ItemError with the dotted path of the
 * field (`Header.Document.RegNumber@regdate`) that the reader turns into a per-item rejection.
 */
import { DateTime } from 'luxon';
import type { ClassifierEntry } from '../../domain/classifier.js';
import { INTAKE_LIMITS } from '../types.js';
import { attribute, type XmlElement } from './xml-node.js';

export class ItemError extends Error {
  override readonly name = 'ItemError';
  constructor(
    readonly code: string,
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

export function fail(code: string, path: string, message: string): never {
  throw new ItemError(code, message, path);
}

export function missing(path: string, why: string): never {
  return fail('REQUIRED_FIELD_MISSING', path, `${path} is missing; ${why}`);
}

/**
 * Trimmed text, null when empty; FIELD_TOO_LONG past `max` characters. The path is `path`, or
 * `path@attr` when `attr` is given: built only on failure, since this runs for every field of a batch.
 */
export function cleanText(
  value: string | undefined,
  path: string,
  max: number = INTAKE_LIMITS.maxFieldChars,
  attr?: string,
): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed.length > max) {
    const where = attr === undefined ? path : `${path}@${attr}`;
    fail(
      'FIELD_TOO_LONG',
      where,
      `${where} is ${trimmed.length} characters long; at most ${max} are accepted.`,
    );
  }
  return trimmed === '' ? null : trimmed;
}

export function optionalAttr(el: XmlElement, name: string, path: string, max?: number): string | null {
  return cleanText(attribute(el, name), path, max, name);
}

export function requiredAttr(el: XmlElement, name: string, path: string, why: string): string {
  return optionalAttr(el, name, path) ?? missing(`${path}@${name}`, why);
}

/** A 1207 0/1 flag; absent is false. */
export function flagAttr(el: XmlElement | undefined, name: string, path: string): boolean {
  const value = el === undefined ? null : optionalAttr(el, name, path);
  if (value === null || value === '0') return false;
  if (value === '1') return true;
  return fail(
    'INVALID_VALUE',
    `${path}@${name}`,
    `${path}@${name} is "${value}"; 1207 allows "0" (no) or "1" (yes).`,
  );
}

/** The classifier entry for an attribute holding a code, null when absent; `code` when unknown. */
export function classifierAttr<N extends string>(
  list: readonly ClassifierEntry<N>[],
  el: XmlElement,
  name: string,
  path: string,
  code: string,
): N | null {
  const value = optionalAttr(el, name, path);
  if (value === null) return null;
  const found = list.find((e) => e.code === value);
  if (found) return found.name;
  const known = list.map((e) => e.code).join(', ');
  return fail(
    code,
    `${path}@${name}`,
    `${path}@${name} is "${value}", not a classifier code; expected one of ${known}.`,
  );
}

const ZONED_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;
const DATE = /^(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?$/;

/** UTC milliseconds of a calendar date and time, or NaN when a part is out of range (Feb 30, 24:00). */
function utcMillis(y: number, mo: number, d: number, h: number, mi: number, sec: number): number {
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec);
  const back = new Date(ms);
  return back.getUTCDate() === d && back.getUTCMonth() === mo - 1 && h < 24 && mi < 60 && sec < 60
    ? ms
    : Number.NaN;
}

/**
 * An ISO date-time that names its zone, e.g. 2026-11-20T09:15:00+02:00. Parsed by hand: it runs for
 * every appeal of a batch, and a general date library costs more here than the XML parse.
 */
export function zonedDateTime(value: string, path: string): Date {
  const m = ZONED_DATE_TIME.exec(value);
  let ms = Number.NaN;
  if (m) {
    const n = (i: number) => Number(m[i] ?? 0);
    const offset = m[8] === undefined ? 0 : (m[8] === '-' ? -1 : 1) * (n(9) * 60 + n(10));
    ms =
      utcMillis(n(1), n(2), n(3), n(4), n(5), n(6)) + Math.floor(Number(m[7] ?? 0) * 1000) - offset * 60_000;
    if (n(9) > 14 || n(10) > 59) ms = Number.NaN;
  }
  if (Number.isNaN(ms)) {
    fail(
      'INVALID_DATE',
      path,
      `${path} is "${value}"; expected an ISO date-time with its zone, e.g. 2026-11-20T09:15:00+02:00.`,
    );
  }
  return new Date(ms);
}

/** Midnight in Kyiv per calendar day: a batch carries few distinct days, and the zone lookup is slow. */
const KYIV_MIDNIGHTS = new Map<string, number>();

/** An xs:date taken as the start of that day in Kyiv (any zone suffix is ignored: the day is what counts). */
export function kyivDay(value: string, path: string): Date {
  const day = DATE.exec(value)?.[1];
  let ms = day === undefined ? Number.NaN : KYIV_MIDNIGHTS.get(day);
  if (ms === undefined && day !== undefined) {
    const parsed = DateTime.fromISO(day, { zone: 'Europe/Kyiv' });
    ms = parsed.isValid ? parsed.startOf('day').toMillis() : Number.NaN;
    if (KYIV_MIDNIGHTS.size >= 4096) KYIV_MIDNIGHTS.clear();
    KYIV_MIDNIGHTS.set(day, ms);
  }
  if (ms === undefined || Number.isNaN(ms)) {
    fail('INVALID_DATE', path, `${path} is "${value}"; expected a date like 2026-11-20.`);
  }
  return new Date(ms);
}
