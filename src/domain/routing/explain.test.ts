import { describe, expect, it } from 'vitest';
import { conditionsText, decisionReason, targetsText } from './explain.js';
import { directory, HEALTH, MELITOPOL_RVA, OVA, ruleOf, SOCIAL } from './test-directory.js';
import type { RoutedTarget } from './types.js';

const responsible = (agencyCode: string): RoutedTarget => ({ agencyCode, role: 'responsible' });

describe('conditionsText', () => {
  it('describes every kind of condition, in a fixed order', () => {
    expect(
      conditionsText(
        {
          keywords: ['субсид', 'пільг'],
          complaintAbout: [SOCIAL, '12345678'],
          collective: true,
          authorCategories: ['7.5', '7.8'],
          sources: ['gov_hotline_1545', 'web'],
          kinds: ['complaint', 'application'],
          territoryStatus: ['occupied', 'none'],
          territories: ['UA2308', 'UA23060070010069526'],
          topics: ['006', '008.01'],
        },
        directory,
      ),
    ).toBe(
      'тема 006.*, 008.01, територія UA2308…, UA23060070010069526…, ' +
        'статус території: тимчасово окупована, без особливого статусу, вид: скарга, заява, ' +
        'канал: урядова лінія 1545, вебформа, категорія автора 7.5, 7.8, колективне, ' +
        'ключові слова: «субсид», «пільг», скарга на ДСЗН ОДА, 12345678',
    );
  });

  it('says "не колективне" for collective: false and "будь-яке звернення" for no conditions', () => {
    expect(conditionsText({ collective: false, kinds: ['proposal'] }, directory)).toBe(
      'вид: пропозиція, не колективне',
    );
    expect(conditionsText({}, directory)).toBe('будь-яке звернення');
  });

  it('labels the remaining channels and the hostilities status', () => {
    expect(
      conditionsText(
        { sources: ['regional_hotline', 'direct_line', 'other'], territoryStatus: ['hostilities'] },
        directory,
      ),
    ).toBe('статус території: район бойових дій, канал: регіональна гаряча лінія, пряма лінія, інший канал');
  });
});

describe('targetsText', () => {
  it('lists the responsible body, then co-executors and copies for information', () => {
    expect(
      targetsText(
        [
          responsible(HEALTH),
          { agencyCode: SOCIAL, role: 'co_executor' },
          { agencyCode: OVA, role: 'for_information' },
          { agencyCode: MELITOPOL_RVA, role: 'for_information' },
        ],
        directory,
      ),
    ).toBe('ДОЗ ОДА; співвиконавці: ДСЗН ОДА; до відома: Запорізька ОВА, Мелітопольська РВА');
  });

  it('names the triage queue', () => {
    expect(targetsText([responsible('triage')], directory)).toBe('черга сортування контакт-центру');
  });
});

describe('decisionReason', () => {
  const occupied = ruleOf(
    'occupied-melitopolskyi',
    { territories: ['UA2308'], territoryStatus: ['occupied'] },
    { responsible: MELITOPOL_RVA, forInformation: [OVA] },
  );

  it('names the rule, why it matched and where the appeal goes', () => {
    expect(
      decisionReason(
        occupied,
        [responsible(MELITOPOL_RVA), { agencyCode: OVA, role: 'for_information' }],
        [],
        directory,
      ),
    ).toBe(
      'правило occupied-melitopolskyi: територія UA2308…, статус території: тимчасово окупована → ' +
        'Мелітопольська РВА; до відома: Запорізька ОВА',
    );
  });

  it('names the default when no rule matched', () => {
    expect(decisionReason(null, [responsible('triage')], [], directory)).toBe(
      'default: жодне правило не підійшло → черга сортування контакт-центру',
    );
  });

  it('appends the notes of the law after the targets', () => {
    const social = ruleOf('social-protection', { topics: ['006'] }, { responsible: SOCIAL });
    const note =
      'ст. 7: скаргу не надсилають органу, дії якого оскаржуються (ДСЗН ОДА) — передано до Запорізька ОВА';
    expect(decisionReason(social, [responsible(OVA)], [note], directory)).toBe(
      `правило social-protection: тема 006.* → Запорізька ОВА; ${note}`,
    );
  });
});
