import { describe, expect, it } from 'vitest';
import { INTAKE_LIMITS, type IntakeRejection } from '../types.js';
import { readGovLineDocument } from './read.js';
import { type MessageParts, message, person } from './test-support.js';

function rejectionOf(xml: string): IntakeRejection {
  const [outcome, ...rest] = readGovLineDocument(xml);
  expect(rest).toEqual([]);
  if (outcome?.ok !== false) throw new Error(`expected a rejection, got ${JSON.stringify(outcome)}`);
  return outcome.rejection;
}

const transfer = (content: string, type = 'pdf') =>
  `<DocTransfer type="${type}" description="Копія" idnumber="f-1">${content}</DocTransfer>`;

const cases: [code: string, path: string, parts: MessageParts][] = [
  ['UNSUPPORTED_STANDARD', 'Header@standart', { header: { standart: '1208' } }],
  ['UNSUPPORTED_STANDARD', 'Header@version', { header: { version: '1.4' } }],
  ['NOT_A_MAIN_DOCUMENT', 'Header@msg_type', { header: { msg_type: '0' } }],
  ['REQUIRED_FIELD_MISSING', 'Header@msg_id', { header: { msg_id: null } }],
  ['REQUIRED_FIELD_MISSING', 'Header@from_org_id', { header: { from_org_id: '' } }],
  ['REQUIRED_FIELD_MISSING', 'Header.Document@idnumber', { document: { idnumber: null } }],
  ['REQUIRED_FIELD_MISSING', 'Header.Document@type', { document: { type: null } }],
  ['REQUIRED_FIELD_MISSING', 'Header.Expansion.AppealCard@kind', { card: { kind: null } }],
  ['REQUIRED_FIELD_MISSING', 'Header.Expansion.AppealCard@topic', { card: { topic: ' ' } }],
  [
    'REQUIRED_FIELD_MISSING',
    'Header.Document.RegNumber@regdate',
    { card: { registered: null }, regNumber: null },
  ],
  ['REQUIRED_FIELD_MISSING', 'Header.Document.Author', { authors: '' }],
  ['NOT_AN_APPEAL', 'Header.Document@type', { document: { type: '1' } }],
  ['INVALID_VALUE', 'Header.Document@urgent', { document: { urgent: '2' } }],
  ['INVALID_VALUE', 'Header.Document.Confident@flag', { confident: '<Confident flag="так"/>' }],
  [
    'INVALID_VALUE',
    'Header.Document.Author[0].PrivatePerson.Rank[0]@sex',
    { authors: person({ ranks: [{ sex: '3' }] }) },
  ],
  [
    'INVALID_VALUE',
    'Header.Document.Author[0].PrivatePerson.Econtact[1]@type',
    {
      authors: person({
        contacts: [
          ['м', '+380671234567'],
          ['x', 'foo'],
        ],
      }),
    },
  ],
  [
    'INVALID_VALUE',
    'Header.Expansion.DirectLine@agency',
    { expansionExtra: '<DirectLine session="S-1" agency="1234567"/>' },
  ],
  [
    'REQUIRED_FIELD_MISSING',
    'Header.Expansion.DirectLine@session',
    { expansionExtra: '<DirectLine agency="02741427"/>' },
  ],
  ['INVALID_DATE', 'Header.Expansion.AppealCard@registered', { card: { registered: '2026-11-20T09:15:00' } }],
  [
    'INVALID_DATE',
    'Header.Expansion.AppealCard@registered',
    { card: { registered: '2026-02-30T09:15:00+02:00' } },
  ],
  [
    'INVALID_DATE',
    'Header.Document.RegNumber@regdate',
    { regNumber: '<RegNumber regdate="20.11.2026">Т-1</RegNumber>' },
  ],
  [
    'FIELD_TOO_LONG',
    'Header.Document.Author[0].PrivatePerson.Name@secname',
    { authors: person({ name: { secname: 'К'.repeat(1001) } }) },
  ],
  [
    'FIELD_TOO_LONG',
    'Header.Document@annotation',
    { document: { annotation: 'а'.repeat(INTAKE_LIMITS.maxSummaryChars + 1) } },
  ],
  [
    'UNKNOWN_AUTHOR_CATEGORY',
    'Header.Document.Author[1].PrivatePerson.Rank[0]@privilege',
    { authors: person() + person({ ranks: [{ privilege: '7.99' }] }) },
  ],
  [
    'UNKNOWN_SOCIAL_STATUS',
    'Header.Document.Author[0].PrivatePerson.Rank[1]@socialposition',
    { authors: person({ ranks: [{}, { socialposition: '8.77' }] }) },
  ],
  [
    'AUTHOR_NOT_A_PERSON',
    'Header.Document.Author[0].Organization',
    { authors: '<Author><Organization ogrn="12345678" fullname="ТОВ «Ромашка»"/></Author>' },
  ],
  ['ATTACHMENT_INVALID', 'Header.Document.DocTransfer[0]', { transfers: transfer('не base64!') }],
  [
    'ATTACHMENT_INVALID',
    'Header.Document.DocTransfer[1]',
    { transfers: transfer('QUJD') + transfer('QUJDR') },
  ],
  ['ATTACHMENT_INVALID', 'Header.Document.DocTransfer[0]', { transfers: transfer('  ') }],
  [
    'TOO_MANY_ATTACHMENTS',
    'Header.Document.DocTransfer',
    { transfers: transfer('QUJD').repeat(INTAKE_LIMITS.maxAttachmentsPerAppeal + 1) },
  ],
  ['APPEAL_CARD_MISSING', 'Header.Expansion.AppealCard', { card: null }],
  ['APPEAL_CARD_MISSING', 'Header.Expansion', { expansion: '' }],
  [
    'APPEAL_CARD_DUPLICATE',
    'Header.Expansion.AppealCard[1]',
    { expansionExtra: '<AppealCard topic="006.01" kind="3.2"/>' },
  ],
  ['UNKNOWN_TOPIC', 'Header.Expansion.AppealCard@topic', { card: { topic: '777' } }],
  ['UNKNOWN_TOPIC', 'Header.Expansion.AppealCard@topic', { card: { topic: '006.99' } }],
  ['INVALID_KATOTTG', 'Header.Expansion.AppealCard@territory', { card: { territory: 'UA2306007001006952' } }],
  [
    'INVALID_KATOTTG',
    'Header.Expansion.AppealCard@territory',
    { card: { territory: 'UA00060070010069526' } },
  ],
  ['UNKNOWN_RECEIPT_FORM', 'Header.Expansion.AppealCard@form', { card: { form: '1.9' } }],
  [
    'UNKNOWN_RECEIPT_SIGN',
    'Header.Expansion.AppealCard@receipt_sign',
    { card: { receipt_sign: 'первинне' } },
  ],
  ['UNKNOWN_SUBJECT', 'Header.Expansion.AppealCard@subject', { card: { subject: '5.4' } }],
  ['UNKNOWN_KIND', 'Header.Expansion.AppealCard@kind', { card: { kind: '3' } }],
];

