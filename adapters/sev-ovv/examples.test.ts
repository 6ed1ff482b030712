/**
 * schema/sev-ovv/examples are this codec's output with a fixed clock. After a deliberate change to
 * the mapping, regenerate them with `UPDATE_EXAMPLES=1 npx vitest run adapters/sev-ovv/examples.test.ts`
 * and review the diff.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readGovLineDocument } from '../../src/intake/gov-line/read.js';
import { decodeReply, decodeStatusFeed, encodeAppeal, msgIdFor } from './codec.js';
import { derivedId } from './codes.js';
import { encodeStatusFeed } from './feed.js';
import {
  EXAMPLE_NOW,
  IDEMPOTENCY_KEY,
  INFORMATION_KEY,
  INFORMATION_PAYLOAD,
  RESPONSIBLE_PAYLOAD,
} from './fixtures.js';
import { encodeReceipt, type Party } from './receipt.js';

const dir = new URL('../../schema/sev-ovv/examples/', import.meta.url);

const GATEWAY: Party = {
  code: RESPONSIBLE_PAYLOAD.sender.code,
  name: RESPONSIBLE_PAYLOAD.sender.name,
  sysId: 'APPEAL-GATEWAY',
  system: 'Шлюз маршрутизації звернень',
};
const DSZN: Party = {
  code: RESPONSIBLE_PAYLOAD.recipient.code,
  name: RESPONSIBLE_PAYLOAD.recipient.name,
  sysId: 'DSZN-ZP',
  system: 'Система електронного документообігу ДСЗН',
};
const CITY: Party = {
  code: INFORMATION_PAYLOAD.recipient.code,
  name: INFORMATION_PAYLOAD.recipient.name,
  sysId: 'ZMR-DOCS',
  system: 'Система електронного документообігу міської ради',
};
const later = (minutes: number) => new Date(EXAMPLE_NOW.getTime() + minutes * 60_000);

const EXAMPLES: Record<string, () => string> = {
  '01-appeal-responsible-with-attachment.xml': () =>
    encodeAppeal(RESPONSIBLE_PAYLOAD, IDEMPOTENCY_KEY, EXAMPLE_NOW, {
      toSysId: DSZN.sysId,
      toSystem: DSZN.system,
    }),
  '02-copy-for-information.xml': () =>
    encodeAppeal(INFORMATION_PAYLOAD, INFORMATION_KEY, EXAMPLE_NOW, {
      toSysId: CITY.sysId,
      toSystem: CITY.system,
    }),
  '03-receipt-registered.xml': () =>
    encodeReceipt({
      msgId: derivedId('example:receipt:03'),
      time: later(2),
      from: DSZN,
      to: GATEWAY,
      ackMsgId: msgIdFor(IDEMPOTENCY_KEY),
      ackType: '3',
      regNumber: { number: 'Вх-01-15/2317', date: later(2) },
      results: [{ code: '0', text: 'Зареєстровано.' }],
    }),
  '04-receipt-rejected.xml': () =>
    encodeReceipt({
      msgId: derivedId('example:receipt:04'),
      time: later(1),
      from: CITY,
      to: GATEWAY,
      ackMsgId: msgIdFor(INFORMATION_KEY),
      ackType: '4',
      results: [
        {
          code: '5',
          text: 'Система ZMR-DOCS не приймає документи цього відправника: відсутня угода про обмін.',
        },
      ],
    }),
  '05-status-feed.xml': () =>
    encodeStatusFeed({
      body: DSZN,
      gateway: GATEWAY,
      cursor: '3',
      entries: [
        {
          seq: 1,
          ackMsgId: msgIdFor(IDEMPOTENCY_KEY),
          update: {
            appealId: RESPONSIBLE_PAYLOAD.appealId,
            externalEventId: derivedId('example:feed:1'),
            event: 'accept',
            occurredAt: '2026-11-20T12:05:00.000Z',
            result: null,
            registrationNumber: 'Вх-01-15/2317',
            dueAt: null,
            note: 'Передано на розгляд до управління соціальних виплат.',
          },
        },
        {
          seq: 2,
          referred: { number: 'ЗОКЦ-2026/015234', date: '2026-11-20' },
          update: {
            appealId: RESPONSIBLE_PAYLOAD.appealId,
            externalEventId: derivedId('example:feed:2'),
            event: 'extend',
            occurredAt: '2026-12-15T09:30:00.000Z',
            result: null,
            registrationNumber: 'Вх-01-15/2317',
            dueAt: '2027-01-03T21:59:59.999Z',
            note: 'Строк розгляду продовжено до 45 днів: потрібна перевірка виплатної справи.',
          },
        },
        {
          seq: 3,
          referred: { number: 'ЗОКЦ-2026/015234', date: '2026-11-20' },
          update: {
            appealId: RESPONSIBLE_PAYLOAD.appealId,
            externalEventId: derivedId('example:feed:3'),
            event: 'answer',
            occurredAt: '2026-12-28T14:10:00.000Z',
            result: 'resolved_positively',
            registrationNumber: 'Вх-01-15/2317',
            dueAt: null,
            note: 'Виплату житлової субсидії відновлено з 01.10.2026, заявниці надіслано відповідь.',
          },
        },
      ],
    }),
};

if (process.env.UPDATE_EXAMPLES === '1') {
  for (const [file, make] of Object.entries(EXAMPLES)) writeFileSync(new URL(file, dir), make());
}

const stored = (file: string) => readFileSync(new URL(file, dir), 'utf8');

describe('schema/sev-ovv/examples', () => {
  it('holds exactly the examples generated here', () => {
    expect(readdirSync(dir).sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  it.each(Object.keys(EXAMPLES))('%s is what the codec writes today', (file) => {
    expect(stored(file)).toBe(EXAMPLES[file]?.());
  });

  it('the appeal and the copy are read by the gateway’s own 1207 intake', () => {
    for (const file of ['01-appeal-responsible-with-attachment.xml', '02-copy-for-information.xml']) {
      const [outcome] = readGovLineDocument(stored(file));
      expect(outcome).toMatchObject({
        ok: true,
        item: { externalId: RESPONSIBLE_PAYLOAD.appealId, topicCode: '006.01' },
      });
    }
  });

  it('the receipts decode as a registration and a rejection of the messages they acknowledge', () => {
    expect(decodeReply(stored('03-receipt-registered.xml'), msgIdFor(IDEMPOTENCY_KEY))).toMatchObject({
      ok: true,
      receipt: { level: 'registered', registrationNumber: 'Вх-01-15/2317' },
    });
    expect(decodeReply(stored('04-receipt-rejected.xml'), msgIdFor(INFORMATION_KEY))).toMatchObject({
      ok: false,
      failure: { code: 'ACK_REJECTED', retryable: false },
    });
  });

  it('the feed decodes into its three updates', () => {
    const outcome = decodeStatusFeed(stored('05-status-feed.xml'), DSZN.code);
    expect(outcome).toMatchObject({ ok: true, cursor: '3' });
    expect(outcome.ok && outcome.updates.map((u) => [u.event, u.result, u.dueAt])).toEqual([
      ['accept', null, null],
      ['extend', null, '2027-01-03T21:59:59.999Z'],
      ['answer', 'resolved_positively', null],
    ]);
  });
});
