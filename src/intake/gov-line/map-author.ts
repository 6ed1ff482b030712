/**
 * 1207 `Document/Author/PrivatePerson` → IntakeAuthor: the name, the classifier codes of `Rank`
 * (sections 7, 8 and 4), one address line and the first phone and e-mail of `Econtact`.
 */
import type { Sex } from '../../domain/appeal.js';
import { AUTHOR_CATEGORIES, SOCIAL_STATUSES } from '../../domain/classifier.js';
import type { IntakeAuthor } from '../types.js';
import { cleanText, fail, optionalAttr } from './fields.js';
import { attribute, elements, firstElement, textOf, type XmlElement } from './xml-node.js';

const CATEGORY_CODES = new Set(AUTHOR_CATEGORIES.map((c) => c.code));
const SOCIAL_CODES = new Set(SOCIAL_STATUSES.map((c) => c.code));

/** Rank@sex: the 1207 enum (0 unknown, 1 male, 2 female); classifier codes 4.1/4.2 are accepted too. */
const SEX_VALUES: ReadonlyMap<string, Sex | null> = new Map<string, Sex | null>([
  ['0', null],
  ['1', 'male'],
  ['2', 'female'],
  ['4.1', 'male'],
  ['4.2', 'female'],
]);

/**
 * EcontactEnum of 1207: р work, д home, м mobile phone; ф fax; п e-mail; і web site; s Skype; c ICQ.
 * Latin look-alikes (p, i) and a Cyrillic с are taken for the letters they imitate.
 */
const ECONTACT_KINDS: ReadonlyMap<string, 'phone' | 'email' | 'other'> = new Map([
  ...[...'рpдм'].map((t) => [t, 'phone'] as const),
  ['п', 'email'] as const,
  ...[...'фіiscс'].map((t) => [t, 'other'] as const),
]);

function readName(pp: XmlElement, path: string) {
  const name = firstElement(pp, 'Name');
  if (name === undefined) return { lastName: null, firstName: null, patronymic: null };
  const p = `${path}.Name`;
  const lastName = optionalAttr(name, 'secname', p);
  const firstName = optionalAttr(name, 'firstname', p);
  const patronymic = optionalAttr(name, 'fathersname', p);
  if (lastName || firstName || patronymic) return { lastName, firstName, patronymic };
  // Some senders write the full name as the element's text, surname first.
  const [last = null, first = null, ...rest] = (cleanText(textOf(name), p) ?? '')
    .split(/\s+/)
    .filter(Boolean);
  return { lastName: last, firstName: first, patronymic: rest.length > 0 ? rest.join(' ') : null };
}

function readRanks(pp: XmlElement, path: string) {
  const categories: string[] = [];
  let socialStatus: string | null = null;
  let sex: Sex | null = null;
  elements(pp, 'Rank').forEach((rank, i) => {
    const p = `${path}.Rank[${i}]`;
    for (const code of (optionalAttr(rank, 'privilege', p) ?? '').split(/[\s,;]+/).filter(Boolean)) {
      if (!CATEGORY_CODES.has(code)) {
        fail(
          'UNKNOWN_AUTHOR_CATEGORY',
          `${p}@privilege`,
          `${p}@privilege is "${code}", not a classifier section 7 code (7.1–7.18).`,
        );
      }
      if (!categories.includes(code)) categories.push(code);
    }
    const social = optionalAttr(rank, 'socialposition', p);
    if (social !== null && !SOCIAL_CODES.has(social)) {
      fail(
        'UNKNOWN_SOCIAL_STATUS',
        `${p}@socialposition`,
        `${p}@socialposition is "${social}", not a classifier section 8 code (8.1–8.10).`,
      );
    }
    socialStatus ??= social;
    const sexValue = optionalAttr(rank, 'sex', p);
    if (sexValue !== null && !SEX_VALUES.has(sexValue)) {
      fail(
        'INVALID_VALUE',
        `${p}@sex`,
        `${p}@sex is "${sexValue}"; 1207 allows 0 (unknown), 1 (male), 2 (female).`,
      );
    }
    sex ??= sexValue === null ? null : (SEX_VALUES.get(sexValue) ?? null);
  });
  return { categories, socialStatus, sex };
}

