import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import {
  CATEGORY_LABELS,
  hierarchyPrefix,
  isValidKatottg,
  isWithin,
  KATOTTG_CATEGORIES,
  katottgLevel,
  normalizeCategory,
  normalizeKatottg,
  normalizeTerritoryPrefix,
} from './katottg.js';

// Real codes from the codifier release of 16.05.2025.
const ZAPORIZKA_OBLAST = 'UA23000000000064947';
const BERDIANSKYI = 'UA23020000000032289';
const VASYLIVSKYI = 'UA23040000000067730';
const ZAPORIZKYI = 'UA23060000000070350';
const MELITOPOLSKYI = 'UA23080000000090746';
const POLOHIVSKYI = 'UA23100000000034132';
const ZAPORIZKA_HROMADA = 'UA23060070000082704';
const ZAPORIZHZHIA = 'UA23060070010069526';
const VOZNESENIVSKYI = 'UA23060070010154443';
const KYIV = 'UA80000000000093317';
const HOLOSIIVSKYI = 'UA80000000000126643';
const DARNYTSKYI = 'UA80000000000210193';
const PRYPIAT = 'UA32000000010085013';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? e.code : 'not a DomainError';
  }
  return undefined;
}

describe('normalizeKatottg', () => {
  it('accepts real codes unchanged', () => {
    for (const code of [
      ZAPORIZKA_OBLAST,
      BERDIANSKYI,
      VASYLIVSKYI,
      POLOHIVSKYI,
      ZAPORIZHZHIA,
      KYIV,
      HOLOSIIVSKYI,
    ]) {
      expect(normalizeKatottg(code)).toBe(code);
    }
  });

  it('trims, drops inner spaces and upper-cases', () => {
    expect(normalizeKatottg(' ua 2306 0070 0100 69526 ')).toBe(ZAPORIZHZHIA);
  });

  it('maps a Cyrillic А in the prefix to Latin', () => {
    expect(normalizeKatottg('U\u041023060070010069526')).toBe(ZAPORIZHZHIA);
    expect(normalizeKatottg('u\u043023060070010069526')).toBe(ZAPORIZHZHIA);
  });

  it.each([
    ['18 digits', 'UA230600700100695260'],
    ['16 digits', 'UA2306007001006952'],
    ['letters among the digits', 'UA2306007001006952X'],
    ['an empty string', ''],
    ['no prefix', '23060070010069526'],
    ['oblast 00', 'UA00060070010069526'],
    ['a hromada without a district', 'UA23000070000082704'],
    ['a city district without a settlement', 'UA23060070000154443'],
    ['a Kyiv-style gap outside Kyiv', 'UA23000000000126643'],
  ])('rejects %s', (_why, input) => {
    expect(codeOf(() => normalizeKatottg(input))).toBe('INVALID_KATOTTG');
    expect(isValidKatottg(input)).toBe(false);
  });

  it('names the offending input in the message', () => {
    expect(() => normalizeKatottg('UA123')).toThrow(/"UA123"/);
  });

  it('accepts the units that hang straight off the oblast', () => {
    expect(isValidKatottg(HOLOSIIVSKYI)).toBe(true);
    expect(isValidKatottg(PRYPIAT)).toBe(true);
  });
});

describe('katottgLevel and hierarchyPrefix', () => {
  it.each([
    [ZAPORIZKA_OBLAST, 'oblast', 'UA23'],
    [ZAPORIZKYI, 'district', 'UA2306'],
    [POLOHIVSKYI, 'district', 'UA2310'],
    [ZAPORIZKA_HROMADA, 'hromada', 'UA2306007'],
    [ZAPORIZHZHIA, 'settlement', 'UA2306007001'],
    [VOZNESENIVSKYI, 'city_district', 'UA230600700101'],
    [KYIV, 'oblast', 'UA80'],
    [HOLOSIIVSKYI, 'city_district', 'UA800000000001'],
    [PRYPIAT, 'settlement', 'UA3200000001'],
  ])('%s is a %s with prefix %s', (code, level, prefix) => {
    expect(katottgLevel(code)).toBe(level);
    expect(hierarchyPrefix(code)).toBe(prefix);
  });
});

