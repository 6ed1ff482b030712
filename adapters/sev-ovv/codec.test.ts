import { describe, expect, it } from 'vitest';
import {
  KIND_CODES as DOMAIN_KINDS,
  RESULT_CODES as DOMAIN_RESULTS,
  SUBJECT_CODES as DOMAIN_SUBJECTS,
} from '../../src/domain/classifier.js';
import { findTopic } from '../../src/domain/topics.js';
import { readGovLineDocument } from '../../src/intake/gov-line/read.js';
import type { IntakeItem } from '../../src/intake/types.js';
import type { PayloadPerson, RecipientRole } from '../port.js';
import { decodeReply, EncodeError, encodeAppeal, msgIdFor } from './codec.js';
import { KIND_CODES, RESULT_CODES, SUBJECT_CODES } from './codes.js';
import {
  ATTACHMENT_BYTES,
  EXAMPLE_NOW,
  IDEMPOTENCY_KEY,
  INFORMATION_PAYLOAD,
  payloadWith,
  RESPONSIBLE_PAYLOAD,
} from './fixtures.js';
import { attr, firstElement, parseXml, type XmlElement } from './xml.js';

/** The encoded message as the gateway's own 1207 intake reads it. */
function readBack(xml: string): IntakeItem {
  const [outcome, ...more] = readGovLineDocument(xml);
  expect(more).toHaveLength(0);
  if (!outcome?.ok) throw new Error(`unreadable: ${JSON.stringify(outcome)}`);
  return outcome.item;
}

const at = (root: XmlElement, ...path: string[]): XmlElement | undefined =>
  path.reduce<XmlElement | undefined>((el, name) => firstElement(el, name), root);

const encode = (payload = RESPONSIBLE_PAYLOAD) => encodeAppeal(payload, IDEMPOTENCY_KEY, EXAMPLE_NOW);

