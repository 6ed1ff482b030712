import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  computeDueAt,
  daysLeft,
  extendDueAt,
  isOverdue,
  KYIV_ZONE,
  MAX_TOTAL_DAYS,
  maxDueAt,
} from './deadline.js';
import { DomainError } from './errors.js';

const at = (iso: string): Date => new Date(iso);
const iso = (d: Date): string => d.toISOString();

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? e.code : 'not a DomainError';
  }
  return undefined;
}

describe('computeDueAt', () => {
  it('counts from the Kyiv date when UTC still shows the day before', () => {
    // 21 Nov 00:30 in Kyiv: day 0 is 21 Nov, day 15 is 6 Dec.
    expect(iso(computeDueAt(at('2026-11-20T22:30:00Z'), 'short'))).toBe('2026-12-06T21:59:59.999Z');
  });

  it('ends the short term in summer time after the spring change (29 Mar 2026)', () => {
    expect(iso(computeDueAt(at('2026-03-20T10:00:00Z'), 'short'))).toBe('2026-04-04T20:59:59.999Z');
  });

  it('ends the short term in winter time after the autumn change (25 Oct 2026)', () => {
    expect(iso(computeDueAt(at('2026-10-20T09:00:00Z'), 'short'))).toBe('2026-11-04T21:59:59.999Z');
  });

  it.each([
    ['31 Jan 2026 → 28 Feb', '2026-01-31T10:00:00Z', '2026-02-28T21:59:59.999Z'],
    ['31 Jan 2026 00:30 Kyiv → 28 Feb', '2026-01-30T22:30:00Z', '2026-02-28T21:59:59.999Z'],
    ['31 Jan 2028 → 29 Feb (leap year)', '2028-01-31T10:00:00Z', '2028-02-29T21:59:59.999Z'],
    ['29 Feb 2028 → 29 Mar (summer time)', '2028-02-29T10:00:00Z', '2028-03-29T20:59:59.999Z'],
    ['31 Mar 2026 → 30 Apr', '2026-03-31T10:00:00Z', '2026-04-30T20:59:59.999Z'],
    ['15 Jun 2026 → 15 Jul', '2026-06-15T10:00:00Z', '2026-07-15T20:59:59.999Z'],
  ])('general term: %s', (_case, received, due) => {
    expect(iso(computeDueAt(at(received), 'general'))).toBe(due);
  });

  it('rejects an invalid receipt date', () => {
    expect(codeOf(() => computeDueAt(new Date(Number.NaN), 'short'))).toBe('INVALID_DATE');
  });

  it('always ends a Kyiv day, 15 days on for short and within 45 days for general', () => {
    const instants = fc.date({
      min: at('2020-01-01T00:00:00Z'),
      max: at('2040-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(instants, (received) => {
        const short = computeDueAt(received, 'short');
        const general = computeDueAt(received, 'general');
        const local = DateTime.fromJSDate(short, { zone: KYIV_ZONE });
        expect([local.hour, local.minute, local.second, local.millisecond]).toEqual([23, 59, 59, 999]);
        expect(daysLeft(short, received)).toBe(15);
        expect(daysLeft(general, received)).toBeGreaterThanOrEqual(28);
        expect(daysLeft(general, received)).toBeLessThanOrEqual(31);
        expect(general.getTime()).toBeLessThan(maxDueAt(received).getTime());
      }),
    );
  });
});

describe('maxDueAt and extendDueAt', () => {
  const received = at('2026-03-20T10:00:00Z');
  const current = computeDueAt(received, 'short');

  it(`allows at most ${MAX_TOTAL_DAYS} days`, () => {
    expect(iso(maxDueAt(received))).toBe('2026-05-04T20:59:59.999Z');
  });

  it('accepts an extension to exactly 45 days and moves it to the end of that day', () => {
    expect(iso(extendDueAt(received, current, at('2026-05-04T08:00:00Z')))).toBe('2026-05-04T20:59:59.999Z');
  });

  it('accepts a shorter extension', () => {
    expect(iso(extendDueAt(received, current, at('2026-04-20T12:00:00Z')))).toBe('2026-04-20T20:59:59.999Z');
  });

  it('refuses day 46, naming the limit', () => {
    const request = () => extendDueAt(received, current, at('2026-05-05T08:00:00Z'));
    expect(codeOf(request)).toBe('DEADLINE_EXTENSION_TOO_LONG');
    expect(request).toThrow(/45 days/);
  });

  it('judges the requested day in Kyiv time (00:30 on 5 May Kyiv is day 46)', () => {
    expect(codeOf(() => extendDueAt(received, current, at('2026-05-04T21:30:00Z')))).toBe(
      'DEADLINE_EXTENSION_TOO_LONG',
    );
  });

  it('refuses shortening and a request for the same day', () => {
    expect(codeOf(() => extendDueAt(received, current, at('2026-04-02T10:00:00Z')))).toBe(
      'DEADLINE_NOT_EXTENDED',
    );
    expect(codeOf(() => extendDueAt(received, current, at('2026-04-04T06:00:00Z')))).toBe(
      'DEADLINE_NOT_EXTENDED',
    );
  });
});

describe('isOverdue and daysLeft', () => {
  const due = at('2026-12-06T21:59:59.999Z');

  it('keeps the whole due day open', () => {
    expect(isOverdue(due, due)).toBe(false);
    expect(daysLeft(due, due)).toBe(0);
    expect(daysLeft(due, at('2026-12-05T22:00:00Z'))).toBe(0);
  });

  it('turns overdue one millisecond after the due moment', () => {
    const next = new Date(due.getTime() + 1);
    expect(isOverdue(due, next)).toBe(true);
    expect(daysLeft(due, next)).toBe(-1);
  });

  it('counts Kyiv days, not 24-hour spans', () => {
    expect(daysLeft(due, at('2026-12-05T21:59:59.999Z'))).toBe(1);
    expect(daysLeft(due, at('2026-11-20T22:30:00Z'))).toBe(15);
    expect(daysLeft(due, at('2026-12-16T10:00:00Z'))).toBe(-10);
  });

  it('counts a 23-hour DST day as one day', () => {
    const springDue = at('2026-04-04T20:59:59.999Z');
    expect(daysLeft(springDue, at('2026-03-28T10:00:00Z'))).toBe(7);
    expect(daysLeft(springDue, at('2026-03-29T10:00:00Z'))).toBe(6);
  });
});
