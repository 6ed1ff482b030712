/**
 * schema/ucc-status/examples are the gateway's output for the UCC with fixed content: a registration
 * receipt, an answer, and the open list the reconcile reads. After a deliberate change, regenerate
 * them with `UPDATE_EXAMPLES=1 npx vitest run src/ucc/examples.test.ts` and review the diff.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { UccMessageContent } from '../db/entities/ucc-message.js';
import { decodeOpenAppeals, encodeOpenAppeals } from './sim.js';
import { encodeUccMessage } from './status-message.js';

const dir = new URL('../../schema/ucc-status/examples/', import.meta.url);
const CONTACT_CENTER = { code: '99920001', name: 'Запорізький обласний контактний центр' };

const base: UccMessageContent = {
  appealId: '01936b2e-5c3a-7d41-9a8e-2f6c1b7d4e01',
  uccNumber: '1545-2026-0412345',
  uccRegNumber: 'Т-412345',
  uccMsgId: '6f1c2b0e-4a51-4d8e-9a43-0c2f5e7a1001',
  uccOrgCode: '37471967',
  uccOrgName: 'Урядовий контактний центр',
  receivedAt: '2026-11-20T07:15:00.000Z',
  event: 'register',
  state: 'registered',
  result: null,
  note: 'зареєстровано',
  occurredAt: '2026-11-20T07:15:00.000Z',
  dueAt: '2026-12-20T21:59:59.999Z',
  executor: null,
};

const EXAMPLES: Record<string, () => string> = {
  '01-receipt-registered.xml': () =>
    encodeUccMessage('receipt', '3d1f0a52-7c1e-5b4a-9d2e-3f6a1c8b5e01', base, CONTACT_CENTER),
  '02-answer.xml': () =>
    encodeUccMessage(
      'answer',
      '3d1f0a52-7c1e-5b4a-9d2e-3f6a1c8b5e02',
      {
        ...base,
        event: 'answer',
        state: 'answered',
        result: '9.1',
        note: 'Виплату житлової субсидії відновлено з 1 грудня, заборгованість буде перераховано.',
        occurredAt: '2026-12-02T12:30:00.000Z',
        executor: {
          code: '99923101',
          name: 'Департамент соціального захисту населення ЗОДА',
          registrationNumber: 'ВХ-4512/2026',
        },
      },
      CONTACT_CENTER,
    ),
  '03-open-appeals.xml': () =>
    encodeOpenAppeals([
      {
        number: '1545-2026-0412345',
        msgId: '6f1c2b0e-4a51-4d8e-9a43-0c2f5e7a1001',
        state: 'under_consideration',
      },
      { number: '1545-2026-0413007', msgId: '6f1c2b0e-4a51-4d8e-9a43-0c2f5e7a1002', state: 'routed' },
    ]),
};

describe('schema/ucc-status/examples', () => {
  it.each(Object.keys(EXAMPLES))('%s is what the gateway writes', (file) => {
    const written = (EXAMPLES[file] as () => string)();
    const url = new URL(file, dir);
    if (process.env.UPDATE_EXAMPLES) writeFileSync(url, written);
    expect(readFileSync(url, 'utf8')).toBe(written);
  });

  it('reads the open list back', () => {
    expect(decodeOpenAppeals(readFileSync(new URL('03-open-appeals.xml', dir), 'utf8'))).toEqual([
      {
        number: '1545-2026-0412345',
        msgId: '6f1c2b0e-4a51-4d8e-9a43-0c2f5e7a1001',
        state: 'under_consideration',
      },
      { number: '1545-2026-0413007', msgId: '6f1c2b0e-4a51-4d8e-9a43-0c2f5e7a1002', state: 'routed' },
    ]);
  });
});
