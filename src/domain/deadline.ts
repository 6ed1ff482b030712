/**
 * Deadlines of Art. 20 of the Law of Ukraine "Про звернення громадян" No. 393/96-ВР: at most 15 days
 * when no extra study is needed, at most one month in general; the head may extend the term, but never
 * beyond 45 days in total. Calendar days in Kyiv time: the receipt day is day 0 and a term runs to the
 * very end of its last Kyiv day, so an appeal received at 00:30 Kyiv is counted from the Kyiv date even
 * though UTC still shows the day before. Pure: every "now" comes from the caller.
 */
import { DateTime, IANAZone } from 'luxon';
import { DomainError } from './errors.js';

export type DeadlineTerm = 'short' | 'general';

export const SHORT_TERM_DAYS = 15;
export const MAX_TOTAL_DAYS = 45;

// ICU data older than tzdata 2022b knows only the Soviet-era spelling.
export const KYIV_ZONE = IANAZone.isValidZone('Europe/Kyiv') ? 'Europe/Kyiv' : 'Europe/Kiev';

const DAY_MS = 86_400_000;

/** Start of the Kyiv calendar day holding `instant`. */
function kyivDay(instant: Date, field: string): DateTime {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new DomainError('INVALID_DATE', `${field} is not a valid date`, field);
  }
  return DateTime.fromJSDate(instant, { zone: KYIV_ZONE }).startOf('day');
}

function endOfDay(day: DateTime): Date {
  return day.endOf('day').toJSDate();
}

function kyivDate(instant: Date): string {
  return kyivDay(instant, 'date').toISODate() ?? '';
}

// Kyiv's offset is a whole number of hours, so every instant of one UTC hour shares one Kyiv date:
// the due moment depends only on (term, UTC hour). Time-zone arithmetic is the costly part of intake.
const HOUR_MS = 3_600_000;
const dueCache = new Map<string, number>();

/** The due moment: the end of the Kyiv day 15 days or one month after the Kyiv receipt date. */
export function computeDueAt(receivedAt: Date, term: DeadlineTerm): Date {
  const key = `${term}:${Math.floor(receivedAt.getTime() / HOUR_MS)}`;
  const cached = dueCache.get(key);
  if (cached !== undefined) return new Date(cached);
  const due = computeDueAtUncached(receivedAt, term);
  if (dueCache.size > 50_000) dueCache.clear();
  dueCache.set(key, due.getTime());
  return due;
}

function computeDueAtUncached(receivedAt: Date, term: DeadlineTerm): Date {
  const day = kyivDay(receivedAt, 'receivedAt');
  switch (term) {
    case 'short':
      return endOfDay(day.plus({ days: SHORT_TERM_DAYS }));
    case 'general':
      // luxon clamps to the month's last day: 31 Jan + 1 month is 28 (or 29) Feb, not 3 March.
      return endOfDay(day.plus({ months: 1 }));
    default:
      throw new DomainError('INVALID_DEADLINE_TERM', `Unknown deadline term ${JSON.stringify(term)}`, 'term');
  }
}

/** The latest due moment any extension may reach. */
export function maxDueAt(receivedAt: Date): Date {
  return byHour(`max:${hourOf(receivedAt, 'receivedAt')}`, () =>
    endOfDay(kyivDay(receivedAt, 'receivedAt').plus({ days: MAX_TOTAL_DAYS })),
  );
}

/** The end of the Kyiv day holding `instant`: one per UTC hour, as for computeDueAt. */
function endOfKyivDay(instant: Date, field: string): Date {
  return byHour(`end:${hourOf(instant, field)}`, () => endOfDay(kyivDay(instant, field)));
}

function hourOf(instant: Date, field: string): number {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new DomainError('INVALID_DATE', `${field} is not a valid date`, field);
  }
  return Math.floor(instant.getTime() / HOUR_MS);
}

function byHour(key: string, compute: () => Date): Date {
  const cached = dueCache.get(key);
  if (cached !== undefined) return new Date(cached);
  const value = compute();
  if (dueCache.size > 50_000) dueCache.clear();
  dueCache.set(key, value.getTime());
  return value;
}

/** The new due moment (end of the requested Kyiv day) after the head's extension. */
export function extendDueAt(receivedAt: Date, currentDueAt: Date, requestedDueAt: Date): Date {
  const requested = endOfKyivDay(requestedDueAt, 'requestedDueAt');
  const limit = maxDueAt(receivedAt);
  if (requested.getTime() > limit.getTime()) {
    throw new DomainError(
      'DEADLINE_EXTENSION_TOO_LONG',
      `Cannot extend to ${kyivDate(requested)}: Art. 20 allows at most ${MAX_TOTAL_DAYS} days in total, ` +
        `i.e. until ${kyivDate(limit)} for an appeal received on ${kyivDate(receivedAt)}`,
      'dueAt',
    );
  }
  // Compared by Kyiv day: a due moment somewhere inside the current due day is not an extension.
  if (requested.getTime() <= endOfKyivDay(currentDueAt, 'currentDueAt').getTime()) {
    throw new DomainError(
      'DEADLINE_NOT_EXTENDED',
      `An extension must move the deadline later than ${kyivDate(currentDueAt)}; ${kyivDate(requested)} does not`,
      'dueAt',
    );
  }
  return requested;
}

/** Overdue only once the due moment has passed: the whole last day still counts. */
export function isOverdue(dueAt: Date, now: Date): boolean {
  return now.getTime() > dueAt.getTime();
}

/** Whole Kyiv calendar days from today to the due day: 0 on the due day, negative once overdue. */
export function daysLeft(dueAt: Date, now: Date): number {
  return dayNumber(kyivDay(dueAt, 'dueAt')) - dayNumber(kyivDay(now, 'now'));
}

// Counting on the civil date, not on instants, so a 23- or 25-hour DST day is still one day.
function dayNumber(day: DateTime): number {
  return Date.UTC(day.year, day.month - 1, day.day) / DAY_MS;
}