describe('encodeAppeal', () => {
  it('writes a message the gateway’s own 1207 reader takes in with the same appeal', () => {
    const item = readBack(encode());
    expect(item).toMatchObject({
      externalId: RESPONSIBLE_PAYLOAD.appealId,
      registrationNumber: 'ЗОКЦ-2026/015234',
      receivedAt: new Date('2026-11-20T07:15:00.000Z'),
      topicCode: '006.01',
      territoryCode: 'UA23060070010069526',
      kind: 'application',
      subject: 'individual',
      urgent: false,
      nonDisclosure: false,
      summary: RESPONSIBLE_PAYLOAD.summary,
      coAuthors: [],
      origin: {
        from_org_id: '99923900',
        to_org_id: '99923101',
        msg_id: msgIdFor(IDEMPOTENCY_KEY),
        channel: '1545',
      },
    });
    expect(findTopic(item.topicCode)?.label).toBe(RESPONSIBLE_PAYLOAD.topicLabel);
    expect(item.author).toEqual({
      lastName: 'Коваленко',
      firstName: 'Олена',
      patronymic: 'Петрівна',
      phone: '+380671234567',
      email: 'o.kovalenko@ukr.net',
      address: '69001, Запорізька обл., м. Запоріжжя, вул. Соборна, буд. 12, кв. 5',
      categories: ['7.6', '7.9'],
      socialStatus: '8.1',
      sex: 'female',
    });
    expect(item.attachments).toHaveLength(1);
    expect(item.attachments[0]?.fileName).toBe('Довідка про склад сім’ї.pdf');
    expect(item.attachments[0]?.mimeType).toBe('application/pdf');
    expect(Buffer.compare(item.attachments[0]?.content ?? Buffer.alloc(0), ATTACHMENT_BYTES)).toBe(0);
  });

  it('writes co-authors as further Authors, the non-disclosure request as Confident 1, urgency', () => {
    const coAuthor: PayloadPerson = {
      lastName: 'Мороз',
      firstName: 'Галина',
      patronymic: 'Іванівна',
      phone: null,
      email: null,
      address: null,
      categories: [],
      socialStatus: null,
      sex: null,
    };
    const item = readBack(
      encode(
        payloadWith({
          subject: 'collective',
          coAuthors: [coAuthor],
          nonDisclosure: true,
          urgent: true,
        }),
      ),
    );
    expect(item).toMatchObject({ subject: 'collective', nonDisclosure: true, urgent: true });
    expect(item.coAuthors.map((a) => [a.lastName, a.firstName, a.patronymic])).toEqual([
      ['Мороз', 'Галина', 'Іванівна'],
    ]);
  });

  it('writes an anonymous appeal with one empty Author, as 1207 requires an Author', () => {
    const xml = encode(payloadWith({ subject: 'anonymous', author: null, attachments: [] }));
    expect(xml).toContain('<Author/>');
    expect(readBack(xml)).toMatchObject({ subject: 'anonymous', author: null });
  });

  it('keeps the leading zeros of EDRPOU codes everywhere it writes them', () => {
    const payload = payloadWith({
      recipient: { code: '00032684', name: 'Міністерство внутрішніх справ України', role: 'responsible' },
      sender: { code: '03345678', name: 'Запорізький обласний контактний центр' },
    });
    const xml = encode(payload);
    const { root } = parseXml(xml);
    expect([attr(root, 'to_org_id'), attr(root, 'from_org_id')]).toEqual(['00032684', '03345678']);
    expect(attr(at(root, 'TaskList', 'Task', 'Executor', 'Organization'), 'ogrn')).toBe('00032684');
    expect(attr(at(root, 'TaskList', 'Task', 'Author', 'Organization'), 'ogrn')).toBe('03345678');
    expect(attr(at(root, 'Document', 'Writer', 'Organization'), 'ogrn')).toBe('03345678');
    expect(attr(at(root, 'Expansion'), 'organization')).toBe('03345678');
    expect(readBack(xml).origin).toMatchObject({ from_org_id: '03345678', to_org_id: '00032684' });
  });

  it('derives msg_id from the idempotency key: the same on every attempt, another for another key', () => {
    const msgId = (key: string, now: Date) =>
      attr(parseXml(encodeAppeal(RESPONSIBLE_PAYLOAD, key, now)).root, 'msg_id');
    const first = msgId(IDEMPOTENCY_KEY, EXAMPLE_NOW);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(msgId(IDEMPOTENCY_KEY, new Date('2026-11-21T10:00:00Z'))).toBe(first);
    expect(msgId(`${RESPONSIBLE_PAYLOAD.appealId}:99923102`, EXAMPLE_NOW)).not.toBe(first);
  });

  it.each<[RecipientRole, { responsible: string; copy: string; control: string; purpose: string }]>([
    ['responsible', { responsible: '1', copy: '0', control: '1', purpose: '3' }],
    ['co_executor', { responsible: '0', copy: '0', control: '1', purpose: '3' }],
    ['for_information', { responsible: '2', copy: '1', control: '0', purpose: '0' }],
  ])(
    'maps the role %s onto Executor@responsible, Task@task_copy, @referred-control, Document@purpose_type',
    (role, want) => {
      const { root } = parseXml(
        encode(payloadWith({ recipient: { ...RESPONSIBLE_PAYLOAD.recipient, role } })),
      );
      const task = at(root, 'TaskList', 'Task');
      expect({
        responsible: attr(at(root, 'TaskList', 'Task', 'Executor'), 'responsible'),
        copy: attr(task, 'task_copy'),
        control: attr(task, 'referred-control'),
        purpose: attr(at(root, 'Document'), 'purpose_type'),
      }).toEqual(want);
      expect(attr(at(root, 'Expansion', 'Assignment'), 'role')).toBe(role);
    },
  );

  it.each([
    ['2026-12-20T21:59:59.999Z', '2026-12-20'],
    ['2026-12-20T22:30:00.000Z', '2026-12-21'],
    ['2026-07-01T21:30:00.000Z', '2026-07-02'],
  ])('writes the deadline %s as the Kyiv calendar day %s', (dueAt, day) => {
    const { root } = parseXml(encode(payloadWith({ dueAt })));
    expect(attr(at(root, 'TaskList', 'Task'), 'deadline')).toBe(day);
    expect(attr(at(root, 'TaskList', 'Task', 'Executor'), 'deadline')).toBe(day);
    expect(attr(at(root, 'Expansion', 'Assignment'), 'due_at')).toBe(dueAt);
  });

  it('leaves out what the payload withholds: no contacts, no address, no files in a copy for information', () => {
    const xml = encodeAppeal(INFORMATION_PAYLOAD, 'k', EXAMPLE_NOW);
    for (const element of ['<Econtact', '<Address', '<DocTransfer']) expect(xml).not.toContain(element);
    expect(readBack(xml).author).toMatchObject({
      lastName: 'Коваленко',
      phone: null,
      email: null,
      address: null,
    });
  });

  it('escapes markup and drops characters XML cannot carry', () => {
    const summary = 'Тариф <«понад 5 000 грн»> & "борг"\u0001 — ’ 🏠';
    expect(readBack(encode(payloadWith({ summary }))).summary).toBe(
      'Тариф <«понад 5 000 грн»> & "борг" — ’ 🏠',
    );
  });

  it('refuses a payload it cannot write', () => {
    const bad = { ...RESPONSIBLE_PAYLOAD.recipient, code: '9992310' };
    expect(() => encode(payloadWith({ recipient: bad }))).toThrow(EncodeError);
    expect(() => encode(payloadWith({ dueAt: '20.12.2026' }))).toThrow(EncodeError);
  });

  it('uses the classifier codes of src/domain/classifier.ts', () => {
    for (const e of DOMAIN_KINDS) expect(KIND_CODES[e.name]).toEqual({ code: e.code, label: e.label });
    for (const e of DOMAIN_SUBJECTS) expect(SUBJECT_CODES[e.name]).toBe(e.code);
    for (const e of DOMAIN_RESULTS) expect(RESULT_CODES[e.name]).toBe(e.code);
  });
});

