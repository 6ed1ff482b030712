import { describe, expect, it } from 'vitest';
import { applyLaw, nameOf } from './law.js';
import type { DirectoryEntry, RoutedTarget, RoutingInput } from './types.js';

const OVA = '99923000';
const SOCIAL = '99923101';
const HEALTH = '99923102';
const CITY = '99923301';

const entry = (code: string, shortName: string | null, name: string, parentCode: string | null) =>
  [code, { code, name, shortName, parentCode }] as const;

const directory: ReadonlyMap<string, DirectoryEntry> = new Map([
  entry(OVA, 'Запорізька ОВА', 'Запорізька обласна військова адміністрація', null),
  entry(SOCIAL, 'ДСЗН ОДА', 'Департамент соціального захисту населення', OVA),
  entry(HEALTH, null, 'Департамент охорони здоров’я', OVA),
  entry(CITY, 'Запорізька міська рада', 'Запорізька міська рада', null),
]);

const input = (over: Partial<RoutingInput> = {}): RoutingInput => ({
  topicCode: '006.01',
  territoryCode: 'UA23060070010069526',
  kind: 'complaint',
  source: 'regional_hotline',
  authorCategories: [],
  collective: false,
  summary: 'Скарга на відмову в призначенні субсидії',
  complaintAbout: SOCIAL,
  receivedAt: new Date('2025-03-10T09:00:00Z'),
  ...over,
});

const responsible = (agencyCode: string): RoutedTarget => ({ agencyCode, role: 'responsible' });
const coExecutor = (agencyCode: string): RoutedTarget => ({ agencyCode, role: 'co_executor' });
const forInformation = (agencyCode: string): RoutedTarget => ({ agencyCode, role: 'for_information' });

describe('applyLaw: Art. 7, a complaint never goes to the body it challenges', () => {
  it('sends a complaint about body X, routed to X, to X’s parent, with a note', () => {
    expect(applyLaw(input(), [responsible(SOCIAL)], directory)).toEqual({
      targets: [responsible(OVA)],
      notes: [
        'ст. 7: скаргу не надсилають органу, дії якого оскаржуються (ДСЗН ОДА) — передано до Запорізька ОВА',
      ],
    });
  });

  it('names a body without a short name by its full name', () => {
    const out = applyLaw(input({ complaintAbout: HEALTH }), [responsible(HEALTH)], directory);
    expect(out.targets).toEqual([responsible(OVA)]);
    expect(out.notes).toEqual([
      'ст. 7: скаргу не надсилають органу, дії якого оскаржуються (Департамент охорони здоров’я) — передано до Запорізька ОВА',
    ]);
  });

  it('sends a complaint about a body with no parent to the triage queue', () => {
    expect(applyLaw(input({ complaintAbout: CITY }), [responsible(CITY)], directory)).toEqual({
      targets: [responsible('triage')],
      notes: [
        'ст. 7: скаргу не надсилають органу, дії якого оскаржуються (Запорізька міська рада) — передано до черги сортування',
      ],
    });
  });

  it('sends a complaint about a body missing from the directory to triage, naming it by code', () => {
    const out = applyLaw(input({ complaintAbout: '12345678' }), [responsible('12345678')], directory);
    expect(out.targets).toEqual([responsible('triage')]);
    expect(out.notes[0]).toContain('(12345678)');
  });

  it('leaves a complaint alone when the challenged body is not among the targets', () => {
    const targets = [responsible(HEALTH), forInformation(OVA)];
    expect(applyLaw(input(), targets, directory)).toEqual({ targets, notes: [] });
  });

  it('leaves applications and proposals alone even if they name a body', () => {
    for (const kind of ['application', 'proposal'] as const) {
      expect(applyLaw(input({ kind }), [responsible(SOCIAL)], directory)).toEqual({
        targets: [responsible(SOCIAL)],
        notes: [],
      });
    }
  });

  it('leaves a complaint that names no body alone', () => {
    expect(applyLaw(input({ complaintAbout: null }), [responsible(SOCIAL)], directory).notes).toEqual([]);
  });

  it('replaces X as a co-executor too, keeping the role', () => {
    const out = applyLaw(input(), [responsible(HEALTH), coExecutor(SOCIAL)], directory);
    expect(out.targets).toEqual([responsible(HEALTH), coExecutor(OVA)]);
    expect(out.notes).toHaveLength(1);
  });

  it('replaces X as a for-information copy too', () => {
    const out = applyLaw(input(), [responsible(HEALTH), forInformation(SOCIAL)], directory);
    expect(out.targets).toEqual([responsible(HEALTH), forInformation(OVA)]);
  });

  it('keeps the strongest role when the parent was already a target', () => {
    const out = applyLaw(input(), [responsible(SOCIAL), forInformation(OVA)], directory);
    expect(out.targets).toEqual([responsible(OVA)]);
    const co = applyLaw(input(), [responsible(HEALTH), coExecutor(SOCIAL), forInformation(OVA)], directory);
    expect(co.targets).toEqual([responsible(HEALTH), coExecutor(OVA)]);
  });

  it('keeps one role per body and orders responsible, co-executors, for information', () => {
    const out = applyLaw(
      input({ kind: 'application' }),
      [forInformation(OVA), coExecutor(HEALTH), responsible(SOCIAL), forInformation(HEALTH)],
      directory,
    );
    expect(out).toEqual({
      targets: [responsible(SOCIAL), coExecutor(HEALTH), forInformation(OVA)],
      notes: [],
    });
  });
});

describe('nameOf', () => {
  it('names the triage queue, a body by short name, and an unknown code by itself', () => {
    expect(nameOf(directory, 'triage')).toBe('черга сортування контакт-центру');
    expect(nameOf(directory, SOCIAL)).toBe('ДСЗН ОДА');
    expect(nameOf(directory, '00000000')).toBe('00000000');
  });
});
