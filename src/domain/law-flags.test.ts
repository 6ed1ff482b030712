import { describe, expect, it } from 'vitest';
import type { Applicant } from './appeal.js';
import { lawFlagsOf, lawReviewAction, returnToAuthorBy } from './law-flags.js';

const person: Applicant = {
  lastName: 'Коваленко',
  firstName: 'Олена',
  patronymic: 'Петрівна',
  phone: '+380671234567',
  email: null,
  address: 'м. Запоріжжя, вул. Соборна, 12',
  categories: [],
  socialStatus: null,
  sex: null,
  nonDisclosure: false,
};
const appeal = (over: Partial<Applicant> = {}, rest: Partial<Parameters<typeof lawFlagsOf>[0]> = {}) => ({
  subject: 'individual' as const,
  source: 'regional_hotline' as const,
  summary: 'Прошу відновити виплату субсидії.',
  applicant: { ...person, ...over },
  ...rest,
});

describe('the law’s requirements as flags (Art. 5, Art. 8)', () => {
  it('finds nothing in a complete appeal', () => {
    expect(lawFlagsOf(appeal())).toEqual([]);
    expect(lawReviewAction([])).toBeNull();
  });

  it.each([
    ['anonymous by subject', appeal({}, { subject: 'anonymous' }), ['ART8_ANONYMOUS'], 'not_subject'],
    [
      'no name at all',
      appeal({ lastName: null, firstName: null, address: null }),
      ['ART8_ANONYMOUS'],
      'not_subject',
    ],
    ['surname missing', appeal({ lastName: null }), ['ART5_NO_NAME'], 'return_to_author'],
    ['no place of residence', appeal({ address: null }), ['ART5_NO_ADDRESS'], 'return_to_author'],
    ['no essence', appeal({}, { summary: '   ' }), ['ART5_NO_ESSENCE'], 'return_to_author'],
    [
      'electronic appeal without contact',
      appeal({ phone: null, email: null }, { source: 'web' }),
      ['ART5_NO_CONTACT'],
      'return_to_author',
    ],
    [
      'anonymous and empty',
      appeal({ lastName: null, firstName: null }, { summary: '' }),
      ['ART8_ANONYMOUS', 'ART5_NO_ESSENCE'],
      'not_subject',
    ],
  ] as const)('%s', (_label, a, flags, action) => {
    expect(lawFlagsOf(a)).toEqual(flags);
    expect(lawReviewAction(lawFlagsOf(a))).toBe(action);
  });

  it('a phone appeal needs no e-mail; a web appeal with an e-mail is complete', () => {
    expect(lawFlagsOf(appeal({ phone: null, email: null }))).toEqual([]);
    expect(lawFlagsOf(appeal({ phone: null, email: 'o.k@ukr.net' }, { source: 'web' }))).toEqual([]);
  });

  it('returns to the author by the end of the 10th Kyiv day after receipt', () => {
    // Received 25 Oct 2026 00:30 Kyiv (EEST, the night DST ends) → due 4 Nov 23:59:59.999 Kyiv (EET).
    expect(returnToAuthorBy(new Date('2026-10-24T21:30:00Z')).toISOString()).toBe('2026-11-04T21:59:59.999Z');
  });
});
