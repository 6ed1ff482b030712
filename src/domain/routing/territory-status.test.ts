import { describe, expect, it } from 'vitest';
import { kyivDay, levelPrefixes, territoryStatusLookup } from './territory-status.js';

// Real KATOTTG prefixes (codifier release of 16.05.2025).
const MELITOPOLSKYI = 'UA2308';
const MELITOPOL_CITY = 'UA2308007001';
const POLOHIVSKYI = 'UA2310';
const TOKMATSKA = 'UA2310027';
const TOKMAK_CITY = 'UA2310027001';
const ORIKHIVSKA = 'UA2310017';
/** Dniprovskyi district of the city of Zaporizhzhia, UA23060070010228148. */
const DNIPROVSKYI_CITY_DISTRICT = 'UA230600700102';

const at = (iso: string) => new Date(iso);

describe('kyivDay and levelPrefixes', () => {
  it('gives the calendar date in Kyiv, not in UTC', () => {
    expect(kyivDay(at('2022-02-23T21:59:59Z'))).toBe('2022-02-23');
    expect(kyivDay(at('2022-02-23T22:30:00Z'))).toBe('2022-02-24');
    // Summer time: UTC+3.
    expect(kyivDay(at('2023-07-31T21:00:00Z'))).toBe('2023-08-01');
  });

  it('lists every level prefix from the oblast down', () => {
    expect(levelPrefixes(DNIPROVSKYI_CITY_DISTRICT)).toEqual([
      'UA23',
      'UA2306',
      'UA2306007',
      'UA2306007001',
      DNIPROVSKYI_CITY_DISTRICT,
    ]);
    expect(levelPrefixes(TOKMATSKA)).toEqual(['UA23', POLOHIVSKYI, TOKMATSKA]);
    expect(levelPrefixes('UA23')).toEqual(['UA23']);
  });
});

describe('territoryStatusLookup', () => {
  it('says none for every territory when the table is empty', () => {
    expect(territoryStatusLookup([])(MELITOPOL_CITY, at('2023-01-01T00:00:00Z'))).toBe('none');
  });

  it('inherits a status from any enclosing unit, never from a unit inside', () => {
    const status = territoryStatusLookup([
      { territory: 'UA23080000000090746', status: 'occupied', from: '2022-02-24' },
      { territory: TOKMATSKA, status: 'occupied', from: '2022-03-07' },
    ]);
    const day = at('2023-05-01T09:00:00Z');
    expect(status(MELITOPOLSKYI, day)).toBe('occupied');
    expect(status(MELITOPOL_CITY, day)).toBe('occupied');
    expect(status(TOKMAK_CITY, day)).toBe('occupied');
    expect(status(TOKMATSKA, day)).toBe('occupied');
    expect(status(POLOHIVSKYI, day)).toBe('none');
    expect(status(ORIKHIVSKA, day)).toBe('none');
    expect(status('UA23', day)).toBe('none');
  });

  it('takes both ends of a period as whole days in Kyiv', () => {
    const status = territoryStatusLookup([
      { territory: ORIKHIVSKA, status: 'hostilities', from: '2022-02-24', to: '2022-03-01' },
    ]);
    expect(status(ORIKHIVSKA, at('2022-02-23T21:59:59Z'))).toBe('none');
    // 00:30 on 24 February in Kyiv, still the 23rd in UTC.
    expect(status(ORIKHIVSKA, at('2022-02-23T22:30:00Z'))).toBe('hostilities');
    expect(status(ORIKHIVSKA, at('2022-03-01T21:59:59Z'))).toBe('hostilities');
    expect(status(ORIKHIVSKA, at('2022-03-01T22:00:00Z'))).toBe('none');
  });

  it('keeps an open-ended period in force, whether `to` is absent or null', () => {
    const status = territoryStatusLookup([
      { territory: MELITOPOLSKYI, status: 'occupied', from: '2022-02-24' },
      { territory: ORIKHIVSKA, status: 'hostilities', from: '2022-02-24', to: null },
    ]);
    expect(status(MELITOPOL_CITY, at('2040-12-31T12:00:00Z'))).toBe('occupied');
    expect(status(ORIKHIVSKA, at('2040-12-31T12:00:00Z'))).toBe('hostilities');
    expect(status(ORIKHIVSKA, at('2022-02-23T12:00:00Z'))).toBe('none');
  });

  it('ranks occupation above hostilities, at any level and in any order of entries', () => {
    const status = territoryStatusLookup([
      { territory: TOKMATSKA, status: 'hostilities', from: '2022-02-24' },
      { territory: POLOHIVSKYI, status: 'occupied', from: '2022-03-01', to: '2022-12-31' },
      { territory: TOKMAK_CITY, status: 'occupied', from: '2022-03-07' },
      { territory: TOKMAK_CITY, status: 'hostilities', from: '2022-02-24' },
    ]);
    // The district is occupied above a hromada with hostilities.
    expect(status(TOKMATSKA, at('2022-06-01T09:00:00Z'))).toBe('occupied');
    // After the district's period, the hromada's own status shows.
    expect(status(TOKMATSKA, at('2023-06-01T09:00:00Z'))).toBe('hostilities');
    // Both statuses on the city itself.
    expect(status(TOKMAK_CITY, at('2023-06-01T09:00:00Z'))).toBe('occupied');
    expect(status(TOKMAK_CITY, at('2022-03-02T09:00:00Z'))).toBe('occupied');
    expect(status(TOKMAK_CITY, at('2022-02-25T09:00:00Z'))).toBe('hostilities');
  });

  it('moves a unit from hostilities to occupation on the day the table says', () => {
    const status = territoryStatusLookup([
      { territory: 'UA23040130000044084', status: 'hostilities', from: '2022-02-24', to: '2022-02-28' },
      { territory: 'UA23040130000044084', status: 'occupied', from: '2022-03-01', to: null },
    ]);
    expect(status('UA2304013001', at('2022-02-28T12:00:00Z'))).toBe('hostilities');
    expect(status('UA2304013001', at('2022-02-28T22:10:00Z'))).toBe('occupied');
  });
});
