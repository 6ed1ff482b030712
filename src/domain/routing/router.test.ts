import { describe, expect, it } from 'vitest';
import { createRouter } from './router.js';
import { CITY, directory, MELITOPOL_RVA, OVA, ruleOf, SOCIAL } from './test-directory.js';
import type { RoutingInput, RuleSetDocument } from './types.js';

const doc: RuleSetDocument = {
  name: 'тест',
  territoryStatus: [{ territory: 'UA2308', status: 'occupied', from: '2022-02-24', to: null }],
  rules: [
    ruleOf(
      'occupied-melitopolskyi',
      { territories: ['UA2308'], territoryStatus: ['occupied'] },
      { responsible: MELITOPOL_RVA, forInformation: [OVA] },
    ),
    ruleOf('social-protection', { topics: ['006'] }, { responsible: SOCIAL }),
    ruleOf(
      'communal-city',
      { topics: ['009'], territories: ['UA2306007'] },
      { responsible: CITY, forInformation: [SOCIAL] },
    ),
  ],
  default: { responsible: 'triage' },
};

const input = (over: Partial<RoutingInput> = {}): RoutingInput => ({
  topicCode: '006.01',
  territoryCode: 'UA23060070010069526',
  kind: 'application',
  source: 'gov_hotline_1545',
  authorCategories: [],
  collective: false,
  summary: 'Прошу перерахувати житлову субсидію',
  complaintAbout: null,
  receivedAt: new Date('2025-03-10T09:00:00Z'),
  ...over,
});

describe('createRouter', () => {
  const router = createRouter(doc, directory);

  it('routes by the first matching rule and records why', () => {
    expect(router.route(input())).toEqual({
      ruleId: 'social-protection',
      targets: [{ agencyCode: SOCIAL, role: 'responsible' }],
      reason: 'правило social-protection: тема 006.* → ДСЗН ОДА',
    });
  });

  it('routes an appeal from an occupied territory by its status on the registration date', () => {
    const melitopol = 'UA23080070010092407';
    expect(router.route(input({ territoryCode: melitopol })).reason).toBe(
      'правило occupied-melitopolskyi: територія UA2308…, статус території: тимчасово окупована → ' +
        'Мелітопольська РВА; до відома: Запорізька ОВА',
    );
    // 23:59 in Kyiv on 23 February 2022: not yet in the table.
    const before = router.route(
      input({ territoryCode: melitopol, receivedAt: new Date('2022-02-23T21:59:00Z') }),
    );
    expect(before.ruleId).toBe('social-protection');
  });

  it('falls back to the default with its own reason', () => {
    expect(router.route(input({ topicCode: '021' }))).toEqual({
      ruleId: 'default',
      targets: [{ agencyCode: 'triage', role: 'responsible' }],
      reason: 'default: жодне правило не підійшло → черга сортування контакт-центру',
    });
  });

  it('applies Art. 7 after the rules and appends its note to the reason', () => {
    const complaint = input({ kind: 'complaint', complaintAbout: SOCIAL });
    expect(router.route(complaint)).toEqual({
      ruleId: 'social-protection',
      targets: [{ agencyCode: OVA, role: 'responsible' }],
      reason:
        'правило social-protection: тема 006.* → Запорізька ОВА; ' +
        'ст. 7: скаргу не надсилають органу, дії якого оскаржуються (ДСЗН ОДА) — передано до Запорізька ОВА',
    });
  });

  it('sends a complaint about a body without a parent to triage, keeping the other targets', () => {
    const complaint = input({ topicCode: '009.01', kind: 'complaint', complaintAbout: CITY });
    expect(router.route(complaint)).toEqual({
      ruleId: 'communal-city',
      targets: [
        { agencyCode: 'triage', role: 'responsible' },
        { agencyCode: SOCIAL, role: 'for_information' },
      ],
      reason:
        'правило communal-city: тема 009.*, територія UA2306007… → черга сортування контакт-центру; ' +
        'до відома: ДСЗН ОДА; ' +
        'ст. 7: скаргу не надсилають органу, дії якого оскаржуються (Запорізька міська рада) — передано до черги сортування',
    });
  });

  it('returns the same result object for repeated plain matches of a rule and of the default', () => {
    const first = router.route(input());
    expect(router.route(input({ summary: 'інший текст', territoryCode: null }))).toBe(first);
    expect(router.route(input({ topicCode: '024' }))).toBe(router.route(input({ topicCode: '021' })));
  });

  it('builds a fresh result when the law changes the targets, leaving the cached one intact', () => {
    const plain = router.route(input());
    const corrected = router.route(input({ kind: 'complaint', complaintAbout: SOCIAL }));
    expect(corrected).not.toBe(plain);
    expect(router.route(input())).toBe(plain);
    expect(plain.targets).toEqual([{ agencyCode: SOCIAL, role: 'responsible' }]);
  });

  it('exposes the compiled ruleset', () => {
    expect(router.compiled.rules.map((r) => r.id)).toEqual([
      'occupied-melitopolskyi',
      'social-protection',
      'communal-city',
    ]);
  });
});