describe('per-item rejections', () => {
  it.each(cases)('%s at %s', (code, path, parts) => {
    const rejection = rejectionOf(message(parts));
    expect(rejection).toMatchObject({ index: 0, code, path });
    expect(rejection.message).toContain(path.replace(/\[\d+\]$/, ''));
  });

  it('names the external id when the document has one, and null when it does not', () => {
    expect(rejectionOf(message({ card: { topic: '777' } })).externalId).toBe('DOC-1');
    expect(rejectionOf(message({ document: { idnumber: null } })).externalId).toBeNull();
  });

  it('rejects a message without a Document', () => {
    const xml = message().replace(/<Document[\s\S]*<\/Document>/, '');
    expect(rejectionOf(xml)).toMatchObject({ code: 'REQUIRED_FIELD_MISSING', path: 'Header.Document' });
  });

  it('rejects an attachment larger than the limit, counting decoded bytes', () => {
    const quads = Math.ceil((INTAKE_LIMITS.maxAttachmentBytes + 1) / 3);
    const rejection = rejectionOf(message({ transfers: transfer('A'.repeat(quads * 4)) }));
    expect(rejection).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE', path: 'Header.Document.DocTransfer[0]' });
    expect(rejection.message).toContain(`is ${quads * 3} bytes`);
  });

  it('writes messages an operator can act on', () => {
    expect(rejectionOf(message({ card: { topic: '777' } })).message).toBe(
      'Header.Expansion.AppealCard@topic is "777", not a topic of the classifier (e.g. 006.01).',
    );
    expect(rejectionOf(message({ document: { type: '0' } })).message).toMatch(
      /only citizens' appeals \(type "2"\)/,
    );
  });
});
