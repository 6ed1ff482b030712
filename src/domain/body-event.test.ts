import { describe, expect, it } from 'vitest';
import { type BodyEventInput, bodyEventEffect, checkApiReport } from './body-event.js';

const RECEIVED = new Date('2026-11-20T07:00:00Z');
const NOW = new Date('2026-11-28T10:00:00Z');
const appeal = {
  status: 'under_consideration' as const,
  receivedAt: RECEIVED,
  dueAt: new Date('2026-12-20T21:59:59.999Z'),
};
const copy = { status: 'under_consideration' as const, responsible: true };

const codeOf = (work: () => void): string | null => {
  try {
    work();
    return null;
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe('a body’s answer and extension on its copy', () => {
  it('keeps the answer on the copy and its text as the event’s note, before any note', () => {
    const effect = bodyEventEffect(copy, appeal, {
      event: 'answer',
      result: 'explained',
      answerText: '  Надано роз’яснення. ',
      answeredAt: new Date('2026-11-27T13:30:00Z'),
      note: 'копія листа в справі',
    });
    expect(effect.copy).toEqual({
      answer: {
        text: 'Надано роз’яснення.',
        answeredAt: new Date('2026-11-27T13:30:00Z'),
        result: 'explained',
      },
    });
    expect(effect.note).toBe('Надано роз’яснення.\nкопія листа в справі');
  });

  it('records what a body’s system sends: an answer without text, an extension without reason', () => {
    const answer = bodyEventEffect(copy, appeal, { event: 'answer', result: 'refused', answeredAt: NOW });
    expect(answer.copy.answer).toEqual({ text: null, answeredAt: NOW, result: 'refused' });
    const extension = bodyEventEffect(copy, appeal, {
      event: 'extend',
      dueAt: new Date('2027-01-02T10:00:00Z'),
    });
    expect(extension.copy).toEqual({ extensionReason: null });
    expect(extension.note).toBeNull();
  });

  it('holds a report through the API to text, reason and a plausible time', () => {
    const answer: BodyEventInput = { event: 'answer', result: 'explained', answerText: 'Роз’яснено.' };
    const at = (iso: string) =>
      codeOf(() => checkApiReport({ ...answer, answeredAt: new Date(iso) }, RECEIVED, NOW));
    expect(at('2026-11-28T10:04:59Z')).toBeNull(); // a body's clock a little ahead
    expect(at('2026-11-28T10:05:01Z')).toBe('ANSWERED_AT_IN_FUTURE');
    expect(at('2026-11-20T07:00:00Z')).toBeNull();
    expect(at('2026-11-20T06:59:59Z')).toBe('ANSWERED_AT_BEFORE_RECEIPT');
    expect(
      codeOf(() => checkApiReport({ ...answer, answerText: 'я'.repeat(10_000) }, RECEIVED, NOW)),
    ).toBeNull();
    expect(codeOf(() => checkApiReport({ ...answer, answerText: 'я'.repeat(10_001) }, RECEIVED, NOW))).toBe(
      'ANSWER_TEXT_TOO_LONG',
    );
    const extend: BodyEventInput = { event: 'extend', dueAt: NOW };
    expect(codeOf(() => checkApiReport(extend, RECEIVED, NOW))).toBe('EXTENSION_REASON_REQUIRED');
    expect(codeOf(() => checkApiReport({ ...extend, reason: 'я'.repeat(2_000) }, RECEIVED, NOW))).toBeNull();
    expect(codeOf(() => checkApiReport({ event: 'accept', reason: 'чому' }, RECEIVED, NOW))).toBe(
      'NOT_FOR_THIS_EVENT',
    );
  });
});
