/**
 * KATOTTG — Кодифікатор адміністративно-територіальних одиниць та територій територіальних громад
 * (Minregion order No. 290 of 26.11.2020). A code is 'UA' + 17 digits: 2 oblast, 2 district, 3 hromada,
 * 3 settlement, 2 city district, then 5 identifier digits. The identifier carries no hierarchy, so
 * containment is decided on the first 12 digits only.
 *
 * Special-status cities (Kyiv 80, Sevastopol 85) have no districts, hromadas or settlements: their city
 * districts fill only the city-district digits (Holosiivskyi district of Kyiv is UA80000000000126643,
 * digits 80|00|000|000|01): one of the few accepted gaps in the "filled from the top" rule.
 */
import { DomainError } from './errors.js';

export type KatottgLevel = 'oblast' | 'district' | 'hromada' | 'settlement' | 'city_district';

/** Where each level's digits end, counted after 'UA'. */
const LEVELS: readonly { level: KatottgLevel; end: number }[] = [
  { level: 'oblast', end: 2 },
  { level: 'district', end: 4 },
  { level: 'hromada', end: 7 },
  { level: 'settlement', end: 10 },
  { level: 'city_district', end: 12 },
];
const PREFIX_LENGTHS = LEVELS.map((l) => l.end);
const CODE_DIGITS = 17;
const FULL_CODE = /^UA\d{17}$/;

/** Operators paste codes with spaces and type the prefix on a Ukrainian layout (Cyrillic А). */
function compact(input: string): string {
  const s = String(input).replace(/\s+/g, '').toUpperCase();
  return s.slice(0, 2).replace('\u0410', 'A') + s.slice(2);
}

function segments(digits: string): string[] {
  return LEVELS.map((l, i) => digits.slice(i === 0 ? 0 : (LEVELS[i - 1]?.end ?? 0), l.end));
}

/**
 * Units outside any district and hromada hang straight off the oblast: the city districts of Kyiv and
 * Sevastopol, and the Chornobyl exclusion-zone towns of Kyiv oblast (Prypiat UA32000000010085013).
 * Keyed by oblast so that any other gap stays an input error.
 */
const DIRECT_UNDER_OBLAST: ReadonlyMap<string, KatottgLevel> = new Map<string, KatottgLevel>([
  ['80', 'city_district'],
  ['85', 'city_district'],
  ['32', 'settlement'],
]);

/** Index of the deepest non-empty level, or a reason why the levels are not filled from the top. */
function depthOf(digits: string): number | string {
  const parts = segments(digits);
  const empty = parts.map((p) => /^0+$/.test(p));
  if (empty[0]) return 'the oblast part is 00';
  const deepest = empty.lastIndexOf(false);
  const gap = empty.findIndex((e, i) => e && i < deepest);
  if (gap === -1) return deepest;
  const allowed = DIRECT_UNDER_OBLAST.get(parts[0] ?? '');
  if (allowed === LEVELS[deepest]?.level && empty.slice(1, deepest).every(Boolean)) return deepest;
  return `the ${LEVELS[deepest]?.level} part is set while the ${LEVELS[gap]?.level} part is empty`;
}

function invalid(input: string, reason: string): DomainError {
  return new DomainError('INVALID_KATOTTG', `Invalid KATOTTG code ${JSON.stringify(input)}: ${reason}`);
}

/** The canonical 'UA' + 17 digits form; throws INVALID_KATOTTG for anything that is not a real code shape. */
export function normalizeKatottg(input: string): string {
  const code = compact(input);
  if (!FULL_CODE.test(code)) throw invalid(input, `expected 'UA' followed by ${CODE_DIGITS} digits`);
  const depth = depthOf(code.slice(2));
  if (typeof depth === 'string') throw invalid(input, depth);
  return code;
}

export function isValidKatottg(input: string): boolean {
  try {
    normalizeKatottg(input);
    return true;
  } catch {
    return false;
  }
}

function depth(code: string): number {
  return depthOf(normalizeKatottg(code).slice(2)) as number;
}

/** The deepest level the code fills; Kyiv itself is 'oblast', its districts 'city_district'. */
export function katottgLevel(code: string): KatottgLevel {
  return LEVELS[depth(code)]?.level ?? 'oblast';
}