describe('isWithin', () => {
  it('places a city district inside every ancestor', () => {
    for (const ancestor of [VOZNESENIVSKYI, ZAPORIZHZHIA, ZAPORIZKA_HROMADA, ZAPORIZKYI, ZAPORIZKA_OBLAST]) {
      expect(isWithin(VOZNESENIVSKYI, ancestor)).toBe(true);
    }
  });

  it('keeps siblings and descendants apart', () => {
    expect(isWithin(VOZNESENIVSKYI, MELITOPOLSKYI)).toBe(false);
    expect(isWithin(ZAPORIZKYI, VOZNESENIVSKYI)).toBe(false);
    expect(isWithin(BERDIANSKYI, VASYLIVSKYI)).toBe(false);
    expect(isWithin(ZAPORIZKA_OBLAST, KYIV)).toBe(false);
  });

  it('tells Kyiv districts from the city and from each other', () => {
    expect(isWithin(HOLOSIIVSKYI, KYIV)).toBe(true);
    expect(isWithin(KYIV, HOLOSIIVSKYI)).toBe(false);
    expect(isWithin(DARNYTSKYI, HOLOSIIVSKYI)).toBe(false);
  });

  it('accepts a short prefix as the ancestor', () => {
    expect(isWithin(VOZNESENIVSKYI, 'ua2306')).toBe(true);
    expect(isWithin(VOZNESENIVSKYI, 'UA2308')).toBe(false);
  });

  it('holds for every generated ancestor prefix', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(VOZNESENIVSKYI, ZAPORIZHZHIA, HOLOSIIVSKYI, PRYPIAT, POLOHIVSKYI),
        (code) => {
          const prefix = hierarchyPrefix(code);
          expect(isWithin(code, code)).toBe(true);
          expect(isWithin(code, prefix.slice(0, 4))).toBe(true);
          expect(normalizeTerritoryPrefix(prefix)).toBe(prefix);
        },
      ),
    );
  });
});

describe('normalizeTerritoryPrefix', () => {
  it('turns a full code into its prefix', () => {
    expect(normalizeTerritoryPrefix(ZAPORIZKA_HROMADA)).toBe('UA2306007');
  });

  it.each(['UA23', 'UA2306', 'UA2306007', 'UA2306007001', 'UA230600700101'])('keeps %s', (prefix) => {
    expect(normalizeTerritoryPrefix(prefix.toLowerCase())).toBe(prefix);
  });

  it.each(['UA230', 'UA23060', '', 'UA', 'UA2300', 'UA00', '2306', 'UA23X6', 'UA23000070000082704'])(
    'rejects %j',
    (input) => {
      expect(codeOf(() => normalizeTerritoryPrefix(input))).toBe('INVALID_TERRITORY_PREFIX');
    },
  );

  it('points at the canonical spelling of a padded prefix', () => {
    expect(() => normalizeTerritoryPrefix('UA2300')).toThrow(/UA23\b/);
  });
});

describe('normalizeCategory', () => {
  it.each([
    ['O', '\u041E'],
    ['k', '\u041A'],
    ['P', '\u0420'],
    ['h', '\u041D'],
    ['M', '\u041C'],
    ['c', '\u0421'],
    ['X', '\u0425'],
    ['b', '\u0412'],
    ['T', '\u0422'],
    [' \u0445 ', '\u0425'],
  ])('maps %j to the Cyrillic letter', (input, cyrillic) => {
    expect(normalizeCategory(input)).toBe(cyrillic);
  });

  it('keeps every Cyrillic category as it is and labels it', () => {
    for (const letter of KATOTTG_CATEGORIES) {
      expect(normalizeCategory(letter)).toBe(letter);
      expect(CATEGORY_LABELS[letter]).toMatch(/^[А-ЯІЇЄҐ]/);
    }
    expect(CATEGORY_LABELS['\u0412']).toBe('Район у місті');
  });

  it.each(['', 'A', 'OO', '\u0410', '1'])('rejects %j', (input) => {
    expect(codeOf(() => normalizeCategory(input))).toBe('INVALID_KATOTTG_CATEGORY');
  });
});
