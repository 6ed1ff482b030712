/** A small directory of real-looking bodies (placeholder EDRPOU codes of the seed) for routing tests. */
import type { DirectoryEntry, Rule, RuleConditions, RuleTargets } from './types.js';

export const OVA = '99923000';
export const SOCIAL = '99923101';
export const HEALTH = '99923102';
export const MELITOPOL_RVA = '99923204';
export const CITY = '99923301';

export const directory: ReadonlyMap<string, DirectoryEntry> = new Map(
  [
    {
      code: OVA,
      name: 'Запорізька обласна військова адміністрація',
      shortName: 'Запорізька ОВА',
      parentCode: null,
    },
    {
      code: SOCIAL,
      name: 'Департамент соціального захисту населення',
      shortName: 'ДСЗН ОДА',
      parentCode: OVA,
    },
    { code: HEALTH, name: 'Департамент охорони здоров’я', shortName: 'ДОЗ ОДА', parentCode: OVA },
    {
      code: MELITOPOL_RVA,
      name: 'Мелітопольська районна військова адміністрація',
      shortName: 'Мелітопольська РВА',
      parentCode: OVA,
    },
    { code: CITY, name: 'Запорізька міська рада', shortName: null, parentCode: null },
  ].map((e) => [e.code, e]),
);

export const ruleOf = (id: string, when: RuleConditions, then: RuleTargets): Rule => ({ id, when, then });
