import { describe, expect, it } from 'vitest';
import { INTAKE_LIMITS, type IntakeItem, UnreadableDocumentError } from '../types.js';
import { readGovLineDocument } from './read.js';
import { parseXmlDocument } from './safe-xml.js';
import { batch, type MessageParts, message, person } from './test-support.js';

function itemOf(parts: MessageParts = {}): IntakeItem {
  const [outcome] = readGovLineDocument(message(parts));
  if (!outcome?.ok) throw new Error(`expected an item, got ${JSON.stringify(outcome)}`);
  return outcome.item;
}

function unreadable(body: string): UnreadableDocumentError {
  try {
    readGovLineDocument(body);
  } catch (error) {
    if (error instanceof UnreadableDocumentError) return error;
    throw error;
  }
  throw new Error('expected the document to be refused');
}

describe('readGovLineDocument: one message', () => {
  it('maps the 1207 fields and the AppealCard onto an intake item', () => {
    expect(itemOf()).toEqual({
      source: 'gov_hotline_1545',
      externalId: 'DOC-1',
      registrationNumber: 'Т-412345',
      receivedAt: new Date('2026-11-20T07:15:00.000Z'),
      kind: 'application',
      subject: 'individual',
      receiptSign: 'primary',
      receiptForm: 'phone',
      topicCode: '006.01',
      territoryCode: 'UA23060070010069526',
      summary: 'Прошу відновити виплату житлової субсидії.',
      urgent: false,
      nonDisclosure: false,
      author: {
        lastName: 'Коваленко',
        firstName: 'Олена',
        patronymic: 'Петрівна',
        phone: '+380671234567',
        email: null,
        address: '69001, Запорізька обл., м. Запоріжжя, вул. Соборна, буд. 12, кв. 5',
        categories: [],
        socialStatus: '8.1',
        sex: 'female',
      },
      coAuthors: [],
      attachments: [],
      directLine: null,
      complaintAbout: null,
      origin: expect.objectContaining({
        msg_id: 'msg-1',
        channel: '1545',
        expansion_organization: '37471967',
      }),
    });
  });

  it('keeps organisation codes as strings with their leading zeros', () => {
    expect(itemOf().origin).toMatchObject({ from_org_id: '00037471', to_org_id: '03345678' });
  });

  it('reads the same from bytes and from a string', () => {
    const xml = message();
    expect(readGovLineDocument(Buffer.from(xml))).toEqual(readGovLineDocument(xml));
  });

  it('reads urgency, non-disclosure and an empty essence (a law flag later, not a rejection)', () => {
    const item = itemOf({ document: { urgent: '1', annotation: '  ' }, confident: '<Confident flag="1"/>' });
    expect(item).toMatchObject({ urgent: true, nonDisclosure: true, summary: null });
    expect(itemOf({ document: { annotation: null } }).summary).toBeNull();
  });

  it('dates the appeal by RegNumber@regdate at 00:00 Kyiv time when the card has no registered time', () => {
    expect(itemOf({ card: { registered: null } }).receivedAt.toISOString()).toBe('2026-11-19T22:00:00.000Z');
    const summer = {
      card: { registered: null },
      regNumber: '<RegNumber regdate="2026-07-15">Т-1</RegNumber>',
    };
    expect(itemOf(summer).receivedAt.toISOString()).toBe('2026-07-14T21:00:00.000Z');
    expect(itemOf({ card: { registered: '2026-11-20T07:15:30.250Z' } }).receivedAt.toISOString()).toBe(
      '2026-11-20T07:15:30.250Z',
    );
  });

  it('takes the subject from the card, else counts the authors', () => {
    const three = person() + person({ name: { secname: 'Мороз' } }) + person({ name: { secname: 'Шевчук' } });
    const collective = itemOf({ authors: three, card: { subject: null } });
    expect(collective.subject).toBe('collective');
    expect(collective.author?.lastName).toBe('Коваленко');
    expect(collective.coAuthors.map((a) => a.lastName)).toEqual(['Мороз', 'Шевчук']);
    expect(itemOf({ card: { subject: null } }).subject).toBe('individual');
  });

  it('reads an anonymous appeal as having no author, but keeps a contact an anonymous caller left', () => {
    expect(itemOf({ authors: '<Author/>', card: { subject: '5.3' } })).toMatchObject({
      subject: 'anonymous',
      author: null,
      coAuthors: [],
    });
    expect(itemOf({ authors: '', card: { subject: '5.3' } }).author).toBeNull();
    const withPhone = person({ name: { secname: null, firstname: null, fathersname: null }, address: null });
    expect(itemOf({ authors: withPhone, card: { subject: '5.3' } }).author?.phone).toBe('+380671234567');
  });

  it('collects classifier categories from every Rank and reads sex from the 1207 enum or the classifier', () => {
    const ranks: Record<string, string>[] = [
      { privilege: '7.5', socialposition: '8.5', sex: '1' },
      { privilege: '7.8; 7.5' },
      { sex: '2' },
    ];
    expect(itemOf({ authors: person({ ranks }) }).author).toMatchObject({
      categories: ['7.5', '7.8'],
      socialStatus: '8.5',
      sex: 'male',
    });
    expect(itemOf({ authors: person({ ranks: [{ sex: '0' }] }) }).author?.sex).toBeNull();
    expect(itemOf({ authors: person({ ranks: [{ sex: '4.2' }] }) }).author?.sex).toBe('female');
  });

  it('takes the first phone and e-mail by EcontactEnum, and guesses untyped contacts by shape', () => {
    const contacts: [string | null, string][] = [
      ['ф', '+380612000000'],
      ['p', '+380612000001'],
      ['м', '+380671234567'],
      ['п', 'a@example.ua'],
      [null, 'b@example.ua'],
    ];
    expect(itemOf({ authors: person({ contacts }) }).author).toMatchObject({
      phone: '+380612000001',
      email: 'a@example.ua',
    });
    const untyped = person({
      contacts: [
        [null, 'olena@ukr.net'],
        [null, '067 123 45 67'],
      ],
    });
    expect(itemOf({ authors: untyped }).author).toMatchObject({
      phone: '067 123 45 67',
      email: 'olena@ukr.net',
    });
  });

  it('reads a name written as the element text, surname first', () => {
    const authors =
      '<Author><PrivatePerson><Name>Бондаренко Сергій Васильович</Name></PrivatePerson></Author>';
    expect(itemOf({ authors }).author).toMatchObject({
      lastName: 'Бондаренко',
      firstName: 'Сергій',
      patronymic: 'Васильович',
      address: null,
      phone: null,
    });
  });

  it('writes the address in Ukrainian postal order, labelling bare numbers', () => {
    const address = { country: 'Україна', building: 'А', house: 'буд. 150', flat: '18', postbox: null };
    expect(itemOf({ authors: person({ address }) }).author?.address).toBe(
      '69001, Запорізька обл., м. Запоріжжя, вул. Соборна, буд. 150, корп. А, кв. 18',
    );
    const free = { postcode: null, region: null, settlement: null, street: null, house: null, flat: null };
    const nontypical = { ...free, nontypical: 'с. Кушугум, біля школи' };
    expect(itemOf({ authors: person({ address: nontypical }) }).author?.address).toBe(
      'с. Кушугум, біля школи',
    );
  });

  it('decodes DocTransfer attachments, names them safely and maps the type to a MIME type', () => {
    const transfers =
      '<DocTransfer type="pdf" description="Акт обстеження" idnumber="1">JVBERi0x\n  LjQK</DocTransfer>' +
      '<DocTransfer type="JPG" description="../../etc/фото.jpg" idnumber="2">/9j/4A==</DocTransfer>' +
      '<DocTransfer type="p7b" description="" idnumber="3">AAEC</DocTransfer>';
    const [pdf, jpg, other] = itemOf({ transfers }).attachments;
    expect(pdf).toEqual({
      fileName: 'Акт обстеження.pdf',
      mimeType: 'application/pdf',
      content: Buffer.from('%PDF-1.4\n'),
    });
    expect(jpg).toMatchObject({ fileName: '.._.._etc_фото.jpg', mimeType: 'image/jpeg' });
    expect(other).toMatchObject({ fileName: 'attachment-3.p7b', mimeType: 'application/octet-stream' });
    expect(other?.content).toEqual(Buffer.from([0, 1, 2]));
  });

  it('reads a direct-line session from the Expansion', () => {
    const extra = '<DirectLine session="ПЛ-7" agency="02741427" official="Петренко Наталія Олегівна"/>';
    expect(itemOf({ expansionExtra: extra }).directLine).toEqual({
      sessionId: 'ПЛ-7',
      agencyCode: '02741427',
      officialName: 'Петренко Наталія Олегівна',
    });
  });
});

