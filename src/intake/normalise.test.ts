import { describe, expect, it } from 'vitest';
import { caseName, foldText, normalise, normalisePhone } from './normalise.js';
import type { IntakeItem } from './types.js';

const item = (over: Partial<IntakeItem> = {}): IntakeItem => ({
  source: 'gov_hotline_1545',
  externalId: 'X-1',
  registrationNumber: ' Т-1 ',
  receivedAt: new Date('2026-01-31T10:00:00Z'),
  kind: 'application',
  subject: 'individual',
  receiptSign: null,
  receiptForm: 'phone',
  topicCode: '006.01',
  territoryCode: ' ua2306 0070 0100 69526 ',
  summary: '  Прошу перерахувати субсидію.  ',
  urgent: false,
  nonDisclosure: false,
  author: {
    lastName: 'ШЕВЧЕНКО-ПЕТРЕНКО',
    firstName: 'олена',
    patronymic: null,
    phone: '(067) 123-45-67',
    email: ' O.Shevchenko@UKR.NET ',
    address: ' м. Запоріжжя,   вул. Соборна, 12 ',
    categories: ['7.8', '7.5', '7.5'],
    socialStatus: '8.1',
    sex: 'female',
  },
  coAuthors: [],
  attachments: [],
  directLine: null,
  complaintAbout: null,
  origin: {},
  ...over,
});

describe('normalisation to the canonical appeal', () => {
  it('cases names, including double surnames and apostrophes', () => {
    expect(caseName('  ШЕВЧЕНКО-ПЕТРЕНКО ')).toBe('Шевченко-Петренко');
    expect(caseName("д'ЯКОВА")).toBe("Д'якова");
    expect(caseName('   ')).toBeNull();
  });

  it('writes Ukrainian phones in E.164 and refuses what is not a phone', () => {
    for (const raw of ['0671234567', '067 123 45 67', '+38 (067) 123-45-67', '380671234567']) {
      expect(normalisePhone(raw, 'phone')).toBe('+380671234567');
    }
    expect(normalisePhone('+48 601 234 567', 'phone')).toBe('+48601234567');
    expect(() => normalisePhone('12', 'author.phone')).toThrow(
      expect.objectContaining({ code: 'INVALID_PHONE', path: 'author.phone' }),
    );
  });

  it('builds the canonical appeal: KATOTTG, deadline, priority, e-mail, trimmed text', () => {
    const n = normalise(item());
    expect(n.appeal).toMatchObject({
      registrationNumber: 'Т-1',
      territoryCode: 'UA23060070010069526',
      summary: 'Прошу перерахувати субсидію.',
      receiptSign: 'primary',
      priority: true,
      status: 'registered',
    });
    // 31 Jan + one month → 28 Feb (2026 is not a leap year), end of the Kyiv day.
    expect(n.appeal.dueAt.toISOString()).toBe('2026-02-28T21:59:59.999Z');
    expect(n.appeal.applicant).toMatchObject({
      lastName: 'Шевченко-Петренко',
      firstName: 'Олена',
      phone: '+380671234567',
      email: 'o.shevchenko@ukr.net',
      address: 'м. Запоріжжя, вул. Соборна, 12',
      categories: ['7.5', '7.8'],
    });
    expect(n.flags).toEqual([]);
  });

  it('gives the same citizen the same identity across spellings, and different houses different ones', () => {
    const author = item().author as NonNullable<IntakeItem['author']>;
    const a = normalise(item());
    const b = normalise(
      item({
        author: {
          ...author,
          lastName: 'шевченко-петренко',
          address: 'м. Запоріжжя, вул. Соборна 12',
        },
      }),
    );
    const c = normalise(item({ author: { ...author, address: 'м. Запоріжжя, вул. Соборна, 21' } }));
    expect(b.identityKey).toBe(a.identityKey);
    expect(c.identityKey).not.toBe(a.identityKey);
  });

  it('fingerprints texts so a template with other numbers matches, and short texts are not compared', () => {
    expect(foldText('Немає світла на вул. Чарівній, 100!')).toBe(
      foldText('немає   світла на вул. чарівній, 102'),
    );
    expect(normalise(item({ summary: 'Світла нема' })).textFingerprint).toBeNull();
  });

  it('folds exactly as the Unicode-class definition, so stored fingerprints and identity keys still match', () => {
    // The definition foldText had when the stored keys were computed.
    const defined = (text: string, keepDigits: boolean) =>
      text
        .toLowerCase()
        .replace(/[’ʼ`´]/g, "'")
        .replace(keepDigits ? /[^\p{L}\p{N}']+/gu : /[^\p{L}']+/gu, ' ')
        .trim();
    const pieces = [
      'Я',
      'ї',
      "'",
      '’',
      ' ',
      '\t',
      '7',
      '٣',
      'Ⅻ',
      '😀',
      '𝐀',
      '\uD800',
      '\uDC00',
      '—',
      'İ',
      'ß',
      '\u0301',
      '²',
      '中',
      '\u00a0',
    ];
    const texts = ['', '  ', 'Д’якова, буд. 12-А!', 'м. Запоріжжя,  вул. Соборна 12'];
    for (let n = 0; n < 3000; n++) {
      let s = '';
      for (let k = 0; k < 1 + (n % 9); k++) s += pieces[(n * 7 + k * 13 + (n >> 3)) % pieces.length];
      texts.push(s);
    }
    for (const t of texts) {
      expect(foldText(t)).toBe(defined(t, false));
      expect(foldText(t, true)).toBe(defined(t, true));
    }
  });

  it('treats an appeal without an author as anonymous and flags it', () => {
    const n = normalise(item({ author: null }));
    expect(n.appeal.subject).toBe('anonymous');
    expect(n.flags).toEqual(['ART8_ANONYMOUS']);
  });
});
