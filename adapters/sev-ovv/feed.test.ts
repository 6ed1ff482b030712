import { describe, expect, it } from 'vitest';
import type { StatusUpdate } from '../port.js';
import { decodeStatusFeed, encodeStatusFeed, type FeedEntry, STATUS_CODES } from './feed.js';
import type { Party } from './receipt.js';

const BODY: Party = {
  code: '99923101',
  name: 'Департамент соціального захисту населення Запорізької обласної державної адміністрації',
  sysId: 'SEV-DSZN-ZP',
  system: 'АСКОД ДСЗН',
};
const GATEWAY: Party = {
  code: '99923900',
  name: 'Запорізький обласний контактний центр',
  sysId: 'APPEAL-GATEWAY',
  system: 'Шлюз маршрутизації звернень',
};
const APPEAL = '01936b2e-5c3a-7d41-9a8e-2f6c1b7d4e01';

const update = (
  event: StatusUpdate['event'],
  seq: number,
  more: Partial<StatusUpdate> = {},
): StatusUpdate => ({
  appealId: APPEAL,
  externalEventId: `dszn-${seq}`,
  event,
  occurredAt: `2026-11-2${seq}T08:3${seq}:00.000Z`,
  result: null,
  registrationNumber: null,
  dueAt: null,
  note: null,
  ...more,
});

const UPDATES: StatusUpdate[] = [
  update('deliver', 1),
  update('accept', 2, { registrationNumber: 'Вх-00042', note: 'Зареєстровано в канцелярії.' }),
  update('extend', 3, {
    dueAt: '2027-01-03T21:59:59.999Z',
    note: 'Потрібна додаткова перевірка виплатної справи.',
  }),
  update('answer', 4, { result: 'resolved_positively', note: 'Виплату субсидії відновлено з 01.10.2026.' }),
  update('forward', 5, {
    result: 'forwarded_by_competence',
    note: 'Надіслано до Пенсійного фонду за належністю.',
  }),
  update('return', 6, { result: 'returned_to_author' }),
  update('reject', 7, { result: 'not_subject_to_consideration', registrationNumber: 'Вх-00042' }),
];

const feed = (entries: FeedEntry[], cursor = String(entries.length)) =>
  encodeStatusFeed({ body: BODY, gateway: GATEWAY, cursor, entries });

const header = (msgType: string, inner: string, more = '') =>
  `<Header standart="1207" version="1.5" charset="UTF-8" time="2026-11-25T10:00:00+02:00" msg_type="${msgType}" msg_id="m-${msgType}" from_org_id="99923101" ${more}>${inner}</Header>`;

const item = (h: string) => `<StatusFeed cursor="1"><Item idnumber="${APPEAL}">${h}</Item></StatusFeed>`;