describe('readGovLineDocument: batches', () => {
  it('keeps the good items of a batch and indexes every outcome in document order', () => {
    const outcomes = readGovLineDocument(
      `<AppealBatch batch_id="B-7">${[
        message({ document: { idnumber: 'A' } }),
        message({ document: { idnumber: 'B' }, card: { topic: '777' } }),
        message({ document: { idnumber: 'C' } }),
        message({ document: { idnumber: 'D' }, header: { msg_type: '0' } }),
      ].join('')}</AppealBatch>`,
    );
    expect(
      outcomes.map((o) => (o.ok ? [o.index, o.item.externalId] : [o.rejection.index, o.rejection.code])),
    ).toEqual([
      [0, 'A'],
      [1, 'UNKNOWN_TOPIC'],
      [2, 'C'],
      [3, 'NOT_A_MAIN_DOCUMENT'],
    ]);
    expect(outcomes[0]?.ok && outcomes[0].item.origin.batch_id).toBe('B-7');
  });

  it('reads comments and processing instructions between Headers, and the batch id through entities', () => {
    const text = `<AppealBatch batch_id="A&amp;B"><!-- first --><?trace x?>${message()}<!-- end --></AppealBatch>`;
    const [outcome] = readGovLineDocument(text);
    expect(outcome?.ok && outcome.item.origin.batch_id).toBe('A&B');
  });

  it('rejects only the Header of a batch that is not well-formed, naming its line in the batch', () => {
    const text = batch(message(), '<Header><Document></Header></Document>', message());
    const outcomes = readGovLineDocument(text);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    const bad = outcomes[1];
    if (bad?.ok !== false) throw new Error('expected a rejection');
    const line = message().split('\n').length + 3;
    expect(bad.rejection).toEqual({
      index: 1,
      externalId: null,
      path: 'Header',
      code: 'XML_MALFORMED',
      message: `The XML is not well-formed: Unexpected close tag at line ${line}, column 27.`,
    });
    // A lone message that is not well-formed is an unreadable document.
    expect(unreadable('<Header><Document></Header></Document>').code).toBe('XML_MALFORMED');
    expect(() => parseXmlDocument(text)).toThrow(bad.rejection.message);
  });

  it('reads an empty batch as no items', () => {
    expect(readGovLineDocument('<AppealBatch/>')).toEqual([]);
  });

  it('refuses a document whose root is neither Header nor AppealBatch', () => {
    expect(unreadable('<Appeals><Header/></Appeals>')).toMatchObject({
      code: 'XML_WRONG_ROOT',
      path: 'Appeals',
    });
  });

  it('refuses anything but Header inside a batch', () => {
    expect(unreadable(batch(message(), '<Note>x</Note>')).code).toBe('BATCH_UNEXPECTED_ELEMENT');
    expect(unreadable(`<AppealBatch>текст${message()}</AppealBatch>`).code).toBe('BATCH_UNEXPECTED_ELEMENT');
    expect(unreadable(`<AppealBatch>${message()}<![CDATA[x]]></AppealBatch>`).code).toBe(
      'BATCH_UNEXPECTED_ELEMENT',
    );
  });

  it('refuses a batch over the limit before parsing it', () => {
    const body = `<AppealBatch>${'<Header/>'.repeat(INTAKE_LIMITS.maxItemsPerBatch + 1)}</AppealBatch>`;
    const started = performance.now();
    expect(unreadable(body).code).toBe('BATCH_TOO_LARGE');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