/** "12" → "буд. 12", "А" → "корп. А"; a value that already starts with a word ("буд. 12", "корпус 2") is kept. */
function prefixed(value: string | null, prefix: string): string | null {
  if (value === null) return null;
  const first = value.charCodeAt(0);
  return (first >= 0x30 && first <= 0x39) || !/^\p{L}{2,}[.\s]/u.test(value) ? `${prefix} ${value}` : value;
}

/** One line in the order Ukrainian post writes it: index, region, district, settlement, street, house, flat. */
function readAddress(pp: XmlElement, path: string): string | null {
  const address = firstElement(pp, 'Address');
  if (address === undefined) return null;
  const p = `${path}.Address`;
  const get = (name: string) => optionalAttr(address, name, p);
  const country = get('country');
  const parts = [
    get('postcode'),
    country && /^(україна|ukraine|ua)$/i.test(country) ? null : country,
    get('region'),
    get('district'),
    get('settlement'),
    get('street'),
    prefixed(get('house'), 'буд.'),
    prefixed(get('building'), 'корп.'),
    prefixed(get('flat'), 'кв.'),
    prefixed(get('postbox'), 'а/с'),
    get('nontypical'),
    cleanText(textOf(address), p),
  ];
  const kept: string[] = [];
  for (const part of parts) if (part !== null && !kept.includes(part)) kept.push(part);
  return kept.length === 0 ? null : kept.join(', ');
}

/** An Econtact without @type: an e-mail if it has an @, a phone if it has five digits or more. */
function guessKind(value: string | null): 'phone' | 'email' | 'other' {
  if (value === null) return 'other';
  if (value.includes('@')) return 'email';
  return value.replace(/\D/g, '').length >= 5 ? 'phone' : 'other';
}

function readContacts(pp: XmlElement, path: string) {
  let phone: string | null = null;
  let email: string | null = null;
  elements(pp, 'Econtact').forEach((contact, i) => {
    const p = `${path}.Econtact[${i}]`;
    const value = cleanText(textOf(contact), p);
    const type = attribute(contact, 'type')?.trim() ?? '';
    const kind = type === '' ? guessKind(value) : ECONTACT_KINDS.get(type);
    if (kind === undefined) {
      fail(
        'INVALID_VALUE',
        `${p}@type`,
        `${p}@type is "${type}"; 1207 EcontactEnum allows р, д, м, ф, п, і, s, c.`,
      );
    }
    if (kind === 'phone') phone ??= value;
    else if (kind === 'email') email ??= value;
  });
  return { phone, email };
}

/** The author at `path` (`Header.Document.Author[i]`); null for an `<Author/>` with no person in it. */
export function readAuthor(author: XmlElement, path: string): IntakeAuthor | null {
  const pp = firstElement(author, 'PrivatePerson');
  if (pp === undefined) {
    if (firstElement(author, 'Organization') === undefined) return null;
    fail(
      'AUTHOR_NOT_A_PERSON',
      `${path}.Organization`,
      `${path}.Organization: an organisation cannot author a citizen's appeal (Document@type="2"); send the citizen as PrivatePerson.`,
    );
  }
  const p = `${path}.PrivatePerson`;
  const { lastName, firstName, patronymic } = readName(pp, p);
  const { phone, email } = readContacts(pp, p);
  const address = readAddress(pp, p);
  const { categories, socialStatus, sex } = readRanks(pp, p);
  return { lastName, firstName, patronymic, phone, email, address, categories, socialStatus, sex };
}

/** True when the author left anything at all: a name, a contact, an address or a category. */
export function carriesData(a: IntakeAuthor): boolean {
  return (
    Boolean(a.lastName || a.firstName || a.patronymic || a.phone || a.email || a.address) ||
    a.categories.length > 0
  );
}