describe('decodeStatusFeed', () => {
  it('reads back every update the feed encoder writes, with the cursor', () => {
    const xml = feed(UPDATES.map((u, i) => ({ seq: i + 1, update: u })));
    expect(decodeStatusFeed(xml, '99923101')).toEqual({
      ok: true,
      updates: UPDATES,
      unmapped: [],
      cursor: '7',
    });
  });

  it('reads an empty page', () => {
    expect(decodeStatusFeed(feed([], '12'))).toEqual({ ok: true, updates: [], unmapped: [], cursor: '12' });
  });

  it('reads receipts: ack_type 1 and 2 as deliver, 3 as accept with RegNumber, 4 as reject with the error', () => {
    const ack = (type: string, inner = '') =>
      `<Item idnumber="${APPEAL}">${header('0', `<Acknowledgement msg_id="x" ack_type="${type}">${inner}<AckResult errorcode="${type === '4' ? '12' : '0'}" errortext="${type === '4' ? 'Не наш орган' : ''}"/></Acknowledgement>`)}</Item>`;
    const xml = `<StatusFeed cursor="4">${ack('1')}${ack('2')}${ack('3', '<RegNumber regdate="2026-11-25">Вх-7</RegNumber>')}${ack('4')}</StatusFeed>`;
    const outcome = decodeStatusFeed(xml);
    if (!outcome.ok) throw new Error(outcome.failure.message);
    expect(outcome.updates.map((u) => [u.event, u.registrationNumber, u.note])).toEqual([
      ['deliver', null, null],
      ['deliver', null, null],
      ['accept', 'Вх-7', null],
      ['reject', null, '12: Не наш орган'],
    ]);
    expect(outcome.updates[0]?.occurredAt).toBe('2026-11-25T08:00:00.000Z');
  });

  it('links a bare answer by its Referred document, and takes the event from the result when none is named', () => {
    const doc = `<Document idnumber="ans-1" type="2" purpose_type="0" urgent="0" annotation="Роз’яснено порядок призначення субсидії."><Addressee type="0"><Referred retype="д" idnumber="${APPEAL}"><RegNumber regdate="2026-11-20">ЗОКЦ-2026/015234</RegNumber></Referred></Addressee></Document>`;
    const expansion = (result: string) =>
      `<Expansion organization="99923101" exp_ver="1.0"><StaticExpansion/><AppealStatus result="${result}"/></Expansion>`;
    const read = (result: string) => decodeStatusFeed(header('3', doc + expansion(result)));
    expect(read('9.3')).toEqual({
      ok: true,
      cursor: null,
      unmapped: [],
      updates: [
        {
          appealId: APPEAL,
          externalEventId: 'm-3',
          event: 'answer',
          occurredAt: '2026-11-25T08:00:00.000Z',
          result: 'explained',
          registrationNumber: null,
          dueAt: null,
          note: 'Роз’яснено порядок призначення субсидії.',
        },
      ],
    });
    expect(read('9.5')).toMatchObject({
      ok: true,
      updates: [{ event: 'forward', result: 'forwarded_by_competence' }],
    });
    expect(read('9.6')).toMatchObject({
      ok: true,
      updates: [{ event: 'reject', result: 'not_subject_to_consideration' }],
    });
  });

  it('reads an answer without AppealStatus as an answer without a result', () => {
    const xml = `<StatusFeed cursor="1"><Item idnumber="${APPEAL}">${header('3', '<Document idnumber="a" type="2"/>')}</Item></StatusFeed>`;
    expect(decodeStatusFeed(xml)).toMatchObject({ ok: true, updates: [{ event: 'answer', result: null }] });
  });

  it('skips messages that report no status (main documents, additions)', () => {
    const items = ['1', '2', '4'].map((t) => `<Item idnumber="${APPEAL}">${header(t, '')}</Item>`).join('');
    expect(decodeStatusFeed(`<StatusFeed cursor="9">${items}</StatusFeed>`)).toEqual({
      ok: true,
      updates: [],
      unmapped: [],
      cursor: '9',
    });
  });

  it.each([
    ['garbage', 'не XML', 'not well-formed'],
    ['another root', '<Feed cursor="1"/>', '<Feed>'],
    ['an Item without Header', '<StatusFeed cursor="1"><Item seq="1"/></StatusFeed>', 'holds no Header'],
    [
      'a receipt naming no appeal',
      `<StatusFeed><Item>${header('0', '<Acknowledgement ack_type="3"/>')}</Item></StatusFeed>`,
      'names no appeal',
    ],
    [
      'an unknown result code',
      item(
        header('3', '<Document idnumber="a" type="2"/><Expansion><AppealStatus result="9.9"/></Expansion>'),
      ),
      '9.9',
    ],
    ['a receipt without ack_type', item(header('0', '<Acknowledgement msg_id="x"/>')), 'ack_type'],
    [
      'a message from another body',
      item(header('0', '<Acknowledgement ack_type="1"/>').replace('99923101', '99923102')),
      '99923102',
    ],
    [
      'a time without its zone',
      item(header('0', '<Acknowledgement ack_type="1"/>').replace('+02:00', '')),
      'Header@time',
    ],
  ])('reads %s as a retryable MALFORMED_REPLY', (_, xml, why) => {
    const outcome = decodeStatusFeed(xml, '99923101');
    expect(outcome).toMatchObject({ ok: false, failure: { retryable: true, code: 'MALFORMED_REPLY' } });
    expect(!outcome.ok && outcome.failure.message).toContain(why);
  });
});

describe('status codes', () => {
  it('has one table: receipts by ack_type, answers by event, else by result, else as an answer', () => {
    expect(STATUS_CODES).toEqual({
      'Acknowledgement@ack_type=1': 'deliver',
      'Acknowledgement@ack_type=2': 'deliver',
      'Acknowledgement@ack_type=3': 'accept',
      'Acknowledgement@ack_type=4': 'reject',
      'AppealStatus@event=answer': 'answer',
      'AppealStatus@event=extend': 'extend',
      'AppealStatus@event=forward': 'forward',
      'AppealStatus@event=return': 'return',
      'AppealStatus@event=reject': 'reject',
      'AppealStatus@result=9.1': 'answer',
      'AppealStatus@result=9.2': 'answer',
      'AppealStatus@result=9.3': 'answer',
      'AppealStatus@result=9.4': 'return',
      'AppealStatus@result=9.5': 'forward',
      'AppealStatus@result=9.6': 'reject',
      'Header@msg_type=3': 'answer',
    });
  });

  it('returns messages with unmapped codes apart and still reads the rest of the page', () => {
    const withId = (h: string, id: string) => h.replace(/msg_id="m-\d"/, `msg_id="${id}"`);
    const items = [
      `<Item idnumber="${APPEAL}">${withId(header('0', '<Acknowledgement ack_type="3"/>'), 'ok-1')}</Item>`,
      `<Item idnumber="${APPEAL}">${withId(header('0', '<Acknowledgement ack_type="7"/>'), 'odd-1')}</Item>`,
      `<Item>${withId(header('3', '<Document idnumber="a" type="2"/><Expansion><AppealStatus event="close"/></Expansion>'), 'odd-2')}</Item>`,
      `<Item idnumber="${APPEAL}">${withId(header('3', '<Document idnumber="a" type="2"/><Expansion><AppealStatus event="accept"/></Expansion>'), 'odd-3')}</Item>`,
    ].join('');
    const outcome = decodeStatusFeed(`<StatusFeed cursor="4">${items}</StatusFeed>`, '99923101');
    expect(outcome).toMatchObject({
      ok: true,
      cursor: '4',
      updates: [{ externalEventId: 'ok-1', event: 'accept' }],
    });
    expect(outcome.ok && outcome.unmapped).toEqual([
      { externalEventId: 'odd-1', code: 'Acknowledgement@ack_type=7', appealId: APPEAL },
      { externalEventId: 'odd-2', code: 'AppealStatus@event=close', appealId: null },
      { externalEventId: 'odd-3', code: 'AppealStatus@event=accept', appealId: APPEAL },
    ]);
  });
});
