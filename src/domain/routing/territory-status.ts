/**
 * The table of occupied territories and territories of hostilities (order No. 376 of the Reintegration
 * Ministry) as a lookup: the status of a unit on a date, inherited from any enclosing unit. Occupation
 * outranks hostilities when both apply. Dates are calendar dates in Kyiv, both ends inclusive.
 */
import { KYIV_ZONE } from '../deadline.js';
import { normalizeTerritoryPrefix } from '../katottg.js';
import type { TerritoryStatus, TerritoryStatusEntry } from './types.js';

/** Lengths of 'UA' + the digits of each level: oblast, district, hromada, settlement, city district. */
const LEVEL_PREFIX_LENGTHS = [4, 6, 9, 12, 14] as const;

/** Every level prefix of a hierarchy prefix, from the oblast down. */
export function levelPrefixes(prefix: string): string[] {
  return LEVEL_PREFIX_LENGTHS.filter((n) => n <= prefix.length).map((n) => prefix.slice(0, n));
}

const kyivDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: KYIV_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Kyiv, as YYYY-MM-DD. */
export function kyivDay(at: Date): string {
  return kyivDate.format(at);
}

interface Period {
  status: Exclude<TerritoryStatus, 'none'>;
  from: string;
  to: string | null;
}

export type TerritoryStatusLookup = (territoryPrefix: string, at: Date) => TerritoryStatus;

export function territoryStatusLookup(entries: readonly TerritoryStatusEntry[]): TerritoryStatusLookup {
  if (!entries.length) return () => 'none';
  const byPrefix = new Map<string, Period[]>();
  for (const e of entries) {
    const prefix = normalizeTerritoryPrefix(e.territory);
    const list = byPrefix.get(prefix) ?? [];
    list.push({ status: e.status, from: e.from, to: e.to ?? null });
    byPrefix.set(prefix, list);
  }
  return (territoryPrefix, at) => {
    const day = kyivDay(at);
    let found: TerritoryStatus = 'none';
    for (const p of levelPrefixes(territoryPrefix)) {
      for (const period of byPrefix.get(p) ?? []) {
        if (period.from > day || (period.to !== null && period.to < day)) continue;
        if (period.status === 'occupied') return 'occupied';
        found = period.status;
      }
    }
    return found;
  };
}