/**
 * 'UA' + the hierarchical digits down to the code's own level, e.g. UA23060000000070350 → 'UA2306'.
 * Every code inside that unit starts with this prefix, so it is what `LIKE 'UA2306%'` filters use.
 */
export function hierarchyPrefix(code: string): string {
  const normalized = normalizeKatottg(code);
  return normalized.slice(0, 2 + (LEVELS[depth(normalized)]?.end ?? 2));
}

function invalidPrefix(input: string, reason: string): DomainError {
  return new DomainError(
    'INVALID_TERRITORY_PREFIX',
    `Invalid territory prefix ${JSON.stringify(input)}: ${reason}`,
  );
}

/** Accepts a full code or a level-aligned prefix ('UA23', 'ua2306', …) and returns the prefix form. */
export function normalizeTerritoryPrefix(input: string): string {
  const s = compact(input);
  if (FULL_CODE.test(s)) {
    try {
      return hierarchyPrefix(s);
    } catch (e) {
      throw invalidPrefix(input, e instanceof Error ? e.message : String(e));
    }
  }
  const digits = /^UA(\d+)$/.exec(s)?.[1];
  if (digits === undefined || !PREFIX_LENGTHS.includes(digits.length)) {
    throw invalidPrefix(
      input,
      `expected a full code or 'UA' followed by ${PREFIX_LENGTHS.join(', ')} digits`,
    );
  }
  const depthOrReason = depthOf(digits.padEnd(CODE_DIGITS, '0'));
  if (typeof depthOrReason === 'string') throw invalidPrefix(input, depthOrReason);
  const canonical = `UA${digits.slice(0, LEVELS[depthOrReason]?.end)}`;
  // 'UA2300' would match the same codes as 'UA23' under LIKE: insist on one spelling per unit.
  if (canonical !== s) throw invalidPrefix(input, `it ends with an empty level; use ${canonical}`);
  return s;
}

/**
 * Whether `code` lies inside `ancestor` (a full code or a prefix); a code is within itself.
 * An invalid `code` throws INVALID_KATOTTG, an invalid `ancestor` INVALID_TERRITORY_PREFIX.
 */
export function isWithin(code: string, ancestor: string): boolean {
  return hierarchyPrefix(code).startsWith(normalizeTerritoryPrefix(ancestor));
}

/** The codifier's category column. The letters are Cyrillic; exports often carry Latin look-alikes. */
export const KATOTTG_CATEGORIES = [
  '\u041E', // О
  '\u041A', // К
  '\u0420', // Р
  '\u041D', // Н
  '\u041C', // М
  '\u0421', // С
  '\u0425', // Х
  '\u0412', // В
  '\u0422', // Т
] as const;
export type KatottgCategory = 'О' | 'К' | 'Р' | 'Н' | 'М' | 'С' | 'Х' | 'В' | 'Т';

const LATIN_LOOKALIKES: ReadonlyMap<string, KatottgCategory> = new Map<string, KatottgCategory>([
  ['O', 'О'],
  ['K', 'К'],
  ['P', 'Р'],
  ['H', 'Н'],
  ['M', 'М'],
  ['C', 'С'],
  ['X', 'Х'],
  ['B', 'В'],
  ['T', 'Т'],
]);

export const CATEGORY_LABELS: Readonly<Record<KatottgCategory, string>> = {
  О: 'Область',
  К: 'Місто зі спеціальним статусом',
  Р: 'Район',
  Н: 'Територіальна громада',
  М: 'Місто',
  С: 'Село',
  Х: 'Селище',
  В: 'Район у місті',
  // Folded into Х in 2024; kept so older files still load.
  Т: 'Селище міського типу',
};

export function normalizeCategory(input: string): KatottgCategory {
  const letter = String(input).trim().toUpperCase();
  const cyrillic = (KATOTTG_CATEGORIES as readonly string[]).includes(letter)
    ? (letter as KatottgCategory)
    : LATIN_LOOKALIKES.get(letter);
  if (cyrillic === undefined) {
    throw new DomainError(
      'INVALID_KATOTTG_CATEGORY',
      `Unknown KATOTTG category ${JSON.stringify(input)}: expected one of ${KATOTTG_CATEGORIES.join(', ')}`,
    );
  }
  return cyrillic;
}