const MSG_ID = msgIdFor(IDEMPOTENCY_KEY);
const receipt = (ack: string, root = 'Header') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root} standart="1207" version="1.5" msg_type="0" msg_id="node-17">${ack}</${root}>`;

describe('decodeReply', () => {
  it.each([
    ['1', 'delivered'],
    ['2', 'accepted'],
  ] as const)('reads ack_type %s as %s', (ackType, level) => {
    const outcome = decodeReply(
      receipt(
        `<Acknowledgement msg_id="${MSG_ID}" ack_type="${ackType}"><AckResult errorcode="0" errortext=""/></Acknowledgement>`,
      ),
      MSG_ID,
    );
    expect(outcome).toEqual({
      ok: true,
      receipt: { level, agencyRef: 'node-17', registrationNumber: null, detail: `ack_type=${ackType}` },
    });
  });

  it('reads ack_type 3 as registered, with the body’s RegNumber', () => {
    const xml = receipt(
      `<Acknowledgement msg_id="${MSG_ID}" ack_type="3"><RegNumber regdate="2026-11-20">Вх-00042</RegNumber><AckResult errorcode="0" errortext="Зареєстровано."/></Acknowledgement>`,
    );
    expect(decodeReply(xml, MSG_ID)).toEqual({
      ok: true,
      receipt: {
        level: 'registered',
        agencyRef: 'node-17',
        registrationNumber: 'Вх-00042',
        detail: 'ack_type=3; RegNumber Вх-00042 of 2026-11-20; Зареєстровано.',
      },
    });
  });

  it('reads ack_type 4 as a permanent ACK_REJECTED with the errors', () => {
    const xml = receipt(
      `<Acknowledgement msg_id="${MSG_ID}" ack_type="4"><AckResult errorcode="5" errortext="Повідомлення адресоване не нам."/></Acknowledgement>`,
    );
    const outcome = decodeReply(xml, MSG_ID);
    expect(outcome).toMatchObject({ ok: false, failure: { retryable: false, code: 'ACK_REJECTED' } });
    expect(!outcome.ok && outcome.failure.message).toContain('5: Повідомлення адресоване не нам.');
  });

  it.each([
    ['an empty body', ''],
    ['plain text', 'Сервіс тимчасово недоступний'],
    ['broken XML', '<Header standart="1207"><Acknowledgement ack_type="3"'],
    ['another root', receipt(`<Acknowledgement msg_id="${MSG_ID}" ack_type="3"/>`, 'Envelope')],
    ['no Acknowledgement', receipt('<Document idnumber="1" type="2"/>')],
    ['an unknown ack_type', receipt(`<Acknowledgement msg_id="${MSG_ID}" ack_type="7"/>`)],
    ['no ack_type', receipt(`<Acknowledgement msg_id="${MSG_ID}"/>`)],
    ['a receipt for another message', receipt('<Acknowledgement msg_id="other" ack_type="3"/>')],
    ['a DOCTYPE', `<?xml version="1.0"?><!DOCTYPE Header [<!ENTITY x "y">]><Header>&x;</Header>`],
    [
      'an undeclared entity',
      receipt(`<Acknowledgement msg_id="${MSG_ID}" ack_type="3">&xxe;</Acknowledgement>`),
    ],
  ])('reads %s as a retryable MALFORMED_REPLY', (_, xml) => {
    expect(decodeReply(xml, MSG_ID)).toMatchObject({
      ok: false,
      failure: { retryable: true, code: 'MALFORMED_REPLY' },
    });
  });

  it('keeps element names like __proto__ away from Object.prototype', () => {
    const xml = receipt(
      `<__proto__><polluted>yes</polluted></__proto__><Acknowledgement constructor="x" msg_id="${MSG_ID}" ack_type="1"><AckResult errorcode="0" errortext=""/></Acknowledgement>`,
    );
    expect(decodeReply(xml, MSG_ID)).toMatchObject({ ok: true, receipt: { level: 'delivered' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
